/** `module_results`: `GET /classes/{class_code}/modules/{module_id}/results`; DESIGN section 3. */
import { connectDynamo } from '../../adapters/dynamodb/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('module_results', createHandler, connectDynamo);
