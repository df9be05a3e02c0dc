import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../../src/domain/time-zone.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { aggregateStudents } from '../../../src/services/aggregates/aggregate-students.ts';
import { JobBusyError } from '../../../src/services/aggregates/lease.ts';
import { ANSWER_SETTLE_MS } from '../../../src/services/aggregates/options.ts';
import { EXPECTED, MODULE_WORDS, TIME_ZONE, TODAY } from '../../domain/progress/hand-example.ts';
import { both, isOperation, onTable, WRITE_OPERATIONS } from '../../support/fault-proxy.ts';
import {
  attributeOf,
  type FaultyRequest,
  type FaultyRule,
  useFaultyDbs,
} from '../../support/faulty-db.ts';
import { module, student } from '../../support/fixtures.ts';
import { type TestDb, useFreshTestDbs } from '../../support/test-db.ts';
import { expectedProgress, type RawAnswer } from './oracle.ts';
import {
  dataWriteRequests,
  handAnswers,
  noonOf,
  record,
  s2Answer,
  storedProgress,
  storeHandModules,
} from './support.ts';

const freshDb = useFreshTestDbs(import.meta.url);

const run = (db: Db, day: string, options: Parameters<typeof aggregateStudents>[1] | object = {}) =>
  aggregateStudents(db, { timeZone: TIME_ZONE, now: () => noonOf(day), settleMs: 0, ...options });

const seedHandExample = async (db: Db) => {
  await storeHandModules(db);
  await db.students.putMany([
    student('s-1', { parent_ids: ['p-1', 'p-2'] }),
    student('s-2', { parent_ids: ['p-2'] }),
  ]);
  await record(db, handAnswers, noonOf(TODAY));
};

const startFaulty = useFaultyDbs();

/**
 * A Db whose requests (statements, on PostgreSQL) cross a proxy that awaits `before` on
 * each, and records them (`requests`, named as DynamoDB's operations).
 */
const racingDb = async (
  t: TestDb,
  before: (request: FaultyRequest) => Promise<void> = async () => {},
  rules: readonly FaultyRule[] = [],
) => {
  const faulty = await startFaulty(t, { before, rules });
  return {
    db: faulty.db(),
    get requests() {
      return faulty.requests;
    },
    count: (operation: string) => faulty.requests.filter(isOperation(operation)).length,
  };
};

