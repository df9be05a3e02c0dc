/**
 * TOTP MFA for the accounts that can read other people's children (admin, teacher,
 * service): no token carries a staff role unless the session it comes from answered a TOTP
 * code. The user pool's MFA is OPTIONAL (children and parents have no second factor) with
 * TOTP as the only factor; Cognito challenges every sign-in of a user with TOTP enabled and
 * never one without. So the decision below rests on one invariant: **a staff account never
 * gets a session without TOTP enabled on a client whose tokens the API accepts**. Then
 * every refresh token such an account holds comes from a challenged sign-in, and a refresh
 * may keep the role. Without TOTP the token generation is refused outright (no ID, access
 * or refresh token at all), not merely stripped of its role: a role-less session would
 * leave a refresh token that turns into a staff token once TOTP is enabled (issue 20).
 *
 * TOTP is set up in a session of the set-up client, which only IAM-signed
 * AdminInitiateAuth can open (an administrator's credentials), so a password alone cannot
 * register an authenticator. Its tokens never carry a staff role and the API's authorizer
 * does not accept its audience anyway. docs/deployment.md describes the flow.
 */
import { parseRole, ROLE_CLAIM, ROLES, type Role } from './principal.ts';

/** The roles whose tokens require TOTP. */
export const STAFF_ROLES: readonly Role[] = [ROLES.admin, ROLES.teacher, ROLES.service];

/** Cognito's name of TOTP in a user's `UserMFASettingList` and `PreferredMfaSetting`. */
export const TOTP_MFA = 'SOFTWARE_TOKEN_MFA';

/**
 * The trigger sources after which a staff role may stay: a sign-in Cognito challenged (a
 * user with TOTP enabled is asked for a code by the API flows and the hosted UI), or the
 * refresh of one. Left out on purpose: `TokenGeneration_AuthenticateDevice` (a remembered
 * device skips MFA; device tracking is off in the pool, so it should never come),
 * `TokenGeneration_NewPasswordChallenge` (tokens straight after a forced password change,
 * which users have reported Cognito issuing without the MFA challenge; a staff member
 * changes a temporary password in the set-up session instead), and any source Cognito adds
 * later.
 */
export const STAFF_TOKEN_SOURCES: ReadonlySet<string> = new Set([
  'TokenGeneration_Authentication',
  'TokenGeneration_HostedAuth',
  'TokenGeneration_RefreshTokens',
]);

/** Cognito's names of the sign-in flows an app client allows (`ExplicitAuthFlows`). */
export const AUTH_FLOWS = {
  adminUserPassword: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  refreshToken: 'ALLOW_REFRESH_TOKEN_AUTH',
} as const;

/** A user's MFA settings as AdminGetUser gives them. */
export interface UserMfaSettings {
  /** `UserMFASettingList`: the methods enabled. */
  readonly enabled: readonly string[];
  /** `PreferredMfaSetting`. */
  readonly preferred: string | undefined;
}

/** The port: what the trigger reads of Cognito (AdminGetUser, DescribeUserPoolClient). */
export interface UserMfaLookup {
  mfaSettings(userPoolId: string, username: string): Promise<UserMfaSettings>;
  /** The app client's `ExplicitAuthFlows`. */
  clientAuthFlows(userPoolId: string, clientId: string): Promise<readonly string[]>;
}

export interface TokenRequest {
  readonly userPoolId: string;
  readonly username: string;
  /** The app client the tokens are for (the event's `callerContext.clientId`). */
  readonly clientId: string;
  /** What led to this token: a sign-in, a refresh, ... (the event's `triggerSource`). */
  readonly triggerSource: string;
  /** The user's attributes as Cognito hands them to the trigger. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type TokenDecision =
  | { readonly kind: 'issue' }
  /** Issue the tokens without `custom:role`. */
  | { readonly kind: 'strip-role'; readonly role: string; readonly reason: string }
  /** Fail the token generation: Cognito then issues nothing, refresh token included. */
  | { readonly kind: 'refuse'; readonly role: Role; readonly reason: string };

const isStaff = (role: Role): boolean => STAFF_ROLES.includes(role);

/**
 * Whether users can sign in to the client only through IAM-signed AdminInitiateAuth: the
 * set-up client. Read from the client itself rather than configured, so that the trigger
 * needs no client id (the pool names the trigger; the trigger cannot name the pool's
 * clients without a circular stack), and so that a client that later allows SRP is no
 * longer treated as one.
 */
export const isAdminOnlyClient = (flows: readonly string[]): boolean =>
  flows.includes(AUTH_FLOWS.adminUserPassword) &&
  flows.every((flow) => flow === AUTH_FLOWS.adminUserPassword || flow === AUTH_FLOWS.refreshToken);

/**
 * Enabled and preferred: Cognito documents its optional-MFA challenge for users who have
 * "chosen and configured a preferred MFA factor", so both are asked for.
 */
const totpOn = (settings: UserMfaSettings): boolean =>
  settings.enabled.includes(TOTP_MFA) && settings.preferred === TOTP_MFA;

/**
 * Denies by default: a role is kept without asking Cognito only when it is exactly
 * `parent` or `student`; an unknown or misspelt one (`" admin"`) is stripped; a staff role
 * needs a sign-in source, a client that is not the set-up client and TOTP enabled.
 *
 * @example
 * ```ts
 * await decideToken(lookup, { userPoolId, username: 't-017', clientId,
 *   triggerSource: 'TokenGeneration_Authentication', attributes: { 'custom:role': 'teacher' } });
 * // { kind: 'refuse', role: 'teacher', reason: 'teacher t-017 has no TOTP MFA enabled' }
 * ```
 */
export const decideToken = async (
  lookup: UserMfaLookup,
  request: TokenRequest,
): Promise<TokenDecision> => {
  const claimed = request.attributes[ROLE_CLAIM];
  if (claimed === undefined) return { kind: 'issue' };
  const role = parseRole(claimed);
  if (role === undefined) {
    return {
      kind: 'strip-role',
      role: claimed,
      reason: `${JSON.stringify(claimed)} is not a role (roles are spelled exactly)`,
    };
  }
  // Parents and students are children and their families: no second factor asked of them.
  if (!isStaff(role)) return { kind: 'issue' };
  const who = `${role} ${request.username}`;
  if (!STAFF_TOKEN_SOURCES.has(request.triggerSource)) {
    return {
      kind: 'refuse',
      role,
      reason: `${who}: no staff token after ${request.triggerSource}`,
    };
  }
  const [settings, flows] = await Promise.all([
    lookup.mfaSettings(request.userPoolId, request.username),
    lookup.clientAuthFlows(request.userPoolId, request.clientId),
  ]);
  if (isAdminOnlyClient(flows)) {
    return { kind: 'strip-role', role, reason: `${who}: a TOTP set-up session carries no role` };
  }
  if (!totpOn(settings)) return { kind: 'refuse', role, reason: `${who} has no TOTP MFA enabled` };
  return { kind: 'issue' };
};
