import pg from 'pg';

/**
 * One attempt to reach a PostgreSQL (`SELECT 1` on a fresh connection), for readiness
 * polls: a pool's retries would hide how long a caller has waited. The engines of the
 * local stack poll with it (`local/postgres/`), so that only this adapter imports `pg`.
 *
 * @example
 * ```ts
 * await pingPostgres('postgres://postgres@127.0.0.1:5432/postgres', 1_000);
 * ```
 */
export const pingPostgres = async (databaseUrl: string, timeoutMs: number): Promise<void> => {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: Math.max(timeoutMs, 1),
  });
  // A connection that fails later (the server stops) must not become an uncaught error.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
};