describe('aggregate_students, incremental', () => {
  it('stores every field of the hand-computed example for the marked student, and marks its parents', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    const summary = await run(t.db, TODAY);
    expect(summary).toMatchObject({
      job: 'aggregate_students',
      mode: 'incremental',
      dry_run: false,
      today: TODAY,
      time_zone: TIME_ZONE,
      rollover: true,
      scanned: 1,
      updated: 1,
      unchanged: 0,
      failed: 0,
      marks_read: 1,
      marks_cleared: 1,
      remarked: 0,
      parents_marked: 2,
      answers_read: 12,
      warnings_total: 0,
    });
    expect(await t.db.student_progress.find({ student_id: 's-1' })).toEqual({
      ...EXPECTED,
      fold_version: 2, // a first fold rebuilds: the claim (1), then the state (2)
      updated_at: noonOf(TODAY).toISOString(),
    });
    // Only the marked student: s-2 has no answers and no mark.
    expect(await t.db.student_progress.find({ student_id: 's-2' })).toBeUndefined();
    expect(await t.db.student_marks.get({}, { scan: true })).toEqual([]);
    const parentMarks = await t.db.parent_marks.get({}, { scan: true });
    expect(parentMarks.map((m) => m.parent_id).sort()).toEqual(['p-1', 'p-2']);
    expect(await t.db.jobs.find({ name: 'aggregate_students' })).toMatchObject({
      last_rollover_day: TODAY,
    });
  });

  it.each([
    ['a readable fold_version', { fold_version: 7 }],
    ['an unreadable fold_version', { fold_version: 'seven' }],
    ['no fold_version', {}],
  ])(
    'repairs a stored progress that does not validate, with %s, and clears the mark',
    async (_, version) => {
      const t = await freshDb();
      await seedHandExample(t.db);
      // Not a progress item: `attempts` is no number. Without the repair the conditional write
      // ("no version" or "the version read") failed for ever and the student stayed marked.
      await t.plant('student_progress', { student_id: 's-1', attempts: 'many', ...version });
      const summary = await run(t.db, TODAY);
      expect(summary).toMatchObject({ updated: 1, failed: 0, marks_cleared: 1, remarked: 0 });
      expect(await t.db.student_progress.find({ student_id: 's-1' })).toEqual({
        ...EXPECTED,
        fold_version: 2,
        updated_at: noonOf(TODAY).toISOString(),
      });
      expect(await t.db.student_marks.get({}, { scan: true })).toEqual([]);
    },
  );

  /**
   * The races below run as deployed: answers must be a minute old to be folded, and an
   * answer recorded during a run carries that run's time, so it is too young for it.
   */
  const minutesAfterNoon = (minutes: number) =>
    new Date(noonOf(TODAY).getTime() + minutes * 60_000);
  const runAt = (db: Db, minutes: number) =>
    run(db, TODAY, { now: () => minutesAfterNoon(minutes), settleMs: ANSWER_SETTLE_MS });
  const late: RawAnswer = {
    student_id: 's-1',
    answer_id: 'a-13',
    module_id: 'm-1',
    word: 'cherry',
    correct: true,
    answered_at: '2026-11-24T03:30:00.000Z',
  };

  it('never loses an answer recorded after the answers were read: the student stays marked', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    let interleaved = false;
    const racing = await racingDb(t, async (request) => {
      if (interleaved || !both(onTable('student_marks'), isOperation('DeleteItem'))(request)) {
        return;
      }
      if (attributeOf(request, 'student_id') !== 's-1') return;
      interleaved = true;
      // record_answers runs to completion between our read of the answers and our delete.
      await record(t.db, [late], minutesAfterNoon(1));
    });
    const first = await runAt(racing.db, 1);
    expect(interleaved).toBe(true);
    expect(first).toMatchObject({ updated: 1, marks_cleared: 0, remarked: 1, failed: 0 });
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts).toBe(12);
    expect(await t.db.student_marks.find({ student_id: 's-1' })).toBeDefined();

    // Within the minute the late answer is left for later, and the student stays marked.
    expect(await runAt(t.db, 1)).toMatchObject({ scanned: 1, updated: 0, deferred: 1 });
    const second = await runAt(t.db, 2);
    expect(second).toMatchObject({ scanned: 1, updated: 1, marks_cleared: 1, remarked: 0 });
    expect(second.answers_read).toBe(1);
    expect(await t.db.student_progress.find({ student_id: 's-1' })).toMatchObject({
      attempts: 13,
      correct: 10,
      modules: { 'm-1': { attempts: 7, words_practised: 3 } },
    });
    expect(await t.db.student_marks.get({}, { scan: true })).toEqual([]);
  });

  it('leaves an answer recorded while the answers are read to the next run, keeping the mark', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    let interleaved = false;
    const racing = await racingDb(t, async (request) => {
      if (interleaved || !both(onTable('answers'), isOperation('Query'))(request)) return;
      interleaved = true;
      await record(t.db, [{ ...late, module_id: 'm-2', word: 'dog' }], minutesAfterNoon(1));
    });
    const first = await runAt(racing.db, 1);
    expect(interleaved).toBe(true);
    expect(first).toMatchObject({ updated: 1, marks_cleared: 0 });
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts).toBe(12);
    expect(await runAt(t.db, 2)).toMatchObject({ scanned: 1, updated: 1, marks_cleared: 1 });
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts).toBe(13);
    expect(await t.db.student_marks.get({}, { scan: true })).toEqual([]);
  });

  it('refuses a run that would overlap another (the lease); the next run folds what it left', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    let overlapped = false;
    const slow = await racingDb(t, async (request) => {
      if (overlapped || !both(onTable('student_progress'), isOperation('PutItem'))(request)) {
        return;
      }
      overlapped = true;
      // Before this run writes its figures (12 answers), a 13th answer arrives and another
      // run starts: the lease refuses it while this one works.
      await record(
        t.db,
        [{ ...s2Answer, student_id: 's-1', answer_id: 'a-13' }],
        minutesAfterNoon(1),
      );
      await expect(runAt(t.db, 2)).rejects.toBeInstanceOf(JobBusyError);
    });
    const summary = await runAt(slow.db, 1);
    expect(overlapped).toBe(true);
    expect(summary).toMatchObject({ updated: 1, failed: 0 });
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts).toBe(12);
    // The 13th answer, younger than the first run, is folded by the next.
    expect(await runAt(t.db, 3)).toMatchObject({ updated: 1, marks_cleared: 1 });
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts).toBe(13);
  });

  it('does (almost) no work when no answers came since the last run: two reads, no write', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    await run(t.db, TODAY);
    const watched = await racingDb(t);
    const again = await run(watched.db, TODAY);
    expect(again).toMatchObject({ scanned: 0, updated: 0, rollover: false, marks_read: 0 });
    // DynamoDB's two requests, PostgreSQL's two statements.
    expect(watched.requests.map((r) => r.operation).sort()).toEqual(['GetItem', 'Scan']);
    // Even later the same day.
    const evening = await aggregateStudents(watched.db, {
      timeZone: TIME_ZONE,
      now: () => new Date(`${TODAY}T15:59:59.999Z`),
    });
    expect(evening.scanned).toBe(0);
    for (const name of [...WRITE_OPERATIONS, 'Query']) expect(watched.count(name)).toBe(0);
  });

  it('writes nothing in a dry run, yet reports what would change', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    const watched = await racingDb(t);
    const summary = await run(watched.db, TODAY, { dryRun: true });
    expect(summary).toMatchObject({
      dry_run: true,
      scanned: 1,
      updated: 1,
      marks_cleared: 0,
      parents_marked: 2,
    });
    expect(dataWriteRequests(watched.requests)).toEqual([]);
    expect(await t.db.student_progress.get({}, { scan: true })).toEqual([]);
    expect(await t.db.student_marks.get({}, { scan: true })).toHaveLength(1);
    expect(await t.db.jobs.find({ name: 'aggregate_students' })).toBeUndefined();
  });

  it('keeps a student whose write failed marked, reports it, and rolls the day over again next time', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    await record(t.db, [s2Answer], noonOf(TODAY));
    // s-2's progress write fails with an error no client retries.
    const failing = await racingDb(t, undefined, [
      {
        fault: 'crash',
        match: (request) =>
          both(onTable('student_progress'), isOperation('PutItem'))(request) &&
          attributeOf(request, 'student_id') === 's-2',
      },
    ]);
    const summary = await run(failing.db, TODAY);
    expect(summary).toMatchObject({ scanned: 2, updated: 1, failed: 1, marks_cleared: 1 });
    expect(summary.warnings).toEqual([
      { kind: 'failed', message: expect.stringMatching(/student s-2: .*(crash|internal error)/i) },
    ]);
    expect(await t.db.student_marks.find({ student_id: 's-2' })).toBeDefined();
    expect(await t.db.jobs.find({ name: 'aggregate_students' })).toBeUndefined();
    expect(await run(t.db, TODAY)).toMatchObject({
      scanned: 2,
      updated: 1,
      unchanged: 1,
      failed: 0,
    });
    expect(await t.db.student_marks.get({}, { scan: true })).toEqual([]);
  });
});

