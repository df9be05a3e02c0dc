import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterEach, inject } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../src/adapters/dynamodb/client.ts';
import { createDynamoDb } from '../../src/adapters/dynamodb/db.ts';
import { Ddb, type DdbOptions } from '../../src/adapters/dynamodb/ddb.ts';
import { createMissingTables, deleteTables } from '../../src/adapters/dynamodb/tables.ts';
import { connectPostgres } from '../../src/adapters/postgres/connect.ts';
import { ITEM } from '../../src/adapters/postgres/layout.ts';
import { dropSchema, migrate } from '../../src/adapters/postgres/migrations.ts';
import type { Pg } from '../../src/adapters/postgres/pg.ts';
import { qualified } from '../../src/adapters/postgres/sql.ts';
import { putManyStatement, target } from '../../src/adapters/postgres/statements.ts';
import { isRecord } from '../../src/lib/is-record.ts';
import type { Db } from '../../src/repositories/db.ts';
import { physicalName, type TableName, tables } from '../../src/tables/definitions.ts';

/** The engines a run may use: DynamoDB's (dynalite, DynamoDB Local, an endpoint) or PostgreSQL's. */
export type TestEngine = 'dynalite' | 'dynamodb-local' | 'external' | 'postgres' | 'pglite';

/** Whether the run's engine is a PostgreSQL (`LMS_TEST_ENGINE=postgres|pglite`). */
export const onPostgres = (): boolean => inject('databaseUrl') !== '';

export interface TestDb {
  readonly engine: string;
  /** This file's own table prefix (a schema of its own on PostgreSQL). */
  readonly prefix: string;
  readonly db: Db;
  /**
   * What a process needs to reach these tables (`DYNAMODB_ENDPOINT` or `DATABASE_URL`,
   * and `LMS_TABLE_PREFIX`): for `lms` commands, handlers' configurations, the local stack.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stores an item exactly as given, unvalidated (what the LMS app might have written). */
  readonly plant: (table: TableName, item: Record<string, unknown>) => Promise<void>;
  /** Every stored item of a table, as stored (unvalidated). */
  readonly rawItems: (table: TableName) => Promise<Record<string, unknown>[]>;
  /** Deletes this file's tables and closes the clients. */
  readonly destroy: () => Promise<void>;
  /** The DynamoDB side (undefined on PostgreSQL): for tests of the DynamoDB adapter itself. */
  readonly dynamo: DynamoSide | undefined;
  /** The PostgreSQL side (undefined on DynamoDB). */
  readonly postgres: PostgresSide | undefined;
  /** The DynamoDB endpoint; throws on PostgreSQL (use `env`). */
  readonly endpoint: string;
  /** DynamoDB's clients; each throws on PostgreSQL (use `db`, `plant`, `rawItems`). */
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly ddb: Ddb;
}

export interface DynamoSide {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly ddb: Ddb;
}

export interface PostgresSide {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly pg: Pg;
}

/**
 * A unique table prefix for one test file: the file's name plus random bytes, so files
 * running in parallel (and reruns against a persisted engine) never share a table. At most
 * 63 bytes: on PostgreSQL the prefix is a schema's name.
 */
export const uniquePrefix = (fileUrl: string): string => {
  const name = basename(fileURLToPath(fileUrl), '.test.ts')
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 40);
  return `t-${name}-${randomBytes(4).toString('hex')}-`;
};

const dynamoOnly = (what: string): never => {
  throw new Error(
    `${what} is DynamoDB's, and this run's engine is PostgreSQL: reach the tables through t.db, t.plant and t.rawItems, or list the file in DYNAMODB_ONLY_TESTS (test/support/engine-independent.ts)`,
  );
};

/** The run's database: the provided DynamoDB endpoint or PostgreSQL URL. */
const createDynamoTestDb = async (prefix: string, options: DdbOptions): Promise<TestDb> => {
  const endpoint = inject('dynamodbEndpoint');
  const client = createDynamoClient({ endpoint });
  const doc = createDocumentClient(client);
  await createMissingTables(client, prefix, Object.values(tables));
  const ddb = new Ddb(doc, options);
  return {
    engine: inject('dynamodbEngine'),
    prefix,
    db: createDynamoDb(ddb, prefix),
    env: { DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'local', LMS_TABLE_PREFIX: prefix },
    plant: async (table, item) => {
      await doc.send(
        new PutCommand({ TableName: physicalName(prefix, tables[table]), Item: item }),
      );
    },
    rawItems: async (table) => {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateScan(
        { client: doc },
        { TableName: physicalName(prefix, tables[table]), ConsistentRead: true },
      )) {
        items.push(...(page.Items ?? []));
      }
      return items;
    },
    destroy: async () => {
      await deleteTables(client, prefix, Object.values(tables));
      doc.destroy();
      client.destroy();
    },
    dynamo: { endpoint, client, doc, ddb },
    postgres: undefined,
    endpoint,
    client,
    doc,
    ddb,
  };
};

const createPostgresTestDb = async (prefix: string): Promise<TestDb> => {
  const databaseUrl = inject('databaseUrl');
  const connection = connectPostgres({ databaseUrl, tablePrefix: prefix });
  const { pg, schema } = connection;
  await migrate(pg, schema);
  return {
    engine: inject('dynamodbEngine'),
    prefix,
    db: connection.db,
    env: { DATABASE_URL: databaseUrl, LMS_TABLE_PREFIX: prefix },
    // Over whatever is stored under the key, as DynamoDB's PutItem: the adapter's own upsert
    // statement, which writes the item as it is (no entity schema in the way).
    plant: async (table, item) => {
      await pg.query(putManyStatement(target(schema, tables[table]), [item]));
    },
    rawItems: async (table) => {
      const { rows } = await pg.query<{ item: unknown }>({
        text: `SELECT ${ITEM} AS item FROM ${qualified(schema, table)}`,
        values: [],
      });
      return rows.map((row) => (isRecord(row.item) ? row.item : { item: row.item }));
    },
    destroy: async () => {
      await dropSchema(pg, schema);
      await connection.close();
    },
    dynamo: undefined,
    postgres: { databaseUrl, schema, pg },
    get endpoint(): string {
      return dynamoOnly('t.endpoint');
    },
    get client(): DynamoDBClient {
      return dynamoOnly('t.client');
    },
    get doc(): DynamoDBDocumentClient {
      return dynamoOnly('t.doc');
    },
    get ddb(): Ddb {
      return dynamoOnly('t.ddb');
    },
  };
};

/**
 * Every table of the definitions, under a prefix of this file's own, on the run's engine.
 *
 * @example
 * ```ts
 * let t: TestDb;
 * beforeAll(async () => { t = await createTestDb(import.meta.url); });
 * afterAll(() => t.destroy());
 * ```
 */
export const createTestDb = async (fileUrl: string, options: DdbOptions = {}): Promise<TestDb> => {
  const prefix = uniquePrefix(fileUrl);
  return onPostgres() ? createPostgresTestDb(prefix) : createDynamoTestDb(prefix, options);
};

/**
 * For files whose tests each need empty tables: a fresh {@link TestDb} per call, all of
 * them destroyed after each test.
 *
 * @example
 * ```ts
 * const freshDb = useFreshTestDbs(import.meta.url);
 * it('...', async () => { const t = await freshDb(); ... });
 * ```
 */
export const useFreshTestDbs = (fileUrl: string): (() => Promise<TestDb>) => {
  const opened: TestDb[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((t) => t.destroy()));
  });
  return async () => {
    const t = await createTestDb(fileUrl);
    opened.push(t);
    return t;
  };
};
