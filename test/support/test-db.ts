import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, inject } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../src/adapters/dynamodb/client.ts';
import { createDynamoDb } from '../../src/adapters/dynamodb/db.ts';
import { Ddb, type DdbOptions } from '../../src/adapters/dynamodb/ddb.ts';
import { createMissingTables, deleteTables } from '../../src/adapters/dynamodb/tables.ts';
import type { Db } from '../../src/repositories/db.ts';
import { tables } from '../../src/tables/definitions.ts';

export interface TestDb {
  readonly endpoint: string;
  readonly engine: string;
  /** This file's own table prefix. */
  readonly prefix: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly ddb: Ddb;
  readonly db: Db;
  /** Deletes this file's tables and closes the clients. */
  readonly destroy: () => Promise<void>;
}

/**
 * A unique table prefix for one test file: the file's name plus random bytes, so files
 * running in parallel (and reruns against a persisted engine) never share a table.
 */
export const uniquePrefix = (fileUrl: string): string => {
  const name = basename(fileURLToPath(fileUrl), '.test.ts').replace(/[^A-Za-z0-9_.-]/g, '-');
  return `t-${name}-${randomBytes(4).toString('hex')}-`;
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
  const endpoint = inject('dynamodbEndpoint');
  const prefix = uniquePrefix(fileUrl);
  const client = createDynamoClient({ endpoint });
  const doc = createDocumentClient(client);
  await createMissingTables(client, prefix, Object.values(tables));
  const ddb = new Ddb(doc, options);
  return {
    endpoint,
    engine: inject('dynamodbEngine'),
    prefix,
    client,
    doc,
    ddb,
    db: createDynamoDb(ddb, prefix),
    destroy: async () => {
      await deleteTables(client, prefix, Object.values(tables));
      doc.destroy();
      client.destroy();
    },
  };
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
