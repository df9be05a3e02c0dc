/** `student_review`: `GET /students/{id}/review`; DESIGN section 3. */
import { connectTables } from '../../adapters/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('student_review', createHandler, connectTables);
