/**
 * IAM database authentication: instead of a password, each new connection presents a
 * token signed with the caller's AWS credentials (15 minutes valid), which RDS Proxy
 * checks against `rds-db:connect` on the user. A deployed function then holds no
 * password at all (neither in its environment nor in the template), and revoking its
 * role's grant revokes its access. Only this adapter imports the signer.
 */

/** Where a token is valid: the host and port the connection goes to, and its user. */
export interface TokenTarget {
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  /** Undefined: the signer's own resolution (the profile's region). */
  readonly region: string | undefined;
}

/** Makes the signer of one target; production's is `@aws-sdk/rds-signer`'s `Signer`. */
export type CreateSigner = (
  target: TokenTarget,
) => Promise<{ readonly getAuthToken: () => Promise<string> }>;

/**
 * `@aws-sdk/rds-signer`, imported on the first connection: a DynamoDB deployment leaves it
 * out of its bundles (`infra/bundling.ts`), and a PostgreSQL one evaluates it only when a
 * connection is made. Signing is local (SigV4 presigning): no AWS API is called, so a
 * function in an isolated subnet needs no endpoint for it.
 */
const rdsSigner: CreateSigner = async (target) => {
  const { Signer } = await import('@aws-sdk/rds-signer');
  return new Signer({
    hostname: target.hostname,
    port: target.port,
    username: target.username,
    ...(target.region !== undefined && { region: target.region }),
  });
};

/** PostgreSQL's port when a URL names none. */
const DEFAULT_PORT = 5432;

/**
 * The target a `postgres://` URL names: its host, port and user (the token's `DBUser`).
 *
 * @example
 * ```ts
 * tokenTarget('postgres://lms@proxy.example:5432/lms', 'eu-west-1');
 * // { hostname: 'proxy.example', port: 5432, username: 'lms', region: 'eu-west-1' }
 * ```
 */
export const tokenTarget = (databaseUrl: string, region: string | undefined): TokenTarget => {
  const url = new URL(databaseUrl);
  return {
    hostname: url.hostname,
    port: url.port === '' ? DEFAULT_PORT : Number(url.port),
    username: decodeURIComponent(url.username),
    region,
  };
};

/**
 * The `password` of a `pg` pool that authenticates with IAM: the driver calls it for every
 * new connection, so each gets a fresh token (a pooled connection outlives its token, which
 * is only checked when connecting). One signer per pool, made on the first call.
 *
 * @example
 * ```ts
 * const password = iamPassword('postgres://lms@proxy.example:5432/lms', 'eu-west-1');
 * new pg.Pool({ connectionString, password }); // each connection signs a token
 * ```
 */
export const iamPassword = (
  databaseUrl: string,
  region: string | undefined,
  createSigner: CreateSigner = rdsSigner,
): (() => Promise<string>) => {
  const target = tokenTarget(databaseUrl, region);
  let signer: ReturnType<CreateSigner> | undefined;
  return async () => {
    signer ??= createSigner(target);
    try {
      return await (await signer).getAuthToken();
    } catch (error) {
      // A failed signer (no credentials yet) is made again by the next connection.
      signer = undefined;
      throw error;
    }
  };
};
