/**
 * aggregate_students: a full run against an incremental one after 1 % of the students
 * answered, and an incremental one after nobody did.
 *
 * Every run of the bench passes `settleMs: 0` ({@link BENCH_SETTLE_MS}): the answers it
 * writes are recorded "now", and a run folds answers only once they are older than the
 * settle window (60 s by default), so with the default they would wait for a run a minute
 * later and the incremental rows would measure nothing.
 */
import { randomUUID } from 'node:crypto';
import { answerKey, recordedKey } from '../../src/entities/answer.ts';
import type { Entity } from '../../src/repositories/db.ts';
import { seeded } from '../../src/seed/random.ts';
import { aggregateStudents } from '../../src/services/aggregates/aggregate-students.ts';
import type { BenchContext, ScenarioResult } from '../context.ts';
import { measure } from '../measure.ts';
import { fmtMs, type Row } from '../report.ts';

/**
 * The settle window of every aggregate run in the bench: the answers it writes are folded
 * by the next run, not one a minute later (see `ANSWER_SETTLE_MS`). A rebuilt state's
 * watermark is its run's start minus the window, so with a window the bench's answers
 * would have to wait it out, or be back-dated below a fresh watermark and never be folded.
 */
export const BENCH_SETTLE_MS = 0;

/** Brings the aggregates up to date (marks folded, today rolled over); not measured. */
export const settleAggregates = async (context: BenchContext): Promise<void> => {
  await aggregateStudents(context.db, {
    timeZone: context.plan.timezone,
    settleMs: BENCH_SETTLE_MS,
  });
};

/** New answers for a share of the students, stored and marked as record_answers does. */
const answersFromSome = async (context: BenchContext, share: number) => {
  const random = seeded(context.plan.seed).fork('aggregate-bench');
  const students = await context.db.students.get({}, { scan: true, project: ['id', 'class_code'] });
  const modules = await context.db.modules.get({}, { scan: true, project: ['id', 'words'] });
  const some = students.filter(() => random.chance(share));
  const now = new Date().toISOString();
  const answers: Entity<'answers'>[] = some.map((student, i) => {
    const module = random.pick(modules);
    const id = `bench-agg-${Date.now()}-${i}`;
    const key = answerKey(module.id, id);
    return {
      student_id: student.id,
      answer_key: key,
      answer_id: id,
      module_id: module.id,
      word: random.pick(module.words),
      correct: random.chance(0.7),
      answered_at: now,
      recorded_at: now,
      // What record_answers writes: without it the answer is not in the `recorded_key`
      // index, and an incremental fold never sees it.
      recorded_key: recordedKey(now, key),
    };
  });
  await context.db.answers.putMany(answers);
  await context.db.student_marks.putMany(
    some.map((s) => ({ student_id: s.id, token: randomUUID(), marked_at: now })),
  );
  return some.length;
};

export const aggregatesScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { counter, log, plan } = context;
  const options = { timeZone: plan.timezone, settleMs: BENCH_SETTLE_MS };
  log('aggregate_students: full');
  const full = await measure(counter, () =>
    aggregateStudents(context.db, { ...options, mode: 'full' }),
  );
  // The first incremental run of a day also brings date-dependent figures up to date.
  await aggregateStudents(context.db, options);
  log('aggregate_students: incremental after 1 % answered');
  const changed = await answersFromSome(context, 0.01);
  const some = await measure(counter, () => aggregateStudents(context.db, options));
  log('aggregate_students: incremental after nobody answered');
  const none = await measure(counter, () => aggregateStudents(context.db, options));
  const section = 'aggregate_students';
  const rows: Row[] = [
    {
      section,
      figure: 'full run',
      value: `${fmtMs(full.ms)}, ${full.requests} requests`,
      comparison: `${full.value.scanned} students`,
      ratio: '',
      target: '',
      met: undefined,
    },
    {
      section,
      figure: `incremental, 1 % answered (${changed} students)`,
      value: `${fmtMs(some.ms)}, ${some.requests} requests, ${some.value.answers_read} answers read`,
      comparison: `full ${fmtMs(full.ms)}`,
      ratio: `${((100 * some.ms) / full.ms).toFixed(1)} %`,
      target: '<= 5 % of full',
      met: some.ms / full.ms <= 0.05,
    },
    {
      section,
      figure: 'incremental, nobody answered',
      value: `${fmtMs(none.ms)}, ${none.requests} requests (${Object.entries(none.byCommand)
        .map(([c, n]) => `${n} ${c.replace('Command', '')}`)
        .join(', ')})`,
      comparison: `full ${fmtMs(full.ms)}`,
      ratio: `${((100 * none.ms) / full.ms).toFixed(2)} %`,
      target: '',
      met: undefined,
    },
  ];
  return {
    rows,
    notes: [
      "An incremental run reads only the marked students (a scan of student_marks, small by construction) and each one's answers (one partition query); it never scans answers.",
    ],
    raw: { full, some: { ...some, changed }, none },
  };
};
