import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDb } from '../../../src/adapters/dynamodb/db.ts';
import { Ddb } from '../../../src/adapters/dynamodb/ddb.ts';
import { queryParams, scanParams } from '../../../src/adapters/dynamodb/params.ts';
import { UnprocessedItemsError } from '../../../src/repositories/errors.ts';
import { physicalName, tables } from '../../../src/tables/definitions.ts';
import { faultyClient } from '../../support/faulty-client.ts';
import { module, student } from '../../support/fixtures.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
const noWait = { sleep: async () => {}, maxAttempts: 6 };

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const collect = async <T>(pages: AsyncIterable<T[]>): Promise<T[][]> => {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
};

describe('a result set larger than 1 MB', () => {
  // 300 modules of about 8 KB each: about 2.4 MB, so DynamoDB must page (1 MB a page).
  const big = Array.from({ length: 300 }, (_, i) =>
    module(`big-${String(i).padStart(3, '0')}`, {
      words: Array.from({ length: 40 }, (_, w) => `${w}-${'x'.repeat(200)}`),
    }),
  );

  beforeAll(async () => {
    await t.db.modules.putMany(big);
  });

  it('is read in several pages, every item exactly once', async () => {
    const pages = await collect(t.db.modules.pages({}, { scan: true }));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const ids = pages.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(300);
    expect(ids.sort()).toEqual(big.map((m) => m.id));
  });

  it('is counted across pages', async () => {
    expect(await t.db.modules.count({}, { scan: true })).toBe(300);
  });

  it('is read in parallel segments without loss or repetition', async () => {
    const tableName = physicalName(t.prefix, tables.modules);
    const pages = await collect(t.ddb.scan(scanParams(tableName, {}, { project: ['id'] }), 4));
    const ids = pages.flat().map((item) => item.id);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    expect(await t.db.modules.count({}, { scan: true, segments: 3 })).toBe(300);
  });
});

describe('a page size', () => {
  it("pages a query and a count by Limit, and leaves the caller's params as built", async () => {
    await t.db.students.putMany(
      Array.from({ length: 7 }, (_, i) => student(`ps-${i}`, { class_code: 'ps' })),
    );
    const { client, count } = faultyClient(t.doc);
    const ddb = new Ddb(client);
    const path = {
      kind: 'query',
      index: tables.students.indexes[0],
      partition: { attribute: 'class_code', value: 'ps' },
      sort: undefined,
      filter: {},
    } as const;
    const tableName = physicalName(t.prefix, tables.students);
    const params = queryParams(tableName, path, { project: ['id'], pageSize: 3 });
    const built = structuredClone(params);
    const pages = await collect(ddb.query(params));
    // 3 + 3 + 1; DynamoDB may add an empty last page after a full one.
    expect(pages.flat()).toHaveLength(7);
    expect(pages.slice(0, 3).map((page) => page.length)).toEqual([3, 3, 1]);
    expect(params).toEqual(built);
    const counting = queryParams(tableName, path, { countOnly: true, pageSize: 2 });
    expect(await ddb.countQuery(counting)).toBe(7);
    expect(count('QueryCommand')).toBeGreaterThanOrEqual(3 + 4);
  });
});

