import { afterAll, beforeAll } from 'vitest';
import { connectPostgres, type PostgresConnection } from '../../src/adapters/postgres/connect.ts';
import { createPostgresEngine, type LocalPostgresEngine } from '../../src/local/postgres/index.ts';

/**
 * An in-process PGlite of the calling test file's own, started before its tests and
 * stopped after them, and one connection to it whose tables have `tablePrefix`. For the
 * PostgreSQL adapter's tests that run in every run: they never reach the run's engine, so
 * they prove the same on dynalite's run as on PostgreSQL's (`engine-independent.ts`).
 * Registers the file's hooks: call it at the top level of the file, before hooks that use it.
 *
 * @example
 * ```ts
 * const own = ownPglite('admin-test-');
 * it('reads', async () => { await own.connection.pg.query({ text: 'SELECT 1', values: [] }); });
 * ```
 */
export const ownPglite = (tablePrefix: string): { readonly connection: PostgresConnection } => {
  let engine: LocalPostgresEngine | undefined;
  let connection: PostgresConnection | undefined;
  beforeAll(async () => {
    engine = createPostgresEngine({ kind: 'pglite' });
    await engine.start();
    connection = connectPostgres({ databaseUrl: engine.databaseUrl, tablePrefix });
  });
  afterAll(async () => {
    await connection?.close();
    await engine?.stop();
  });
  return {
    get connection() {
      if (connection === undefined) throw new Error('the PGlite is started in beforeAll');
      return connection;
    },
  };
};
