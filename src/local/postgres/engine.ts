/**
 * The PostgreSQL back ends the local tools can run against, a family of its own beside the
 * DynamoDB {@link import('../aws/engines/engine.ts').EngineKind}s. `pglite` is PostgreSQL
 * compiled to WebAssembly, run inside this process (no install, starts in a few seconds);
 * `postgres` is Debian's PostgreSQL server run as a child process, for behaviour that must
 * match a real server (concurrent sessions, real locks and isolation).
 *
 * @example
 * ```ts
 * import { PostgresEngineKind } from './engine.ts';
 * const kind: PostgresEngineKind = PostgresEngineKind.Pglite; // 'pglite'
 * ```
 */
import { EngineOptionsError } from '../aws/engines/errors.ts';
import { isValidPort } from '../aws/engines/network.ts';
export const PostgresEngineKind = {
  Pglite: 'pglite',
  Postgres: 'postgres',
} as const;

/** One of the values of {@link PostgresEngineKind}. */
export type PostgresEngineKind = (typeof PostgresEngineKind)[keyof typeof PostgresEngineKind];

/** Every PostgreSQL engine kind, in the order a help text should list them. */
export const POSTGRES_ENGINE_KINDS: readonly PostgresEngineKind[] =
  Object.values(PostgresEngineKind);

/**
 * Whether a string (a CLI flag, an environment variable) names a PostgreSQL engine kind.
 * The names do not overlap with the DynamoDB kinds, so one `--engine` flag can take either.
 *
 * @example
 * ```ts
 * const raw = process.env.LMS_TEST_ENGINE ?? 'dynalite';
 * if (isPostgresEngineKind(raw)) engine = createPostgresEngine({ kind: raw });
 * ```
 */
export function isPostgresEngineKind(value: unknown): value is PostgresEngineKind {
  return typeof value === 'string' && (POSTGRES_ENGINE_KINDS as readonly string[]).includes(value);
}

/**
 * A PostgreSQL server with a lifecycle: it accepts connections on
 * {@link LocalPostgresEngine.databaseUrl} between a resolved `start()` and a call to `stop()`.
 * The same rules as the DynamoDB engines' apply (a second `start()` rejects, `stop()` on an
 * idle engine resolves), so `stop()` is safe in `finally` blocks and `afterAll` hooks.
 *
 * @example
 * ```ts
 * const engine = createPostgresEngine({ kind: 'pglite' });
 * await engine.start();
 * try {
 *   const pool = new pg.Pool({ connectionString: engine.databaseUrl });
 *   await pool.query('SELECT 1');
 *   await pool.end();
 * } finally {
 *   await engine.stop();
 * }
 * ```
 */
export interface LocalPostgresEngine {
  readonly kind: PostgresEngineKind;
  /**
   * A connection string for `pg` and `psql`, e.g. `postgres://postgres@127.0.0.1:41234/postgres`
   * (user `postgres`, no password, database `postgres`).
   *
   * @throws {EngineNotStartedError} when the engine is not running.
   */
  readonly databaseUrl: string;
  /** The pid of the server process; undefined when the server runs inside this process. */
  readonly pid: number | undefined;
  /** Resolves once the server answers `SELECT 1`. */
  start(): Promise<void>;
  /** Resolves once the port is released, the data flushed and any process has exited. */
  stop(): Promise<void>;
}

/**
 * What {@link createPostgresEngine} needs. Each field matters only to the kinds noted.
 *
 * @example
 * ```ts
 * const options: PostgresEngineOptions = { kind: 'pglite', path: '.data/pglite' };
 * ```
 */
export interface PostgresEngineOptions {
  readonly kind: PostgresEngineKind;
  /**
   * A folder to keep the database in, created if missing. Omit for a throwaway database:
   * in memory for `pglite`, a fresh temporary folder (removed by `stop()`) for `postgres`.
   */
  readonly path?: string;
  /** The TCP port on 127.0.0.1; 0 or omitted picks a free one. */
  readonly port?: number;
  /** How many clients may be connected at once. */
  readonly maxConnections?: number;
  /** `postgres`: upper bound for `start()` (initdb included), in milliseconds. */
  readonly startTimeoutMs?: number;
  /** `postgres`: how long the server gets to exit after SIGINT before SIGKILL. */
  readonly stopTimeoutMs?: number;
  /**
   * `postgres`: run without fsync (and without synchronous commit and full-page writes).
   * Much faster, and a crash of the machine may lose or corrupt the data: tests only.
   */
  readonly unsafeNoFsync?: boolean;
}

/** The URL of a local server that trusts user `postgres` on loopback. */
export function formatDatabaseUrl(host: string, port: number): string {
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `postgres://postgres@${hostPart}:${port}/postgres`;
}

/**
 * The port and the connection limit an engine was given, checked: one rule for both
 * engines, each with its own default limit.
 *
 * @throws {EngineOptionsError} for a port outside 0..65535 or a limit below 1.
 */
export const checkedListenOptions = (
  what: string,
  options: { readonly port?: number | undefined; readonly maxConnections?: number | undefined },
  defaultMaxConnections: number,
): { readonly port: number; readonly maxConnections: number } => {
  const port = options.port ?? 0;
  if (!isValidPort(port)) {
    throw new EngineOptionsError(`${what} port must be an integer in 0..65535, got ${port}`);
  }
  const maxConnections = options.maxConnections ?? defaultMaxConnections;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new EngineOptionsError(
      `${what} maxConnections must be at least 1, got ${maxConnections}`,
    );
  }
  return { port, maxConnections };
};
