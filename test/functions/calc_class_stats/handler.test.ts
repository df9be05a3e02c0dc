import { describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { MemoryRepository } from '../../../src/adapters/memory/repository.ts';
import { createHandler as calcAllStats } from '../../../src/functions/calc_all_stats/handler.ts';
import { createHandler } from '../../../src/functions/calc_class_stats/handler.ts';
import { InvalidEventError } from '../../../src/jobs/errors.ts';
import { codecFor, type Entity } from '../../../src/repositories/db.ts';
import { StatsWriteError } from '../../../src/services/stats/errors.ts';
import { tables } from '../../../src/tables/definitions.ts';
import { lambdaContext } from '../../support/events.ts';
import { klass, student } from '../../support/fixtures.ts';
import { testRuntime } from '../../support/runtime.ts';

describe('calc_class_stats handler (and the job frame)', () => {
  it('accepts any scheduled event and honours dry_run', async () => {
    const { db } = createMemoryDb();
    await db.classes.put(klass('c-1'));
    await db.students.put(student('s-1', { class_code: 'c-1' }));
    const handle = createHandler(() => testRuntime(db));
    const dry = await handle({ dry_run: true, source: 'aws.scheduler' });
    expect(dry).toMatchObject({ dry_run: true, updated: 1 });
    expect((await db.classes.find({ code: 'c-1' }))?.stats).toBeUndefined();
    const real = await handle(null);
    expect(real).toMatchObject({ dry_run: false, updated: 1, scanned: 1 });
    expect((await db.classes.find({ code: 'c-1' }))?.stats).toEqual({
      students: 1,
      updated_at: '2026-11-24T16:05:00.000Z',
    });
  });

  it('rejects an event whose options have the wrong type', async () => {
    const { db } = createMemoryDb();
    const handle = calcAllStats(() => testRuntime(db));
    await expect(handle({ dry_run: 'yes' })).rejects.toBeInstanceOf(InvalidEventError);
    await expect(handle({ dry_run: 'yes' })).rejects.toThrow(/dry_run/);
  });

  it('fails the invocation after logging when a write fails, so the scheduler retries', async () => {
    const memory = createMemoryDb();
    await memory.db.classes.put(klass('c-1'));
    class Throttled extends MemoryRepository<Entity<'classes'>, 'code'> {
      override async update(): Promise<void> {
        throw new Error('throttled');
      }
    }
    const broken = {
      ...memory.db,
      classes: new Throttled(tables.classes, codecFor('classes'), memory.raw('classes')),
    };
    const handle = createHandler(() => testRuntime(broken));
    const error = await handle({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatsWriteError);
    expect((error as StatsWriteError).summary).toMatchObject({
      failed: 1,
      warnings: [
        expect.objectContaining({ kind: 'write_failed', message: 'class c-1: throttled' }),
      ],
    });
  });

  it('stops writing when the invocation is nearly out of time, and fails so the retry finishes', async () => {
    const { db } = createMemoryDb();
    await db.classes.putMany([klass('c-1'), klass('c-2')]);
    await db.students.put(student('s-1', { class_code: 'c-1' }));
    const handle = createHandler(() => testRuntime(db));
    const late = { ...lambdaContext('calc_class_stats'), getRemainingTimeInMillis: () => 5_000 };
    const error = await handle({}, late).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatsWriteError);
    expect((error as StatsWriteError).summary).toMatchObject({ out_of_time: 2, updated: 0 });
    expect((await db.classes.find({ code: 'c-1' }))?.stats).toBeUndefined();
    // The scheduler's retry, with time: everything written.
    const plenty = { ...late, getRemainingTimeInMillis: () => 600_000 };
    expect(await handle({}, plenty)).toMatchObject({
      updated: 2,
      out_of_time: 0,
    });
  });
});
