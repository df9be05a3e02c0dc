/**
 * The local development signing key. Generated once (ES256) and kept in the data folder,
 * so tokens printed yesterday still work today and a reset of the data folder revokes
 * them all. Never used outside the local stack: deployed APIs trust Cognito's keys.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import * as z from 'zod';

export const DEV_KEY_ALGORITHM = 'ES256';
export const DEV_ISSUER = 'https://lms-local.dev';
export const DEV_AUDIENCE = 'lms-local';

/** An imported asymmetric key (jose types it per runtime; a secret would be bytes). */
type Key = Exclude<Awaited<ReturnType<typeof importJWK>>, Uint8Array>;

export interface DevKeys {
  readonly privateKey: Key;
  readonly publicKey: Key;
  /** The public key as a JWK (what a JWKS endpoint would serve). */
  readonly publicJwk: JWK;
  readonly kid: string;
}

const storedKeySchema = z.object({
  kid: z.string().min(1),
  privateJwk: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), d: z.string() }),
  publicJwk: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string() }),
});

const fromJwks = async (kid: string, privateJwk: JWK, publicJwk: JWK): Promise<DevKeys> => {
  const privateKey = await importJWK(privateJwk, DEV_KEY_ALGORITHM);
  const publicKey = await importJWK(publicJwk, DEV_KEY_ALGORITHM);
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) {
    throw new TypeError('the development key must be an EC key pair');
  }
  return {
    privateKey,
    publicKey,
    publicJwk: { ...publicJwk, kid, alg: DEV_KEY_ALGORITHM, use: 'sig' },
    kid,
  };
};

/** A fresh key pair, in memory only (tests, `--in-memory`). */
export const createDevKeys = async (): Promise<DevKeys> => {
  const pair = await generateKeyPair(DEV_KEY_ALGORITHM, { extractable: true });
  const kid = `lms-local-${Date.now().toString(36)}`;
  return fromJwks(kid, await exportJWK(pair.privateKey), await exportJWK(pair.publicKey));
};

/**
 * The key pair stored at `file`, created there on first use.
 *
 * @example
 * ```ts
 * const keys = await loadDevKeys('.data/dev-signing-key.json');
 * ```
 */
export const loadDevKeys = async (file: string): Promise<DevKeys> => {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  if (text !== undefined) {
    const stored = storedKeySchema.parse(JSON.parse(text));
    return fromJwks(stored.kid, stored.privateJwk, stored.publicJwk);
  }
  const pair = await generateKeyPair(DEV_KEY_ALGORITHM, { extractable: true });
  const kid = `lms-local-${Date.now().toString(36)}`;
  const privateJwk = await exportJWK(pair.privateKey);
  const publicJwk = await exportJWK(pair.publicKey);
  await mkdir(dirname(file), { recursive: true });
  // Written aside then renamed: two processes starting at once never read half a key.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ kid, privateJwk, publicJwk }, null, 2), {
    mode: 0o600,
  });
  await rename(temporary, file);
  return fromJwks(kid, privateJwk, publicJwk);
};
