/**
 * The server's clock through a real engine's `Date` header, and the refusal of a machine
 * whose clock is minutes off (`lms aggregate` checks it before it runs a job).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerClock } from '../../../src/adapters/dynamodb/server-clock.ts';
import { assertClockAgrees, ClockSkewError } from '../../../src/lib/clock-skew.ts';
import { physicalName, tables } from '../../../src/tables/definitions.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(async () => {
  await t.destroy();
});

const read = (offsetMs: number) =>
  readServerClock(t.client, physicalName(t.prefix, tables.jobs), () => {
    return new Date(Date.now() + offsetMs);
  });

describe('readServerClock', () => {
  it("reads the engine's Date around one request; a clock that agrees passes", async () => {
    const reading = await read(0);
    expect(reading).toBeDefined();
    expect(() => assertClockAgrees(reading, 'lms aggregate students')).not.toThrow();
  });

  it.each([
    ['two minutes fast', 120_000, /at least 1[12]\d s ahead of AWS's/],
    ['two minutes slow', -120_000, /at least 1[12]\d s behind AWS's/],
  ])('refuses a machine whose clock is %s, naming the fix', async (_label, offset, message) => {
    const reading = await read(offset);
    expect(() => assertClockAgrees(reading, 'lms aggregate students')).toThrow(ClockSkewError);
    expect(() => assertClockAgrees(reading, 'lms aggregate students')).toThrow(message);
    expect(() => assertClockAgrees(reading, 'lms aggregate students')).toThrow(/NTP/);
  });
});
