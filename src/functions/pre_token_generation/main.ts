/** `pre_token_generation`: the user pool's Pre Token Generation trigger (staff TOTP MFA). */
import { lambdaHandle } from '../../runtime/lambda.ts';
import { createHandler } from './handler.ts';

export const handle = lambdaHandle('pre_token_generation', createHandler);
