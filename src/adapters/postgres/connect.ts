import type { Config } from '../../config/config.ts';
import type { Db } from '../../repositories/db.ts';
import { createPostgresDb } from './db.ts';
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
  config: Pick<Config, 'tablePrefix'> & { readonly databaseUrl: string },
  env: Readonly<Record<string, string | undefined>> = process.env,
): PostgresConnection => {
  const pg = new Pg(createPool({ connectionString: config.databaseUrl, max: poolSizeFor(env) }));
  return {
    pg,
    db: createPostgresDb(pg, config.tablePrefix),
    schema: schemaFor(config.tablePrefix),
    close: () => pg.close(),
  };
};
