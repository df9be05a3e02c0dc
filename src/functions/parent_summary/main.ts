/** `parent_summary`: `GET /parents/{id}/summary`; DESIGN section 3. */
import { connectTables } from '../../adapters/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('parent_summary', createHandler, connectTables);
