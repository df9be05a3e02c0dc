/**
 * TOTP MFA for the accounts that can read other people's children (admin, teacher,
 * service): a staff role reaches an ID token only for a user with TOTP enabled. The user
 * pool's MFA is OPTIONAL with TOTP as the only factor, and Cognito challenges every user
 * who has an MFA method enabled at each sign-in, so "TOTP enabled" means the sign-in that
 * leads to this token answered a TOTP code. Without it the token is still issued (the
 * user needs one to set up TOTP: AssociateSoftwareToken takes an access token) but
 * without `custom:role`, and a token without a role gets 401 from every route.
 */
import { ROLE_CLAIM, ROLES, type Role } from './principal.ts';

/** The roles whose tokens require TOTP. */
export const STAFF_ROLES: readonly Role[] = [ROLES.admin, ROLES.teacher, ROLES.service];

/** Cognito's name of TOTP in a user's `UserMFASettingList`. */
export const TOTP_MFA = 'SOFTWARE_TOKEN_MFA';

/** The port: which MFA methods a user of a pool has enabled (Cognito's AdminGetUser). */
export interface UserMfaLookup {
  enabledMfa(userPoolId: string, username: string): Promise<readonly string[]>;
}

export interface TokenRequest {
  readonly userPoolId: string;
  readonly username: string;
  /** The user's attributes as Cognito hands them to the trigger. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type TokenDecision =
  | { readonly kind: 'issue' }
  | { readonly kind: 'strip-role'; readonly role: Role; readonly reason: string };

const isStaff = (role: string | undefined): role is Role =>
  role !== undefined && (STAFF_ROLES as readonly string[]).includes(role);

/**
 * @example
 * ```ts
 * await decideToken(lookup, { userPoolId, username: 't-017', attributes: { 'custom:role': 'teacher' } });
 * // { kind: 'strip-role', role: 'teacher', reason: 'teacher t-017 has no TOTP MFA enabled' }
 * ```
 */
export const decideToken = async (
  lookup: UserMfaLookup,
  request: TokenRequest,
): Promise<TokenDecision> => {
  const role = request.attributes[ROLE_CLAIM];
  // Parents and students are children and their families: no second factor asked of them.
  if (!isStaff(role)) return { kind: 'issue' };
  const enabled = await lookup.enabledMfa(request.userPoolId, request.username);
  if (enabled.includes(TOTP_MFA)) return { kind: 'issue' };
  return {
    kind: 'strip-role',
    role,
    reason: `${role} ${request.username} has no TOTP MFA enabled`,
  };
};
