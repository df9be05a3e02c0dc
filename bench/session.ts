/**
 * One engine of a bench run, started fresh, its tables created, and the context the
 * scenarios run in: DynamoDB engines (`dynalite`, `dynamodb-local`) in a process of their
 * own (bench/engine-process.ts), PostgreSQL engines (`postgres`: Debian's server as a child
 * process; `pglite`: PGlite inside this process) through the adapter's own pool.
 */
import { createDocumentClient, createDynamoClient } from '../src/adapters/dynamodb/client.ts';
import { createDynamoDb } from '../src/adapters/dynamodb/db.ts';
import { Ddb } from '../src/adapters/dynamodb/ddb.ts';
import { countRequests } from '../src/adapters/dynamodb/request-metrics.ts';
import { createMissingTables } from '../src/adapters/dynamodb/tables.ts';
import { createPostgresDb } from '../src/adapters/postgres/db.ts';
import { migrate } from '../src/adapters/postgres/migrations.ts';
import { createPool } from '../src/adapters/postgres/pg.ts';
import { schemaFor } from '../src/adapters/postgres/sql.ts';
import { createPostgresEngine, isPostgresEngineKind } from '../src/local/postgres/index.ts';
import type { SeedPlan } from '../src/seed/generate.ts';
import { tables } from '../src/tables/definitions.ts';
import type { BenchContext } from './context.ts';
import { startBenchEngine } from './engine.ts';
import { CountingPg } from './pg-counter.ts';

export const BENCH_ENGINES = ['dynalite', 'dynamodb-local', 'postgres', 'pglite'] as const;

/** The pool of a command or the local stack (`poolSizeFor` outside Lambda): ten connections. */
const POOL_SIZE = 10;

export interface Session {
  readonly context: BenchContext;
  close(): Promise<void>;
}

export interface SessionOptions {
  readonly plan: SeedPlan;
  readonly repetitions: number;
  readonly log: (line: string) => void;
}

const PREFIX = 'bench-';

export const openSession = async (engine: string, options: SessionOptions): Promise<Session> => {
  if (isPostgresEngineKind(engine)) {
    // Without fsync, as dynalite keeps its data in memory: a benchmark of the port's
    // statements, not of this machine's disk (every variant writes the same rows either way).
    const server = createPostgresEngine({ kind: engine, unsafeNoFsync: true, maxConnections: 50 });
    await server.start();
    const pg = new CountingPg(createPool({ connectionString: server.databaseUrl, max: POOL_SIZE }));
    try {
      const schema = schemaFor(PREFIX);
      await migrate(pg, schema);
      return {
        context: {
          engine,
          db: createPostgresDb(pg, PREFIX),
          prefix: PREFIX,
          enginePid: server.pid,
          counter: pg.counter(),
          ...options,
          postgres: { pg, schema, databaseUrl: server.databaseUrl },
        },
        close: async () => {
          await pg.close();
          await server.stop();
        },
      };
    } catch (error) {
      await pg.close();
      await server.stop();
      throw error;
    }
  }
  const child = await startBenchEngine(engine);
  const client = createDynamoClient({ endpoint: child.endpoint });
  const doc = createDocumentClient(client);
  const close = async () => {
    doc.destroy();
    client.destroy();
    await child.stop();
  };
  try {
    const counter = countRequests(doc);
    const ddb = new Ddb(doc);
    await createMissingTables(client, PREFIX, Object.values(tables));
    return {
      context: {
        engine,
        db: createDynamoDb(ddb, PREFIX),
        prefix: PREFIX,
        enginePid: child.pid,
        counter,
        ...options,
        dynamo: { ddb, client, endpoint: child.endpoint },
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};
