import { LmsError } from '../../errors.ts';

/** The request carries no usable identity (no JWT claims, no `sub` or no `custom:role`). */
export class UnauthenticatedError extends LmsError {
  readonly code = 'UNAUTHENTICATED';
}

/**
 * The caller is known but may not do this. The message never says whether the resource
 * exists: to someone not allowed to see it, a missing record and another's look the same.
 */
export class ForbiddenError extends LmsError {
  readonly code = 'FORBIDDEN';
}

/**
 * The `pre_token_generation` trigger refuses a staff token (no TOTP enabled, a source
 * without an MFA challenge). Thrown from the trigger, it makes Cognito fail the sign-in or
 * refresh, so that no token of any kind, refresh token included, is issued.
 */
export class StaffTokenRefusedError extends LmsError {
  readonly code = 'STAFF_TOKEN_REFUSED';
}
