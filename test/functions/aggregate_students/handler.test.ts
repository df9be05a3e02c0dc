import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { MemoryRepository } from '../../../src/adapters/memory/repository.ts';
import { createHandler as createAggregateStudentsHandler } from '../../../src/functions/aggregate_students/handler.ts';
import { InvalidEventError } from '../../../src/jobs/errors.ts';
import { codecFor, type Db, type Entity } from '../../../src/repositories/db.ts';
import { AggregateRunError } from '../../../src/services/aggregates/errors.ts';
import { tables } from '../../../src/tables/definitions.ts';
import { answer, module, student } from '../../support/fixtures.ts';
import { testRuntime } from '../../support/runtime.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** s-1 answered (and is marked), s-2 never did. */
const seeded = async () => {
  const memory = createMemoryDb();
  const { db } = memory;
  await db.modules.put(module('m-1'));
  await db.students.putMany([student('s-1', { parent_ids: ['p-1'] }), student('s-2')]);
  await db.answers.put(answer('s-1', 'm-1', 'a-1'));
  await db.student_marks.put({
    student_id: 's-1',
    token: 't-1',
    marked_at: '2026-11-20T01:02:04.000Z',
  });
  return memory;
};

describe('aggregate_students handler', () => {
  it('runs incremental by default, full on { mode: "full" }, and honours dry_run', async () => {
    const { db } = await seeded();
    const handle = createAggregateStudentsHandler(() => testRuntime(db));
    const dry = await handle({ 'detail-type': 'Scheduled Event', dry_run: true, mode: 'full' });
    expect(dry).toMatchObject({ mode: 'full', dry_run: true, scanned: 2, updated: 2 });
    expect(await db.student_progress.get({}, { scan: true })).toEqual([]);

    // testRuntime's clock: 2026-11-24T16:05Z, 00:05 on 11-25 in the default zone.
    const incremental = await handle({ mode: 'incremental' });
    expect(incremental).toMatchObject({ mode: 'incremental', today: '2026-11-25', scanned: 1 });
    expect(await db.student_progress.find({ student_id: 's-1' })).toMatchObject({
      attempts: 1,
      updated_at: '2026-11-24T16:05:00.000Z',
    });
    expect(await handle(null)).toMatchObject({ scanned: 0 });
    expect(await handle({ mode: 'full' })).toMatchObject({ scanned: 2, updated: 1, unchanged: 1 });
  });

  it('uses LMS_TIMEZONE for the day of the run', async () => {
    const { db } = await seeded();
    const handle = createAggregateStudentsHandler(() =>
      testRuntime(db, { env: { LMS_TIMEZONE: 'America/New_York' } }),
    );
    expect(await handle({})).toMatchObject({ today: '2026-11-24', time_zone: 'America/New_York' });
  });

  it('rejects an unknown mode or a mistyped option before doing anything', async () => {
    const { db } = await seeded();
    const handle = createAggregateStudentsHandler(() => testRuntime(db));
    await expect(handle({ mode: 'everything' })).rejects.toBeInstanceOf(InvalidEventError);
    await expect(handle({ dry_run: 'yes' })).rejects.toThrow(/dry_run/);
    expect(await db.student_marks.get({}, { scan: true })).toHaveLength(1);
  });

  it('logs the summary, and fails the invocation after logging when a student failed', async () => {
    const memory = await seeded();
    class Throttled extends MemoryRepository<Entity<'student_progress'>, 'student_id'> {
      override async put(): Promise<void> {
        throw new Error('throttled');
      }
    }
    const broken: Db = {
      ...memory.db,
      student_progress: new Throttled(
        tables.student_progress,
        codecFor('student_progress'),
        memory.raw('student_progress'),
      ),
    };
    const lines: string[] = [];
    // Powertools writes ERROR lines to stderr, the others to stdout.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const runtime = {
      ...testRuntime(broken),
      logger: new Logger({ serviceName: 'aggregate_students', logLevel: 'INFO' }),
    };
    const error = await createAggregateStudentsHandler(() => runtime)({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateRunError);
    expect(error).toMatchObject({
      code: 'AGGREGATE_FAILED',
      summary: { failed: 1, warnings: [{ kind: 'failed', message: 'student s-1: throttled' }] },
    });
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'aggregate_students run failed',
        summary: expect.objectContaining({ failed: 1 }),
      }),
    ]);
    // The student stays marked for the retry.
    expect(await memory.db.student_marks.find({ student_id: 's-1' })).toBeDefined();

    lines.length = 0;
    const ok = { ...runtime, db: memory.db };
    await createAggregateStudentsHandler(() => ok)({});
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'aggregate_students run',
        summary: expect.objectContaining({ job: 'aggregate_students', updated: 1 }),
      }),
    ]);
  });
});
