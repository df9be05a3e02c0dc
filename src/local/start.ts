/**
 * `lms start`: the whole system on one machine. An embedded DynamoDB (or DynamoDB Local,
 * PGlite, Debian's PostgreSQL, or an external DynamoDB endpoint or PostgreSQL URL), the
 * tables, demo data when the tables are empty, every HTTP
 * function behind an emulated API Gateway HTTP API with a JWT authorizer, and the
 * scheduled functions on their schedules.
 */
import { join } from 'node:path';
import { connectTables, Engine, type TablesConnection } from '../adapters/connect.ts';
import { assertFunctionFolders } from '../catalog/function-folders.ts';
import { type FunctionName, functions } from '../catalog/functions.ts';
import type { Config } from '../config/config.ts';
import { localDate } from '../domain/time-zone.ts';
import { LmsError } from '../errors.ts';
import { createLogger } from '../observability/logger.ts';
import { createRuntime } from '../runtime/runtime.ts';
import { runResumableSeed } from '../seed/resumable.ts';
import type { SeedSizeName } from '../seed/sizes.ts';
import { createDevKeys, type DevKeys, loadDevKeys } from './aws/auth/dev-keys.ts';
import { RUN_TRIGGERS } from './aws/scheduler/job-runs.ts';
import { LocalJobs } from './aws/scheduler/jobs.ts';
import { checkPortsFree, lockDataFolder } from './claim.ts';
import { consoleAssets } from './console/assets.ts';
import { ConsoleApi } from './console/console-api.ts';
import { runHistoryFile } from './console/run-history.ts';
import {
  type DatabaseVariable,
  type StackDatabase,
  type StackEngineKind,
  stackDatabase,
} from './database.ts';
import { type DemoIdentities, findDemoIdentities } from './demo-identities.ts';
import { type Handle, loadFunction } from './invoke/load-function.ts';
import { isLoopbackAddress } from './server/local-only.ts';
import { LocalApi } from './server/server.ts';
import { type LocalService, ServiceStack } from './stack.ts';

export interface StartOptions {
  readonly config: Config;
  /** Ignored when the configuration names an external database (DYNAMODB_ENDPOINT, DATABASE_URL). */
  readonly engine: StackEngineKind;
  readonly inMemory: boolean;
  readonly dataDir: string;
  readonly port: number;
  readonly dbPort: number;
  readonly host?: string;
  readonly seed: { readonly size: SeedSizeName; readonly seed: number } | false;
  /** Fire the cron schedules (tests run jobs only on request). */
  readonly schedule: boolean;
  /** One line per step and per job run: what `lms start` prints at `LOG_LEVEL=info`. */
  readonly log: (line: string) => void;
  /**
   * The detail under those lines (the seed's tables, a workflow's shards, the jobs' JSON
   * logs): `lms start` prints it at `LOG_LEVEL=debug` only. Default: dropped.
   */
  readonly debug?: (line: string) => void;
  /** Where the function folders are checked against the catalogue (tests); default src/functions. */
  readonly functionsDir?: string;
  /**
   * Aborted by Ctrl-C: the start stops where it is (between services, or between two seed
   * batches), stops what started in reverse and rejects with {@link StartInterruptedError}.
   */
  readonly signal?: AbortSignal;
}

/** The start was interrupted (Ctrl-C) and what had started was stopped. */
export class StartInterruptedError extends LmsError {
  readonly code = 'INTERRUPTED';
}

export interface RunningStack {
  readonly apiUrl: string;
  /** The interface the HTTP API listens on; the console and /_jobs only on a loopback one. */
  readonly host: string;
  /** Set when the database is DynamoDB. */
  readonly dynamodbEndpoint: string | undefined;
  /** Set when the database is PostgreSQL. */
  readonly databaseUrl: string | undefined;
  readonly engine: Pick<StackDatabase, 'family' | 'kind' | 'pid'>;
  /** Where the database is, for the banner (a password left out). */
  readonly location: string;
  /** What `lms` beside the stack needs: `DYNAMODB_ENDPOINT` or `DATABASE_URL`. */
  readonly variable: DatabaseVariable;
  /** Where the tables are: the table prefix (DynamoDB) or the schema (PostgreSQL). */
  readonly namespace: string;
  readonly keys: DevKeys;
  readonly jobs: LocalJobs;
  readonly seeded: boolean;
  /** Who to be in the demo (read from the data once it is in place): banner and console. */
  readonly demo: DemoIdentities;
  readonly stop: () => Promise<void>;
}

