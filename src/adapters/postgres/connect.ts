import { type Config, DatabaseAuth } from '../../config/config.ts';
import type { Db } from '../../repositories/db.ts';
import { createPostgresDb } from './db.ts';
import { type CreateSigner, iamPassword } from './iam-auth.ts';
import { createPool, Pg, poolSizeFor } from './pg.ts';
import { schemaFor } from './sql.ts';

export interface PostgresConnection {
  readonly pg: Pg;
  readonly db: Db;
  /** The schema the tables of the configured prefix live in. */
  readonly schema: string;
  /** Ends the pool's connections (a CLI run ends promptly; a Lambda never calls it). */
  readonly close: () => Promise<void>;
}

/** What a connection is made from: the URL, and how it authenticates (`password` unless given). */
export type PostgresConfig = Pick<Config, 'tablePrefix'> & {
  readonly databaseUrl: string;
  readonly databaseAuth?: Config['databaseAuth'];
  /** The region an IAM token is signed for (`AWS_REGION`). */
  readonly awsRegion?: Config['awsRegion'];
};

/**
 * The pool's options for a configuration: with `databaseAuth: 'iam'`, every new connection
 * signs an IAM token as its password (`iam-auth.ts`; `createSigner` is the tests' way in).
 *
 * @example
 * ```ts
 * poolOptions({ databaseUrl: 'postgres://lms@proxy:5432/lms', tablePrefix: '', databaseAuth: 'iam' }, {});
 * // { connectionString: 'postgres://lms@proxy:5432/lms', max: 10, password: [Function] }
 * ```
 */
export const poolOptions = (
  config: PostgresConfig,
  env: Readonly<Record<string, string | undefined>>,
  createSigner?: CreateSigner,
) => ({
  connectionString: config.databaseUrl,
  max: poolSizeFor(env),
  ...(config.databaseAuth === DatabaseAuth.Iam && {
    password: iamPassword(config.databaseUrl, config.awsRegion, createSigner),
  }),
});

/**
 * Everything that talks to PostgreSQL, built from the configuration: one pool per process
 * (per Lambda container: the runtime keeps it for the container's life).
 *
 * @example
 * ```ts
 * const { db, close } = connectPostgres({ databaseUrl: 'postgres://127.0.0.1:5432/lms', tablePrefix: '' });
 * await db.classes.get({ teacher_id: 't-1' });
 * await close();
 * ```
 */
export const connectPostgres = (
  config: PostgresConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PostgresConnection => {
  const pg = new Pg(createPool(poolOptions(config, env)));
  return {
    pg,
    db: createPostgresDb(pg, config.tablePrefix),
    schema: schemaFor(config.tablePrefix),
    close: () => pg.close(),
  };
};
