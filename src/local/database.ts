/**
 * The local stack's database, whichever it is: a DynamoDB engine (dynalite, DynamoDB Local,
 * an external `DYNAMODB_ENDPOINT`) or a PostgreSQL one (PGlite, Debian's server, an external
 * `DATABASE_URL`), behind one start/stop lifecycle. What the rest of the stack needs of it is
 * the setting the functions and `lms` commands connect with (`DYNAMODB_ENDPOINT` or
 * `DATABASE_URL`); `connectTables` does the rest, so nothing else in the stack knows which.
 */
import { join } from 'node:path';
import { Engine, redactedUrl } from '../adapters/connect.ts';
import type { Config } from '../config/config.ts';
import { createEngine, EngineKind, type LocalEngine } from './aws/engines/index.ts';
import { describeError } from './aws/engines/ready.ts';
import {
  createPostgresEngine,
  EngineStartError,
  isPostgresEngineKind,
  type LocalPostgresEngine,
  PostgresEngineKind,
  waitForPostgres,
} from './postgres/index.ts';

/** What `lms start --engine` takes: a DynamoDB engine or a PostgreSQL one. */
export const StackEngineKind = {
  Dynalite: EngineKind.Dynalite,
  DynamoDbLocal: EngineKind.DynamoDbLocal,
  Pglite: PostgresEngineKind.Pglite,
  Postgres: PostgresEngineKind.Postgres,
} as const;
export type StackEngineKind = (typeof StackEngineKind)[keyof typeof StackEngineKind];
export const STACK_ENGINE_KINDS: readonly StackEngineKind[] = Object.values(StackEngineKind);

/**
 * `--db-port`'s default per family. DynamoDB Local's usual 8000; for PostgreSQL not 5432,
 * where a machine's own server (Debian's cluster) usually listens, but a fixed port all the
 * same, so that the banner's `export DATABASE_URL=...` stays right from one start to the next.
 */
export const DEFAULT_DB_PORT = { [Engine.DynamoDb]: 8000, [Engine.Postgres]: 54320 } as const;

/** The family an engine kind belongs to. */
export const engineFamily = (kind: StackEngineKind): Engine =>
  isPostgresEngineKind(kind) ? Engine.Postgres : Engine.DynamoDb;

/** The one environment variable `lms` beside the stack needs to reach its database. */
export interface DatabaseVariable {
  readonly name: 'DYNAMODB_ENDPOINT' | 'DATABASE_URL';
  readonly value: string;
}

export interface StackDatabase {
  readonly family: Engine;
  /** `dynalite`, `dynamodb-local`, `pglite`, `postgres`, or `external` (not ours). */
  readonly kind: StackEngineKind | 'external';
  /** The server process we started (DynamoDB Local, postgres); undefined otherwise. */
  readonly pid: number | undefined;
  /** Its port on 127.0.0.1 while we own it (to claim before start); undefined if external. */
  readonly claimsPort: number | undefined;
  /** Where it is, for the banner: the endpoint or the URL (a password left out). */
  readonly location: () => string;
  /** What the functions connect with; only once started. */
  readonly settings: () => Pick<Config, 'dynamodbEndpoint' | 'databaseUrl'>;
  /** The `export NAME=value` line of the banner; only once started. */
  readonly variable: () => DatabaseVariable;
  readonly start: () => Promise<void>;
  /** Stops what we started (and leaves an external database alone). */
  readonly stop: () => Promise<void>;
}

export interface StackDatabaseOptions {
  readonly engine: StackEngineKind;
  readonly port: number;
  /** The data folder (`--data`): the engine keeps its data in `<dataDir>/<engine>`. */
  readonly dataDir: string | undefined;
}

const fromDynamo = (engine: LocalEngine, claimsPort: number | undefined): StackDatabase => ({
  family: Engine.DynamoDb,
  kind: engine.kind,
  get pid() {
    return engine.pid;
  },
  claimsPort,
  location: () => engine.endpoint,
  settings: () => ({ dynamodbEndpoint: engine.endpoint, databaseUrl: undefined }),
  variable: () => ({ name: 'DYNAMODB_ENDPOINT', value: engine.endpoint }),
  start: () => engine.start(),
  stop: () => engine.stop(),
});

const fromPostgres = (engine: LocalPostgresEngine, port: number): StackDatabase => ({
  family: Engine.Postgres,
  kind: engine.kind,
  get pid() {
    return engine.pid;
  },
  claimsPort: port,
  location: () => engine.databaseUrl,
  settings: () => ({ dynamodbEndpoint: undefined, databaseUrl: engine.databaseUrl }),
  variable: () => ({ name: 'DATABASE_URL', value: engine.databaseUrl }),
  start: () => engine.start(),
  stop: () => engine.stop(),
});

/** How long an external PostgreSQL gets to answer `SELECT 1` (as an external DynamoDB). */
const EXTERNAL_START_TIMEOUT_MS = 10_000;

/**
 * A PostgreSQL someone else runs (`DATABASE_URL` in the environment): `start` only proves it
 * answers, so a wrong URL fails before the seed, naming the variable; `stop` leaves it alone.
 */
const externalPostgres = (databaseUrl: string): StackDatabase => ({
  family: Engine.Postgres,
  kind: 'external',
  pid: undefined,
  claimsPort: undefined,
  location: () => redactedUrl(databaseUrl),
  settings: () => ({ dynamodbEndpoint: undefined, databaseUrl }),
  variable: () => ({ name: 'DATABASE_URL', value: databaseUrl }),
  start: async () => {
    try {
      await waitForPostgres(databaseUrl, { timeoutMs: EXTERNAL_START_TIMEOUT_MS });
    } catch (error) {
      // The usual cause: the banner's export line of a stack that has since stopped.
      throw new EngineStartError(
        `DATABASE_URL is set (${redactedUrl(databaseUrl)}), so lms start uses that PostgreSQL instead of starting one, and it does not answer: ${describeError(error instanceof Error && error.cause !== undefined ? error.cause : error)}; start it, or \`unset DATABASE_URL\` to let lms start run its own engine (--engine)`,
        { cause: error },
      );
    }
  },
  stop: async () => {},
});

/**
 * The stack's database: an external one when the configuration names one (`DATABASE_URL`
 * or `DYNAMODB_ENDPOINT`, whatever `--engine` says, as the deployed functions would read
 * them), otherwise `options.engine`, kept in `<dataDir>/<engine>` (in memory, or a temporary
 * folder for `postgres`, without a data folder).
 */
export const stackDatabase = (
  config: Pick<Config, 'dynamodbEndpoint' | 'databaseUrl'>,
  options: StackDatabaseOptions,
): StackDatabase => {
  if (config.databaseUrl !== undefined) return externalPostgres(config.databaseUrl);
  if (config.dynamodbEndpoint !== undefined)
    return fromDynamo(
      createEngine({ kind: 'external', endpoint: config.dynamodbEndpoint }),
      undefined,
    );
  const path = options.dataDir === undefined ? {} : { path: join(options.dataDir, options.engine) };
  if (isPostgresEngineKind(options.engine))
    return fromPostgres(
      createPostgresEngine({ kind: options.engine, port: options.port, ...path }),
      options.port,
    );
  return fromDynamo(
    createEngine({ kind: options.engine, port: options.port, ...path }),
    options.port,
  );
};
