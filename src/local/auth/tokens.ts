/**
 * Development tokens for the local API: what Cognito would issue, signed with the local
 * key, carrying the two claims the functions use (`sub`, `custom:role`).
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { ROLE_CLAIM, type Role } from '../../services/access/principal.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KEY_ALGORITHM, type DevKeys } from './dev-keys.ts';

export interface TokenRequest {
  readonly sub: string;
  readonly role: Role;
  /** Lifetime in seconds (default 12 hours: a working day). */
  readonly ttlSeconds?: number;
}

/**
 * @example
 * ```ts
 * const token = await signDevToken(keys, { sub: 't-0001', role: 'teacher' });
 * ```
 */
export const signDevToken = async (keys: DevKeys, request: TokenRequest): Promise<string> =>
  new SignJWT({ [ROLE_CLAIM]: request.role, token_use: 'id' })
    .setProtectedHeader({ alg: DEV_KEY_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 12 * 3600}s`)
    .sign(keys.privateKey);

export type VerifiedClaims = Record<string, string>;

export type VerifyResult =
  | { readonly ok: true; readonly claims: VerifiedClaims }
  | { readonly ok: false; readonly reason: string };

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
    if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
    throw error;
  }
};