/** Jobs run once after seeding, so the demo opens with stats and aggregates in place. */
const AFTER_SEED: readonly { name: FunctionName; event: Record<string, unknown> }[] = [
  { name: 'calc_all_stats', event: {} },
  { name: 'aggregate_students', event: { mode: 'full' } },
  { name: 'aggregate_parents', event: { mode: 'full' } },
];

const isMissingModule = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND';

/**
 * @example
 * ```ts
 * const stack = await startLocalStack({ config, engine: 'dynalite', inMemory: true, port: 0, ... });
 * console.log(stack.apiUrl);
 * await stack.stop();
 * ```
 */
export const startLocalStack = async (options: StartOptions): Promise<RunningStack> => {
  // A function the catalogue names but the tree lacks (or the reverse) would be silently
  // missing from the API or the schedules: refuse to start, naming it.
  assertFunctionFolders(options.functionsDir);
  const { config, log, signal } = options;
  const debug = options.debug ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const database = stackDatabase(config, {
    engine: options.engine,
    port: options.dbPort,
    dataDir: options.inMemory ? undefined : options.dataDir,
  });
  const dbPort = database.claimsPort;
  const dbLabel = database.family === Engine.Postgres ? 'PostgreSQL' : 'DynamoDB';
  let connection: TablesConnection | undefined;
  let keys: DevKeys | undefined;
  let seeded = false;
  let demo: DemoIdentities | undefined;
  // What the functions run with: the stack's configuration and one shared connection.
  let functionConfig = config;
  const handles = new Map<FunctionName, Handle>();
  const load = async (name: FunctionName) => {
    let handle = handles.get(name);
    if (handle === undefined) {
      if (connection === undefined) throw new Error('the database is not connected');
      // A scheduled job logs its plan, each shard and its summary as pretty-printed JSON
      // (hundreds of lines for a start's three runs): below `debug` it speaks at `warn`,
      // and the stack prints the run's one summary line instead (`jobs.ts`).
      const quiet =
        functions[name].trigger.kind === 'schedule' && functionConfig.logLevel !== 'debug';
      const runtime = createRuntime(name, functionConfig, {
        db: connection.db,
        ...(quiet ? { logger: createLogger(name, 'warn') } : {}),
      });
      handle = await loadFunction(name, runtime);
      handles.set(name, handle);
    }
    return handle;
  };
  const jobs = new LocalJobs({
    timezone: config.timezone,
    load,
    log,
    debug,
    schedule: options.schedule,
    ...(options.inMemory
      ? {}
      : { history: runHistoryFile(join(options.dataDir, 'job-runs.json'), log) }),
  });

  let release: (() => Promise<void>) | undefined;
  const services: LocalService[] = [
    {
      // Before any work: a second stack on the same folder or ports is refused here.
      name: 'data folder and ports',
      start: async () => {
        if (!options.inMemory) {
          release = await lockDataFolder(options.dataDir, {
            'HTTP API port': options.port,
            ...(dbPort === undefined ? {} : { [`${dbLabel} port`]: dbPort }),
          });
        }
        await checkPortsFree([
          { what: 'the HTTP API (--port)', port: options.port, host },
          ...(dbPort === undefined
            ? []
            : [{ what: `the embedded ${dbLabel} (--db-port)`, port: dbPort, host: '127.0.0.1' }]),
        ]);
      },
      stop: async () => {
        await release?.();
      },
    },
    {
      // Stopped after everything that uses it (the services above stop in reverse), so the
      // engine (a postgres or DynamoDB Local process) goes last, none left behind.
      name: `${dbLabel} (${database.kind})`,
      start: async () => {
        await database.start();
        // The functions run in process with the stack's configuration, pointed at this
        // database: DYNAMODB_ENDPOINT for DynamoDB, DATABASE_URL for PostgreSQL.
        functionConfig = { ...config, ...database.settings() };
        connection = connectTables(functionConfig);
      },
      stop: async () => {
        await connection?.close();
        await database.stop();
      },
    },
    {
      name: 'tables',
      start: async () => {
        if (connection === undefined) throw new Error('the database is not connected');
        const changes = await connection.admin.createMissing();
        const count = (action: string) => changes.filter((c) => c.action === action).length;
        // DynamoDB reports indexes added to existing tables, PostgreSQL the migrations run.
        const extra = [
          count('index-created') > 0 ? `, ${count('index-created')} indexes added` : '',
          count('migrated') > 0 ? `, ${count('migrated')} migrations applied` : '',
        ].join('');
        log(`tables: ${count('created')} created, ${count('exists')} already there${extra}`);
      },
      stop: async () => {},
    },
    {
      // Before the demo data's runs, so they join the runs an earlier start kept.
      name: 'job runs',
      start: () => jobs.restore(),
      stop: async () => {},
    },
    {
      name: 'demo data',
      start: async () => {
        if (connection === undefined || options.seed === false) return;
        const { db } = connection;
        const now = new Date();
        const outcome = await runResumableSeed(db, {
          request: {
            size: options.seed.size,
            seed: options.seed.seed,
            today: localDate(now, config.timezone),
            timezone: config.timezone,
            notAfter: now,
          },
          // Tables with students and no seed record hold someone's data: left alone.
          hasData: async () => {
            for await (const page of db.students.pages(
              {},
              { scan: true, pageSize: 1, project: ['id'] },
            )) {
              return page.length > 0;
            }
            return false;
          },
          afterSeed: async () => {
            for (const { name, event } of AFTER_SEED) {
              signal?.throwIfAborted();
              try {
                await jobs.run(name, event, RUN_TRIGGERS.start);
              } catch (error) {
                if (!isMissingModule(error)) throw error;
              }
            }
          },
          ...(signal === undefined ? {} : { signal }),
          log,
          progress: debug,
        });
        seeded = outcome.kind === 'seeded';
      },
      stop: async () => {},
    },
    {
      name: 'demo identities',
      start: async () => {
        if (connection === undefined) throw new Error('the database is not connected');
        demo = await findDemoIdentities(connection.db);
      },
      stop: async () => {},
    },
    {
      name: 'signing key',
      start: async () => {
        keys = options.inMemory
          ? await createDevKeys()
          : await loadDevKeys(join(options.dataDir, 'dev-signing-key.json'));
      },
      stop: async () => {},
    },
    { name: 'schedules', start: () => jobs.start(), stop: () => jobs.stop() },
  ];
  let api: LocalApi | undefined;
  services.push({
    name: 'HTTP API',
    start: async () => {
      if (keys === undefined || connection === undefined || demo === undefined)
        throw new Error('the HTTP API needs the signing key, the connection and the demo');
      api = new LocalApi({
        port: options.port,
        host,
        keys,
        load,
        jobs,
        log,
        // Off the network only (local-only.ts): not even built for another interface.
        ...(isLoopbackAddress(host)
          ? {
              console: new ConsoleApi({
                db: connection.db,
                keys,
                idClaim: config.idClaim,
                demo,
                timezone: config.timezone,
              }),
              assets: await consoleAssets(),
            }
          : {}),
      });
      await api.start();
    },
    stop: async () => {
      await api?.stop();
    },
  });

  const stack = new ServiceStack(services, log);
  try {
    await stack.start(signal);
  } catch (error) {
    if (signal?.aborted === true) {
      throw new StartInterruptedError(
        `interrupted (${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}) while starting; what had started is stopped, and the next start finishes the demo data`,
        { cause: error },
      );
    }
    throw error;
  }
  if (api === undefined || keys === undefined || demo === undefined)
    throw new Error('the local stack did not start');
  return {
    apiUrl: api.url,
    host,
    ...database.settings(),
    engine: database,
    location: database.location(),
    variable: database.variable(),
    namespace:
      connection?.engine === Engine.Postgres ? connection.postgres.schema : config.tablePrefix,
    keys,
    jobs,
    seeded,
    demo,
    stop: () => stack.stop(),
  };
};
