/** `aggregate_parents`: scheduled after `aggregate_students`, and on demand; DESIGN section 3. */
import { connectTables } from '../../adapters/connect.ts';
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('aggregate_parents', createHandler, connectTables);
