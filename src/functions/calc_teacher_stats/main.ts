/** `calc_teacher_stats`: scheduled; DESIGN section 3. */
import { connectTables } from '../../adapters/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('calc_teacher_stats', createHandler, connectTables);
