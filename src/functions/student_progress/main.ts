/** `student_progress`: `GET /students/{id}/progress`; DESIGN section 3. */
import { connectDynamo } from '../../adapters/dynamodb/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('student_progress', createHandler, connectDynamo);
