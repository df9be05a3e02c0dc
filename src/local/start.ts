/**
 * `lms start`: the whole system on one machine. An embedded DynamoDB (or DynamoDB Local,
 * or an external endpoint), the tables, demo data when the tables are empty, every HTTP
 * function behind an emulated API Gateway HTTP API with a JWT authorizer, and the
 * scheduled functions on their schedules.
 */
import { join } from 'node:path';
import { connectDynamo } from '../adapters/dynamodb/connect.ts';
import { createMissingTables } from '../adapters/dynamodb/tables.ts';
import { assertFunctionFolders } from '../catalog/function-folders.ts';
import type { FunctionName } from '../catalog/functions.ts';
import type { Config } from '../config/config.ts';
import { localDate } from '../domain/time-zone.ts';
import { createRuntime } from '../runtime/runtime.ts';
import { SEED_SIZES, type SeedSizeName } from '../seed/sizes.ts';
import { writeSeed } from '../seed/write.ts';
import { tables } from '../tables/definitions.ts';
import { LocalApi } from './api/server.ts';
import { createDevKeys, type DevKeys, loadDevKeys } from './auth/dev-keys.ts';
import { createEngine, type EngineKind, type LocalEngine } from './engines/index.ts';
import { type Handle, loadFunction } from './invoke/load-function.ts';
import { LocalJobs } from './jobs.ts';
import { type LocalService, ServiceStack } from './stack.ts';

export interface StartOptions {
  readonly config: Config;
  /** Ignored when the configuration names an external endpoint. */
  readonly engine: Exclude<EngineKind, 'external'>;
  readonly inMemory: boolean;
  readonly dataDir: string;
  readonly port: number;
  readonly dbPort: number;
  readonly host?: string;
  readonly seed: { readonly size: SeedSizeName; readonly seed: number } | false;
  /** Fire the cron schedules (tests run jobs only on request). */
  readonly schedule: boolean;
  readonly log: (line: string) => void;
  /** Where the function folders are checked against the catalogue (tests); default src/functions. */
  readonly functionsDir?: string;
}

export interface RunningStack {
  readonly apiUrl: string;
  readonly dynamodbEndpoint: string;
  readonly engine: LocalEngine;
  readonly keys: DevKeys;
  readonly jobs: LocalJobs;
  readonly seeded: boolean;
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
  const { config, log } = options;
  const engine =
    config.dynamodbEndpoint !== undefined
      ? createEngine({ kind: 'external', endpoint: config.dynamodbEndpoint })
      : createEngine({
          kind: options.engine,
          port: options.dbPort,
          ...(options.inMemory ? {} : { path: join(options.dataDir, options.engine) }),
        });
  let connection: ReturnType<typeof connectDynamo> | undefined;
  let keys: DevKeys | undefined;
  let seeded = false;
  // What the functions run with: the stack's configuration and one shared connection.
  let functionConfig = config;
  const handles = new Map<FunctionName, Handle>();
  const load = async (name: FunctionName) => {
    let handle = handles.get(name);
    if (handle === undefined) {
      if (connection === undefined) throw new Error('DynamoDB is not connected');
      const runtime = createRuntime(name, functionConfig, { db: connection.db });
      handle = await loadFunction(name, runtime);
      handles.set(name, handle);
    }
    return handle;
  };
  const jobs = new LocalJobs({ timezone: config.timezone, load, log, schedule: options.schedule });

  const services: LocalService[] = [
    {
      name: `DynamoDB (${engine.kind})`,
      start: async () => {
        await engine.start();
        functionConfig = {
          ...config,
          dynamodbEndpoint: engine.endpoint,
        };
        connection = connectDynamo(functionConfig);
      },
      stop: async () => {
        connection?.close();
        await engine.stop();
      },
    },
    {
      name: 'tables',
      start: async () => {
        if (connection === undefined) throw new Error('DynamoDB is not connected');
        const changes = await createMissingTables(
          connection.client,
          config.tablePrefix,
          Object.values(tables),
        );
        const created = changes.filter((c) => c.action !== 'exists').length;
        log(`tables: ${created} created, ${changes.length - created} already there`);
      },
      stop: async () => {},
    },
    {
      name: 'demo data',
      start: async () => {
        if (connection === undefined || options.seed === false) return;
        let empty = true;
        for await (const page of connection.db.students.pages(
          {},
          { scan: true, pageSize: 1, project: ['id'] },
        )) {
          empty = page.length === 0;
          break;
        }
        if (!empty) return;
        const now = new Date();
        const summary = await writeSeed(connection.db, {
          size: SEED_SIZES[options.seed.size],
          seed: options.seed.seed,
          today: localDate(now, config.timezone),
          timezone: config.timezone,
          notAfter: now,
        });
        seeded = true;
        log(
          `demo data: ${Object.entries(summary.written)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ')}`,
        );
        for (const { name, event } of AFTER_SEED) {
          try {
            await jobs.run(name, event);
          } catch (error) {
            if (!isMissingModule(error)) throw error;
          }
        }
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
      if (keys === undefined) throw new Error('no signing key');
      api = new LocalApi({ port: options.port, host: options.host, keys, load, jobs, log });
      await api.start();
    },
    stop: async () => {
      await api?.stop();
    },
  });

  const stack = new ServiceStack(services, log);
  await stack.start();
  if (api === undefined || keys === undefined) throw new Error('the local stack did not start');
  return {
    apiUrl: api.url,
    dynamodbEndpoint: engine.endpoint,
    engine,
    keys,
    jobs,
    seeded,
    stop: () => stack.stop(),
  };
};