describe('aggregate_students, edited word lists', () => {
  it("gives the edited list's figures from the next day's first run, reading no answer", async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    await run(t.db, TODAY);
    const [firstModule, firstWords] = [...MODULE_WORDS][0] ?? ['', []];
    const edited = new Map(MODULE_WORDS);
    edited.set(firstModule, [...firstWords.slice(1), 'a-word-never-answered']);
    await t.db.modules.put(module(firstModule, { words: [...(edited.get(firstModule) ?? [])] }));
    // The same day, nothing marked: nothing is read, the figures stay.
    expect(await run(t.db, TODAY)).toMatchObject({ scanned: 0 });
    const tomorrow = addDays(TODAY, 1);
    const next = await run(t.db, tomorrow);
    expect(next).toMatchObject({ rollover: true, failed: 0, answers_read: 0 });
    expect((await storedProgress(t.db)).get('s-1')).toEqual(
      expectedProgress('s-1', handAnswers, edited, tomorrow, TIME_ZONE),
    );
  });
});

describe('aggregate_students, day roll-over', () => {
  // s-1 practises yesterday and today (a streak), s-3 ten days ago (in daily, no streak),
  // s-2 forty days ago (nothing depends on the date any more).
  const answersOf = (studentId: string, days: readonly string[]): RawAnswer[] =>
    days.map((day, i) => ({
      student_id: studentId,
      answer_id: `${studentId}-${i}`,
      module_id: 'm-1',
      word: 'apple',
      correct: true,
      answered_at: noonOf(day).toISOString(),
    }));
  const history = [
    ...answersOf('s-1', [addDays(TODAY, -1), TODAY]),
    ...answersOf('s-2', [addDays(TODAY, -40)]),
    ...answersOf('s-3', [addDays(TODAY, -10), addDays(TODAY, -10)]),
  ];
  const expected = (day: string) =>
    new Map(
      ['s-1', 's-2', 's-3'].map((id) => [
        id,
        expectedProgress(id, history, MODULE_WORDS, day, TIME_ZONE),
      ]),
    );

  it('recomputes, on the first run of a day, only students whose figures depend on the date', async () => {
    const t = await freshDb();
    await storeHandModules(t.db);
    await t.db.students.putMany(
      ['s-1', 's-2', 's-3'].map((id) => student(id, { parent_ids: [`p-${id}`] })),
    );
    await record(t.db, history, noonOf(TODAY));
    await run(t.db, TODAY);
    expect(await storedProgress(t.db)).toEqual(expected(TODAY));

    for (const later of [1, 2, 25, 40]) {
      const day = addDays(TODAY, later);
      const watched = await racingDb(t);
      const summary = await run(watched.db, day);
      const queried = watched.requests.filter(isOperation('Query'));
      // s-2 is never read again: its last answer is long before any window.
      expect(
        queried.every((q) => onTable('answers')(q) && !JSON.stringify(q.body).includes('"s-2"')),
        day,
      ).toBe(true);
      expect(summary, day).toMatchObject({ rollover: true, marks_read: 0, failed: 0 });
      expect(await storedProgress(t.db), day).toEqual(expected(day));
      expect(await t.db.jobs.find({ name: 'aggregate_students' }), day).toMatchObject({
        last_rollover_day: day,
      });
      // And the next run that day does nothing.
      expect(await run(t.db, day), day).toMatchObject({ rollover: false, scanned: 0 });
    }
  });

  it('marks the parents of students whose 7-day figures move with the date, even with unchanged progress', async () => {
    const t = await freshDb();
    await storeHandModules(t.db);
    await t.db.students.putMany(
      ['s-1', 's-2', 's-3'].map((id) => student(id, { parent_ids: [`p-${id}`] })),
    );
    await record(t.db, history, noonOf(TODAY));
    await run(t.db, TODAY);
    await t.db.parent_marks.deleteMany(
      ['p-s-1', 'p-s-2', 'p-s-3'].map((parent_id) => ({ parent_id })),
    );
    const summary = await run(t.db, addDays(TODAY, 1));
    // A day later both progress items are the same (s-1's streak now ends yesterday; s-3's
    // day is still in daily), but their 7-day windows moved: their parents are marked.
    // s-2's parent is not.
    expect(summary).toMatchObject({ scanned: 2, updated: 0, unchanged: 2, parents_marked: 2 });
    const marked = await t.db.parent_marks.get({}, { scan: true });
    expect(marked.map((m) => m.parent_id).sort()).toEqual(['p-s-1', 'p-s-3']);
  });

  it('computes "today" in LMS_TIMEZONE from the clock', async () => {
    const t = await freshDb();
    const justAfterMidnight = new Date('2026-11-24T16:00:00.000Z');
    const summary = await aggregateStudents(t.db, {
      timeZone: TIME_ZONE,
      now: () => justAfterMidnight,
    });
    expect(summary.today).toBe('2026-11-25');
    expect(localDate(justAfterMidnight, 'UTC')).toBe('2026-11-24');
    const utc = await aggregateStudents(t.db, { timeZone: 'UTC', now: () => justAfterMidnight });
    expect(utc.today).toBe('2026-11-24');
  });
});

