/**
 * The one door to PostgreSQL: a `pg` pool, every statement through {@link Pg.query}, which
 * retries what a server or a network produces transiently and counts statements and rows
 * (the bench's figures). Only this adapter imports `pg`.
 *
 * Why `pg` and not `postgres`: both are maintained and pure JavaScript; `pg` is the one
 * PGlite's socket server, RDS Proxy and most tooling are tested with, its pool is explicit
 * (a size per Lambda container), and its errors carry PostgreSQL's SQLSTATE as `code`,
 * which is what the retry decision reads. Statements here are built dynamically from the
 * table definitions with one placeholder accumulator (`sql.ts`), which suits `pg`'s
 * `{ text, values }` better than tagged templates.
 */
// Types only: the driver itself is loaded by `createPool`, on the first connection, so a
// function's bundle that carries it (every function with tables can run on PostgreSQL)
// does not evaluate it at init when it runs on DynamoDB (the cold-start bench).
import type pg from 'pg';
import { LmsError } from '../../errors.ts';
import { backoffDelay, type RetryPolicy } from '../../lib/backoff.ts';
import type { Statement } from './sql.ts';
import { fromJsonText } from './values.ts';

/**
 * SQLSTATEs worth another attempt: the statement did not take effect (or took effect and
 * is idempotent under the port's semantics, as a lost DynamoDB response is retried by the
 * SDK): serialization failure, deadlock, lock not available, statement timeout, too many
 * connections, the server shutting down or starting, and every connection exception.
 */
const TRANSIENT_CODES = new Set([
  '40001',
  '40P01',
  '55P03',
  '57014',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);

/** Node's codes of a connection that broke (or could not be made yet). */
const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Whether an error from `pg` may be retried. */
export const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && (TRANSIENT_CODES.has(code) || NETWORK_CODES.has(code))) return true;
  if (code?.startsWith('08') === true) return true;
  // `pg` reports a connection that closed under a statement, and a pool that could not hand
  // out a connection in time, with a plain Error and these messages.
  // A client whose connection broke under an earlier statement says "was closed" or "has
  // encountered a connection error" to the next one; a read that timed out is as lost.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Query read timeout/i.test(
    error.message,
  );
};

/** A statement failed for good (not transient, or still failing after the last attempt). */
export class PostgresError extends LmsError {
  readonly code: string = 'POSTGRES_ERROR';

  constructor(
    message: string,
    /** PostgreSQL's SQLSTATE, when the server answered. */
    readonly sqlState: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Statements and rows since the counters were last reset: what the bench reports. */
export interface PgCounters {
  statements: number;
  rowsRead: number;
  rowsWritten: number;
  retries: number;
}

export interface PgOptions {
  readonly retry?: RetryPolicy;
}

/**
 * Retries of a statement: 6 attempts, 25 ms base, 1 s cap. Enough to ride out a
 * failover's dropped connections and a burst of serialization failures within a Lambda's
 * seconds, as the DynamoDB client's 4 attempts ride out throttling.
 */
export const PG_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 25,
  maxDelayMs: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

const sqlStateOf = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/**
 * @example
 * ```ts
 * const pg = new Pg(createPool({ connectionString: url, max: 2 }));
 * const { rows } = await pg.query({ text: 'SELECT 1 AS one', values: [] });
 * await pg.close();
 * ```
 */
export class Pg {
  readonly counters: PgCounters = { statements: 0, rowsRead: 0, rowsWritten: 0, retries: 0 };
  readonly #retry: RetryPolicy;
  readonly #pool: Promise<pg.Pool>;

  constructor(pool: pg.Pool | Promise<pg.Pool>, options: PgOptions = {}) {
    this.#pool = Promise.resolve(pool);
    // A pool that failed to come up fails each statement that awaits it, not the process.
    this.#pool.catch(() => {});
    this.#retry = options.retry ?? PG_RETRY_POLICY;
  }

  /** Runs one statement (autocommit), retrying transient failures. */
  async query<R = Record<string, unknown>>(statement: Statement): Promise<QueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.counters.statements++;
        const pool = await this.#pool;
        const values = [...statement.values];
        const result =
          statement.rowMode === 'array'
            ? await pool.query({ text: statement.text, values, rowMode: 'array' })
            : await pool.query({ text: statement.text, values });
        this.#count(result);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      } catch (error) {
        if (!isTransient(error) || attempt >= this.#retry.maxAttempts) {
          throw new PostgresError(
            `${error instanceof Error ? error.message : String(error)} (after ${attempt} attempt${attempt === 1 ? '' : 's'})`,
            sqlStateOf(error),
            { cause: error },
          );
        }
        this.counters.retries++;
        await this.#retry.sleep(backoffDelay(this.#retry, attempt));
      }
    }
  }

  /**
   * Runs `work` in one transaction on one connection (migrations); retried as a whole
   * when it fails transiently.
   */
  async transaction<T>(work: (run: (statement: Statement) => Promise<unknown>) => Promise<T>) {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient | undefined;
      try {
        client = await (await this.#pool).connect();
        const connection = client;
        await connection.query('BEGIN');
        const result = await work(async (statement) => {
          this.counters.statements++;
          return connection.query({ text: statement.text, values: [...statement.values] });
        });
        await connection.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A broken connection is destroyed, not returned to the pool.
        client?.release(error instanceof Error ? error : true);
        if (!isTransient(error) || attempt >= this.#retry.maxAttempts) {
          throw new PostgresError(
            error instanceof Error ? error.message : String(error),
            sqlStateOf(error),
            { cause: error },
          );
        }
        this.counters.retries++;
        await this.#retry.sleep(backoffDelay(this.#retry, attempt));
      }
    }
  }

  #count(result: pg.QueryResult): void {
    if (result.command === 'SELECT') this.counters.rowsRead += result.rowCount ?? 0;
    else this.counters.rowsWritten += result.rowCount ?? 0;
  }

  resetCounters(): void {
    Object.assign(this.counters, { statements: 0, rowsRead: 0, rowsWritten: 0, retries: 0 });
  }

  async close(): Promise<void> {
    await (await this.#pool).end();
  }
}

