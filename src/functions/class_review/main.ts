/** `class_review`: `GET /classes/{class_code}/review`; DESIGN section 3. */
import { connectTables } from '../../adapters/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('class_review', createHandler, connectTables);
