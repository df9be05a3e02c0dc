/**
 * Development tokens for the local API: shaped as the ID tokens of the deployed stack's
 * Cognito user pool (`sub` a UUID, the LMS id in `cognito:username`, `custom:role`,
 * `token_use: id`, `auth_time`, ...), signed with the local key.
 */
import { createHash, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import {
  COGNITO_USERNAME_CLAIM,
  ROLE_CLAIM,
  type Role,
} from '../../../services/access/principal.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KEY_ALGORITHM, type DevKeys } from './dev-keys.ts';

/**
 * The claim the local stack (`lms start`, `lms token`) reads the LMS id from unless
 * `LMS_ID_CLAIM` says otherwise: the deployed stack's, so local tokens behave as real ones.
 */
export const LOCAL_ID_CLAIM = COGNITO_USERNAME_CLAIM;

/**
 * An environment whose `LMS_ID_CLAIM` is the local stack's unless it sets one. The
 * configuration's own default stays `sub` (DESIGN section 1).
 *
 * @example
 * ```ts
 * loadConfig(withLocalIdClaim({})).idClaim; // 'cognito:username'
 * loadConfig(withLocalIdClaim({ LMS_ID_CLAIM: 'sub' })).idClaim; // 'sub'
 * ```
 */
export const withLocalIdClaim = (
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> =>
  env.LMS_ID_CLAIM !== undefined && env.LMS_ID_CLAIM !== ''
    ? { ...env }
    : { ...env, LMS_ID_CLAIM: LOCAL_ID_CLAIM };

export interface TokenRequest {
  /** The LMS id: the username of the Cognito user (a teacher, parent or student id, ...). */
  readonly id: string;
  readonly role: Role;
  /**
   * The claim the functions read the id from (`LMS_ID_CLAIM`; default `cognito:username`).
   * Another claim (`sub`, say) carries the id too, so the token works whatever the stack reads.
   */
  readonly idClaim?: string;
  /** Lifetime in seconds (default 12 hours: a working day). */
  readonly ttlSeconds?: number;
}

/** A UUID for `sub`, as Cognito generates one per user: the same id always gets the same. */
export const devSub = (id: string): string => {
  const hex = createHash('sha256').update(`lms-local-user:${id}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * @example
 * ```ts
 * const token = await signDevToken(keys, { id: 't-0001', role: 'teacher' });
 * // claims: { sub: '<uuid>', 'cognito:username': 't-0001', 'custom:role': 'teacher',
 * //           token_use: 'id', auth_time, iss, aud, iat, exp, jti }
 * ```
 */
export const signDevToken = async (keys: DevKeys, request: TokenRequest): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  const idClaim = request.idClaim ?? LOCAL_ID_CLAIM;
  const claims: Record<string, unknown> = {
    [COGNITO_USERNAME_CLAIM]: request.id,
    [ROLE_CLAIM]: request.role,
    token_use: 'id',
    auth_time: now,
  };
  let sub = devSub(request.id);
  if (idClaim === 'sub') sub = request.id;
  else claims[idClaim] = request.id;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DEV_KEY_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 12 * 3600))
    .setJti(randomUUID())
    .sign(keys.privateKey);
};

export type VerifiedClaims = Record<string, string>;

export type VerifyResult =
  | { readonly ok: true; readonly claims: VerifiedClaims }
  | {
      readonly ok: false;
      /** jose's error code, such as `ERR_JWT_EXPIRED`. */
      readonly reason: string;
      /** Why, for a person: `token expired at 2026-11-24T20:00:00.000Z`. */
      readonly description: string;
      /** How to get a token that works, naming the role and id when the token says them. */
      readonly remedy: string;
    };

const stringClaim = (payload: Readonly<Record<string, unknown>>, name: string) => {
  const value = payload[name];
  return typeof value === 'string' ? value : undefined;
};

/** The refusal of a token: what was wrong, and the command that prints a good one. */
const refusal = (error: InstanceType<typeof errors.JOSEError>): VerifyResult => {
  // Claims are checked after the signature, so their payload is the stack's own.
  const payload =
    error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired
      ? error.payload
      : {};
  const role = stringClaim(payload, ROLE_CLAIM);
  const id = stringClaim(payload, COGNITO_USERNAME_CLAIM);
  const command = `npx lms token --role ${role ?? '<role>'} --id ${id ?? '<id>'}`;
  const remedy = `restarting lms start prints new tokens, or run: ${command}`;
  if (error instanceof errors.JWTExpired) {
    const exp = payload.exp;
    const at = typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'an earlier time';
    return { ok: false, reason: error.code, description: `token expired at ${at}`, remedy };
  }
  const description =
    error instanceof errors.JWSSignatureVerificationFailed
      ? "signature does not verify with this stack's signing key (a token of another data folder, or of a deleted key)"
      : error instanceof errors.JWTClaimValidationFailed
        ? `claim ${error.claim} is invalid: ${error.reason}`
        : `not a token this stack signed: ${error.message}`;
  return { ok: false, reason: error.code, description, remedy };
};

/**
 * Verifies a bearer token the way API Gateway's JWT authorizer does (signature, issuer,
 * audience, expiry) and returns its claims as strings, as the authorizer passes them on.
 */
export const verifyDevToken = async (keys: DevKeys, token: string): Promise<VerifyResult> => {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      algorithms: [DEV_KEY_ALGORITHM],
    });
    const claims: VerifiedClaims = {};
    for (const [name, value] of Object.entries(payload)) {
      claims[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return { ok: true, claims };
  } catch (error) {
    if (error instanceof errors.JOSEError) return refusal(error);
    throw error;
  }
};
