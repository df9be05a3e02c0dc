/**
 * The fault proxy against the real SDK: what it injects is what the SDK sees from
 * DynamoDB, so throttling and 500s are retried (up to the DynamoDB client's 4 attempts),
 * a lost response is retried after the write took effect, and a crash is not retried.
 */
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { when } from '../../src/repositories/condition.ts';
import { ConditionFailedError } from '../../src/repositories/errors.ts';
import { both, FaultProxy, isOperation, onTable } from './fault-proxy.ts';
import { student } from './fixtures.ts';
import { createTestDb, type TestDb } from './test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

let proxy: FaultProxy;
afterEach(() => proxy.stop());

const puts = both(isOperation('PutItem'), onTable('students'));

const attempts = () => proxy.requests.filter(puts).length;

describe('fault proxy', () => {
  it.each(['throttle', 'provisioned', 'internal'] as const)(
    '%s: retried by the SDK, not forwarded',
    async (fault) => {
      proxy = await new FaultProxy({
        target: t.endpoint,
        rules: [{ fault, match: puts, nth: [1, 2] }],
      }).start();
      const db = proxy.db(t.prefix);
      await db.students.put(student(`s-${fault}`));
      expect(attempts()).toBe(3);
      expect(proxy.injected[fault]).toBe(2);
      expect(proxy.requests.filter(puts).map((r) => r.fault ?? r.status)).toEqual([
        fault,
        fault,
        200,
      ]);
      expect(await t.db.students.find({ id: `s-${fault}` })).toBeDefined();
    },
  );

  it("gives up after the DynamoDB client's 4 attempts", async () => {
    proxy = await new FaultProxy({
      target: t.endpoint,
      rules: [{ fault: 'internal', match: puts }],
    }).start();
    const db = proxy.db(t.prefix);
    await expect(db.students.put(student('s-never'))).rejects.toMatchObject({
      name: 'InternalServerError',
      $metadata: { attempts: 4 },
    });
    expect(attempts()).toBe(4);
    expect(proxy.injected.internal).toBe(4);
    expect(await t.db.students.find({ id: 's-never' })).toBeUndefined();
  });

  it.each(['lost', 'lost500'] as const)(
    '%s: the write is applied, then retried; a conditional write then fails its condition',
    async (fault) => {
      proxy = await new FaultProxy({
        target: t.endpoint,
        rules: [{ fault, match: puts, nth: 1 }],
      }).start();
      const db = proxy.db(t.prefix);
      await db.students.put(student(`s-${fault}`));
      expect(attempts()).toBe(2);
      expect(proxy.requests.filter(puts).map((r) => r.status)).toEqual([200, 200]);
      expect(proxy.injected[fault]).toBe(1);

      proxy.reset();
      const write = db.students.put(student(`s-${fault}-once`), {
        condition: when.absent('id'),
      });
      await expect(write).rejects.toBeInstanceOf(ConditionFailedError);
      expect(attempts()).toBe(2);
      expect(await t.db.students.find({ id: `s-${fault}-once` })).toBeDefined();
    },
  );

  it('crash: a client error, not retried; crash-after: the write took effect first', async () => {
    proxy = await new FaultProxy({
      target: t.endpoint,
      rules: [
        { fault: 'crash', match: puts, nth: 1 },
        { fault: 'crash-after', match: puts, nth: 2 },
      ],
    }).start();
    const db = proxy.db(t.prefix);
    await expect(db.students.put(student('s-crash'))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(db.students.put(student('s-crash-after'))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(attempts()).toBe(2);
    expect(await t.db.students.find({ id: 's-crash' })).toBeUndefined();
    expect(await t.db.students.find({ id: 's-crash-after' })).toBeDefined();
    expect(proxy.injected).toMatchObject({ crash: 1, 'crash-after': 1 });
  });

  it('slow: forwarded after a delay and answered as usual; latencyMs holds every request', async () => {
    proxy = await new FaultProxy({
      target: t.endpoint,
      rules: [{ fault: 'slow', match: puts, nth: 1, delayMs: 5 }],
    }).start();
    const db = proxy.db(t.prefix);
    await db.students.put(student('s-slow'));
    expect(proxy.requests.filter(puts).map((r) => [r.fault, r.status])).toEqual([['slow', 200]]);
    expect(proxy.injected.slow).toBe(1);
    expect(await t.db.students.find({ id: 's-slow' })).toBeDefined();
    await proxy.stop();

    // The bench's mode: every request delayed, none kept, all forwarded once.
    proxy = await new FaultProxy({ target: t.endpoint, latencyMs: 2, record: false }).start();
    const quiet = proxy.db(t.prefix);
    await quiet.students.put(student('s-latency'));
    expect(await quiet.students.find({ id: 's-latency' })).toMatchObject({ id: 's-latency' });
    expect(proxy.requests).toEqual([]);
    expect(proxy.forwarded).toBe(2);
  });

  it('draws chances from its seed: the same requests get the same faults', async () => {
    const faultsOf = async (seed: number) => {
      proxy = await new FaultProxy({
        target: t.endpoint,
        seed,
        rules: [{ fault: 'internal', chance: 0.3, match: isOperation('GetItem') }],
      }).start();
      const db = proxy.db(t.prefix);
      for (let i = 0; i < 20; i += 1) await db.students.find({ id: 's-none' });
      const faults = proxy.requests.map((r) => r.fault ?? '-').join(',');
      await proxy.stop();
      return faults;
    };
    const first = await faultsOf(5);
    expect(first).toContain('internal');
    expect(await faultsOf(5)).toBe(first);
    proxy = await new FaultProxy({ target: t.endpoint }).start();
  });

  it('leaves nothing listening once stopped', async () => {
    proxy = await new FaultProxy({ target: t.endpoint }).start();
    const db = proxy.db(t.prefix);
    await db.students.find({ id: 's-none' });
    const { port } = new URL(proxy.endpoint);
    await proxy.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    proxy = await new FaultProxy({ target: t.endpoint }).start();
  });
});
