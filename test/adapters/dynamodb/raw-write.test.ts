import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributeMap } from '../../../src/adapters/dynamodb/item-json.ts';
import { isTableEmpty, scanRawPages } from '../../../src/adapters/dynamodb/raw-scan.ts';
import { putRawBatch } from '../../../src/adapters/dynamodb/raw-write.ts';
import { defaultRetryPolicy } from '../../../src/lib/backoff.ts';
import { InvalidRequestError, UnprocessedItemsError } from '../../../src/repositories/errors.ts';
import { physicalName, tables } from '../../../src/tables/definitions.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const noWait = { ...defaultRetryPolicy, sleep: async () => {}, maxAttempts: 4 };
const modules = () => physicalName(t.prefix, tables.modules);
const parents = () => physicalName(t.prefix, tables.parents);

/**
 * The low-level client, except that each BatchWriteItem holds back the writes `hold`
 * picks, reporting them unprocessed as DynamoDB does under throttling.
 */
const holdingClient = (client: DynamoDBClient, hold: (id: string, call: number) => boolean) => {
  const original = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  let calls = 0;
  const send = async (command: unknown) => {
    if (!(command instanceof BatchWriteItemCommand)) return original(command);
    calls += 1;
    const held: Record<string, WriteRequest[]> = {};
    const passed: Record<string, WriteRequest[]> = {};
    for (const [table, writes] of Object.entries(command.input.RequestItems ?? {})) {
      for (const write of writes) {
        const id = write.PutRequest?.Item?.id?.S ?? '';
        const bucket = hold(id, calls) ? held : passed;
        bucket[table] = [...(bucket[table] ?? []), write];
      }
    }
    if (Object.keys(passed).length > 0) {
      await original(new BatchWriteItemCommand({ RequestItems: passed }));
    }
    return { $metadata: {}, UnprocessedItems: held };
  };
  const wrapped = new Proxy(client, {
    get: (target, property, receiver) =>
      property === 'send' ? send : Reflect.get(target, property, receiver),
  });
  return { client: wrapped, calls: () => calls };
};

const moduleItem = (id: string): AttributeMap => ({
  id: { S: id },
  title: { S: `Module ${id}` },
  words: { L: [{ S: 'apple' }] },
  weight: { N: '98765432109876543210.5' },
});

const scanAll = async (tableName: string, segments?: number) => {
  const items: AttributeMap[] = [];
  for await (const page of scanRawPages(t.client, tableName, { pageSize: 7, segments })) {
    items.push(...page);
  }
  return items.sort((a, b) => (a.id?.S ?? '').localeCompare(b.id?.S ?? ''));
};

describe('putRawBatch', () => {
  it('writes AttributeValue maps as they are, numbers beyond 2^53 included', async () => {
    const items = Array.from({ length: 25 }, (_, i) =>
      moduleItem(`m-${String(i).padStart(2, '0')}`),
    );
    await putRawBatch(t.client, modules(), items, { retry: noWait, keyAttributes: ['id'] });
    expect(await scanAll(modules())).toEqual(items);
  });

  it('retries the unprocessed part until everything is written', async () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      id: { S: `p-${i}` },
      name: { S: `Parent ${i}` },
    }));
    // Odd parents are held back on the first two calls.
    const faulty = holdingClient(
      t.client,
      (id, call) => call <= 2 && Number(id.slice(2)) % 2 === 1,
    );
    await putRawBatch(faulty.client, parents(), items, { retry: noWait, keyAttributes: ['id'] });
    expect(faulty.calls()).toBe(3);
    expect((await scanAll(parents())).map((item) => item.id?.S)).toEqual(items.map((i) => i.id.S));
  });

  it('fails after the last attempt, naming every key it could not write', async () => {
    const faulty = holdingClient(t.client, (id) => id === 'p-stuck');
    const error = await putRawBatch(
      faulty.client,
      parents(),
      [{ id: { S: 'p-ok' } }, { id: { S: 'p-stuck' } }],
      { retry: noWait, keyAttributes: ['id'] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedItemsError);
    expect(error).toMatchObject({ keys: [{ id: 'p-stuck' }], attempts: 4, operation: 'write' });
    expect(faulty.calls()).toBe(4);
  });

  it('refuses more than 25 items in one batch', async () => {
    const items = Array.from({ length: 26 }, (_, i) => moduleItem(`x-${i}`));
    await expect(
      putRawBatch(t.client, modules(), items, { retry: noWait, keyAttributes: ['id'] }),
    ).rejects.toThrow(InvalidRequestError);
  });
});

describe('scanRawPages and isTableEmpty', () => {
  it('reads every item once across pages and segments', async () => {
    const sequential = await scanAll(modules());
    expect(sequential.length).toBeGreaterThanOrEqual(25);
    expect(await scanAll(modules(), 3)).toEqual(sequential);
  });

  it('tells an empty table from one with a single item', async () => {
    const marks = physicalName(t.prefix, tables.student_marks);
    expect(await isTableEmpty(t.client, marks)).toBe(true);
    await t.client.send(
      new PutItemCommand({ TableName: marks, Item: { student_id: { S: 's-1' } } }),
    );
    expect(await isTableEmpty(t.client, marks)).toBe(false);
  });
});
