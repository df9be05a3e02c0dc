import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../src/adapters/dynamodb/client.ts';
import { createDynamoDb } from '../../../src/adapters/dynamodb/db.ts';
import { Ddb } from '../../../src/adapters/dynamodb/ddb.ts';
import { countRequests } from '../../../src/adapters/dynamodb/request-metrics.ts';
import { student } from '../../support/fixtures.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

describe('request metrics', () => {
  it('counts each request once, by command, with the capacity it consumed', async () => {
    const doc = createDocumentClient(t.client);
    const counter = countRequests(doc);
    const db = createDynamoDb(new Ddb(doc), t.prefix);
    await db.students.putMany(
      Array.from({ length: 30 }, (_, i) => student(`m-${i}`, { class_code: 'mc' })),
    );
    await db.students.get({ class_code: 'mc' });
    await db.students.find({ id: 'm-1' });
    const snapshot = counter.snapshot();
    expect(snapshot.byCommand).toEqual({
      BatchWriteItemCommand: 2,
      QueryCommand: 1,
      GetItemCommand: 1,
    });
    expect(snapshot.requests).toBe(4);
    expect(snapshot.writes).toBe(2);
    expect(snapshot.writeCapacity).toBeGreaterThanOrEqual(30);
    expect(snapshot.readCapacity).toBeGreaterThan(0);
    counter.reset();
    expect(counter.total()).toBe(0);
  });
});