/** `jsonb` is PostgreSQL type 3802. */
const JSONB = 3802;

export interface PoolOptions {
  readonly connectionString: string;
  /** Connections in the pool (`poolSizeFor`). */
  readonly max: number;
  /**
   * The password of each new connection, asked for when it is made (`iamPassword`: a fresh
   * IAM token); undefined: the URL's own.
   */
  readonly password?: (() => Promise<string>) | undefined;
}

/**
 * Connections per pool. A Lambda container runs one invocation at a time, so two suffice
 * (the second lets a parallel read overlap); the server's `max_connections` is shared by
 * every container, and Aurora's is in the thousands only behind RDS Proxy
 * (docs/database-choice.md). A command or the local stack runs jobs in parallel: ten.
 */
export const poolSizeFor = (env: Readonly<Record<string, string | undefined>>): number =>
  env.AWS_LAMBDA_FUNCTION_NAME === undefined ? 10 : 2;

/** The driver that is not there: a bundle built for DynamoDB leaves `pg` out (`infra/bundling.ts`). */
export class PostgresDriverMissingError extends LmsError {
  readonly code = 'POSTGRES_DRIVER_MISSING';
}

/**
 * How the driver module is imported. Production's is the plain dynamic import; a test
 * passes one that fails, as a bundle without `pg` fails, without uninstalling the package.
 */
export type DriverImport = () => Promise<{ readonly default: typeof pg }>;

const importPg: DriverImport = () => import('pg');

const loadDriver = async (importDriver: DriverImport): Promise<typeof pg> => {
  try {
    return (await importDriver()).default;
  } catch (error) {
    throw new PostgresDriverMissingError(
      'DATABASE_URL is set, but the PostgreSQL driver (the npm package pg) is not in this bundle: the stack bundles the functions for DynamoDB unless deployed with -c database=postgres (infra/bundling.ts), which bundles pg and sets DATABASE_URL itself',
      { cause: error },
    );
  }
};

/**
 * A `pg` pool with the settings every statement of the adapter assumes; the driver is
 * loaded here, not at import.
 */
export const createPool = async (
  options: PoolOptions,
  importDriver: DriverImport = importPg,
): Promise<pg.Pool> => {
  const driver = await loadDriver(importDriver);
  // The driver's parsers, but `jsonb` read back with its tags (`values.ts`).
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
    oid === JSONB && format !== 'binary'
      ? fromJsonText
      : driver.types.getTypeParser(oid, format)) as typeof driver.types.getTypeParser;
  const pool = new driver.Pool({
    types: { getTypeParser },
    connectionString: options.connectionString,
    ...(options.password !== undefined && { password: options.password }),
    max: options.max,
    // A Lambda container is frozen between invocations; an idle connection the server or
    // a proxy closed meanwhile is dropped by the pool (the error below) and the statement
    // that finds it broken is retried on a fresh one.
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    // No statement of the port may hold a connection longer than a Lambda's API timeout.
    statement_timeout: 25_000,
    application_name: 'lms-lambdas',
  });
  // An idle connection that breaks emits here; without a listener it would end the process.
  pool.on('error', () => {});
  return pool;
};
