/** `module_results`: `GET /classes/{class_code}/modules/{module_id}/results`; DESIGN section 3. */
import { connectTables } from '../../adapters/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('module_results', createHandler, connectTables);
