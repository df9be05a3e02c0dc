/**
 * Answers that do not validate (an import from the old system: `correct: "yes"`, an
 * `answered_at` that is no instant), put RAW into the engine past every schema, then
 * aggregated: left out by the fold and by the rebuild alike, named in the run's warnings,
 * never a failed student.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordedKey } from '../../../../src/entities/answer.ts';
import { createHandler as createAggregateStudentsHandler } from '../../../../src/functions/aggregate_students/handler.ts';
import type { Db } from '../../../../src/repositories/db.ts';
import { aggregateStudents } from '../../../../src/services/aggregates/aggregate-students.ts';
import { MODULE_WORDS, TIME_ZONE, TODAY } from '../../../domain/progress/hand-example.ts';
import { student } from '../../../support/fixtures.ts';
import { captureLogLines } from '../../../support/log-lines.ts';
import { testRuntime } from '../../../support/runtime.ts';
import { type TestDb, useFreshTestDbs } from '../../../support/test-db.ts';
import { expectedProgress } from '../oracle.ts';
import { handAnswers, noonOf, record, storedProgress, storeHandModules } from '../support.ts';

const freshDb = useFreshTestDbs(import.meta.url);
afterEach(() => {
  vi.restoreAllMocks();
});

const NOON = noonOf(TODAY).getTime();
const minutes = (n: number) => new Date(NOON + n * 60_000);

const run = (db: Db, at: Date, mode: 'incremental' | 'full' = 'incremental') =>
  aggregateStudents(db, { timeZone: TIME_ZONE, now: () => at, settleMs: 0, mode });

/** An answer of s-1 as the old system's import wrote it, recorded at `recordedAt`. */
const putInvalid = async (
  t: TestDb,
  answerId: string,
  recordedAt: Date,
  wrong: Record<string, unknown>,
) => {
  const answerKey = `m-1#${answerId}`;
  const recordedIso = recordedAt.toISOString();
  await t.plant('answers', {
    student_id: 's-1',
    answer_key: answerKey,
    answer_id: answerId,
    module_id: 'm-1',
    word: 'apple',
    correct: true,
    answered_at: '2026-11-24T01:00:00.000Z',
    recorded_at: recordedIso,
    recorded_key: recordedKey(recordedIso, answerKey),
    ...wrong,
  });
};

/** The two invalid answers, each named by its key and what is wrong with it. */
const invalidWarnings = [
  {
    kind: 'invalid_item',
    message: expect.stringMatching(/"answer_key":"m-1#old-yes".*correct/),
  },
  {
    kind: 'invalid_item',
    message: expect.stringMatching(/"answer_key":"m-1#old-garbage".*answered_at/),
  },
];

/** The progress the valid answers alone give. */
const fromValidAnswers = () => expectedProgress('s-1', handAnswers, MODULE_WORDS, TODAY, TIME_ZONE);

/** s-1 with the hand example's answers and one answer whose `correct` is "yes". */
const seeded = async () => {
  const t = await freshDb();
  await storeHandModules(t.db);
  await t.db.students.put(student('s-1'));
  await record(t.db, handAnswers, minutes(-60));
  await putInvalid(t, 'old-yes', minutes(-60), { correct: 'yes' });
  return t;
};

describe('answers that do not validate', () => {
  it('are left out by the fold and passed by its watermark; the full rebuild leaves out the same', async () => {
    const t = await freshDb();
    await storeHandModules(t.db);
    await t.db.students.put(student('s-1'));
    // A state first (the first run rebuilds), so that the next run folds.
    await record(t.db, handAnswers.slice(0, 6), minutes(-120));
    expect(await run(t.db, minutes(-90))).toMatchObject({ rebuilt: 1, failed: 0 });

    // New answers: one invalid among them, one after the last valid one.
    await putInvalid(t, 'old-yes', minutes(-70), { correct: 'yes' });
    await record(t.db, handAnswers.slice(6), minutes(-60));
    await putInvalid(t, 'old-garbage', minutes(-30), { answered_at: 'garbage' });
    const folded = await run(t.db, minutes(0));
    expect(folded).toMatchObject({
      scanned: 1,
      updated: 1,
      failed: 0,
      rebuilt: 0,
      marks_cleared: 1,
      answers_read: 8,
      warnings_total: 2,
    });
    expect(folded.warnings).toEqual(expect.arrayContaining(invalidWarnings));
    expect((await storedProgress(t.db)).get('s-1')).toEqual(fromValidAnswers());

    // Marked again with nothing new: neither answer is read (or reported) a second time.
    await t.db.student_marks.put({
      student_id: 's-1',
      token: 'again',
      marked_at: minutes(1).toISOString(),
    });
    expect(await run(t.db, minutes(2))).toMatchObject({
      failed: 0,
      answers_read: 0,
      warnings_total: 0,
      marks_cleared: 1,
    });

    // The rebuild leaves out the same answers: the same figures, nothing to write.
    const full = await run(t.db, minutes(3), 'full');
    expect(full).toMatchObject({ scanned: 1, failed: 0, updated: 0, unchanged: 1, rebuilt: 1 });
    expect(full.warnings).toEqual(expect.arrayContaining(invalidWarnings));
    expect(full.warnings_total).toBe(2);
  });

  it('leave a student new to the fold with the figures of its valid answers, run after run', async () => {
    const t = await seeded();
    await putInvalid(t, 'old-garbage', minutes(-30), { answered_at: 'garbage' });
    for (const mode of ['incremental', 'full'] as const) {
      const summary = await run(t.db, minutes(0), mode);
      expect(summary).toMatchObject({ failed: 0, rebuilt: 1, warnings_total: 2 });
      expect(summary.warnings).toEqual(expect.arrayContaining(invalidWarnings));
      expect((await storedProgress(t.db)).get('s-1')).toEqual(fromValidAnswers());
    }
  });

  it('make the job succeed, with its summary logged at WARN naming them', async () => {
    const t = await seeded();
    const lines = captureLogLines();
    const summary = await createAggregateStudentsHandler(() =>
      testRuntime(t.db, {
        now: minutes(0),
        logger: new Logger({ serviceName: 'aggregate_students', logLevel: 'INFO' }),
      }),
    )({ mode: 'full', today: TODAY });
    vi.restoreAllMocks();
    expect(summary).toMatchObject({ failed: 0, warnings_total: 1 });
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'aggregate_students run',
        summary: expect.objectContaining({ warnings: [invalidWarnings[0]] }),
      }),
    ]);
  });
});