describe('aggregate_students, full', () => {
  it('recomputes every student, zeros for those without answers; a re-run writes nothing', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    const summary = await run(t.db, TODAY, { mode: 'full' });
    expect(summary).toMatchObject({ mode: 'full', scanned: 2, updated: 2, marks_cleared: 1 });
    expect(await t.db.student_progress.find({ student_id: 's-2' })).toEqual({
      student_id: 's-2',
      attempts: 0,
      correct: 0,
      accuracy: null,
      words_practised: 0,
      words_mastered: 0,
      last_active_at: null,
      streak_days: 0,
      daily: {},
      modules: {},
      words_due: 0,
      due_words: [],
      practised_words: [],
      next_due_day: null,
      fold_version: 2,
      updated_at: noonOf(TODAY).toISOString(),
    });
    const watched = await racingDb(t);
    expect(await run(watched.db, TODAY, { mode: 'full' })).toMatchObject({
      scanned: 2,
      updated: 0,
      unchanged: 2,
      parents_marked: 0,
    });
    expect(dataWriteRequests(watched.requests)).toEqual([]);
  });

  it('recomputes a student who is gone from students but has answers, and says so', async () => {
    const t = await freshDb();
    await seedHandExample(t.db);
    await run(t.db, TODAY);
    await t.db.students.delete({ id: 's-1' });
    await t.db.student_progress.update({ student_id: 's-1' }, { set: { attempts: 999 } });
    const summary = await run(t.db, TODAY, { mode: 'full' });
    expect(summary.warnings).toEqual([
      { kind: 'student_missing', message: expect.stringContaining('student s-1 ') },
    ]);
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts).toBe(12);
  });
});