describe('projections', () => {
  it('are applied by the engine: the response holds only the projected attributes', async () => {
    await t.db.students.putMany([
      student('pj-1', { class_code: 'pj', name: 'Ann' }),
      student('pj-2', { class_code: 'pj', name: 'Bob' }),
    ]);
    const { client, recorded } = faultyClient(t.doc);
    const ddb = new Ddb(client);
    const params = queryParams(
      physicalName(t.prefix, tables.students),
      {
        kind: 'query',
        index: tables.students.indexes[0],
        partition: { attribute: 'class_code', value: 'pj' },
        sort: undefined,
        filter: {},
      },
      { project: ['id', 'name'] },
    );
    const pages = await collect(ddb.query(params));
    expect(pages.flat().map((item) => Object.keys(item).sort())).toEqual([
      ['id', 'name'],
      ['id', 'name'],
    ]);
    const response = recorded[0]?.output as { Items: Record<string, unknown>[] };
    for (const item of response.Items) expect(item).not.toHaveProperty('class_code');
    expect(JSON.stringify(recorded[0]?.input)).not.toMatch(/ProjectionExpression":"[^"]*name/);
  });
});

describe('unprocessed items and keys', () => {
  it('retries unprocessed writes with backoff until every item is written', async () => {
    const delays: number[] = [];
    // Hold back every other write for the first five calls, as a throttled table would.
    const { client, recorded } = faultyClient(t.doc, {
      holdWrite: (write, call) =>
        call <= 5 && String(write.PutRequest?.Item?.id ?? '').endsWith('1'),
    });
    const db = createDynamoDb(
      new Ddb(client, {
        retry: { sleep: async (ms) => void delays.push(ms) },
        batchConcurrency: 1,
      }),
      t.prefix,
    );
    const items = Array.from({ length: 60 }, (_, i) => student(`uw-${i}`, { class_code: 'uw' }));
    await db.students.putMany(items);
    expect(await t.db.students.count({ class_code: 'uw' })).toBe(60);
    const writes = recorded.filter((r) => r.name === 'BatchWriteCommand');
    expect(writes.length).toBeGreaterThan(3); // 3 batches of 25 plus retries
    expect(delays.length).toBe(writes.length - 3);
  });

  it('names every item still unprocessed after the last attempt, and writes all the others', async () => {
    const { client } = faultyClient(t.doc, {
      holdWrite: (write) => String(write.PutRequest?.Item?.id ?? '').startsWith('stuck-'),
    });
    const db = createDynamoDb(new Ddb(client, { retry: noWait }), t.prefix);
    const items = [
      ...Array.from({ length: 30 }, (_, i) => student(`ok-${i}`, { class_code: 'stuck' })),
      student('stuck-a', { class_code: 'stuck' }),
      student('stuck-b', { class_code: 'stuck' }),
    ];
    const error = await db.students.putMany(items).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedItemsError);
    const unprocessed = error as UnprocessedItemsError;
    expect(unprocessed.code).toBe('UNPROCESSED_ITEMS');
    expect(unprocessed.keys).toEqual(
      expect.arrayContaining([{ id: 'stuck-a' }, { id: 'stuck-b' }]),
    );
    expect(unprocessed.keys).toHaveLength(2);
    expect(unprocessed.attempts).toBe(6);
    expect(unprocessed.message).toContain('stuck-a');
    const stored = await t.db.students.get({ class_code: 'stuck' }, { project: ['id'] });
    expect(stored.map((s) => s.id).sort()).toEqual(
      items
        .slice(0, 30)
        .map((s) => s.id)
        .sort(),
    );
  });

  it('retries unprocessed keys of a batch get until every item is read', async () => {
    const items = Array.from({ length: 120 }, (_, i) => student(`ug-${i}`, { class_code: 'ug' }));
    await t.db.students.putMany(items);
    const { client, recorded } = faultyClient(t.doc, {
      holdKey: (key, call) => call <= 4 && String(key.id).endsWith('7'),
    });
    const db = createDynamoDb(new Ddb(client, { retry: noWait, batchConcurrency: 1 }), t.prefix);
    const found = await db.students.findMany(items.map((s) => ({ id: s.id })));
    expect(found.map((s) => s.id).sort()).toEqual(items.map((s) => s.id).sort());
    expect(recorded.filter((r) => r.name === 'BatchGetCommand').length).toBeGreaterThan(2);
  });

  it('fails a batch get that never completes, naming the keys', async () => {
    const { client } = faultyClient(t.doc, { holdKey: (key) => key.id === 'ug-3' });
    const db = createDynamoDb(new Ddb(client, { retry: noWait }), t.prefix);
    const error = await db.students
      .findMany([{ id: 'ug-1' }, { id: 'ug-3' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedItemsError);
    expect((error as UnprocessedItemsError).keys).toEqual([{ id: 'ug-3' }]);
  });
});
