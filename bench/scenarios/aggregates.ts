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
import { type Measurement, measure } from '../measure.ts';
import { fmtMs, type Row } from '../report.ts';
import { type Figures, figuresDiffer, storedFigures, studentFiguresSql } from './aggregates-sql.ts';

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
  // PostgreSQL: the counting of a full rebuild as one aggregate query, against the job's.
  const { postgres } = context;
  const fullSql =
    postgres === undefined ? undefined : await measure(counter, () => studentFiguresSql(postgres));
  const fullDiffer =
    postgres === undefined || fullSql === undefined
      ? undefined
      : figuresDiffer(fullSql.value, await storedFigures(postgres));
  // The first incremental run of a day also brings date-dependent figures up to date.
  await aggregateStudents(context.db, options);
  log('aggregate_students: incremental after 1 % answered');
  const since = new Date().toISOString();
  const changed = await answersFromSome(context, 0.01);
  // PostgreSQL: the new answers of the marked students, counted in one aggregate query
  // through the `recorded_key` index, before the job folds them (and clears the marks).
  const someSql =
    postgres === undefined
      ? undefined
      : await measure(counter, () => studentFiguresSql(postgres, since));
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
  if (fullSql !== undefined && someSql !== undefined && fullDiffer !== undefined)
    rows.push(...setBasedRows(full, some, fullSql, someSql, fullDiffer, changed));
  return {
    rows,
    notes: [
      ...(postgres === undefined
        ? []
        : [
            "aggregate_students on PostgreSQL: rows in statements (not requests). Set-based comparison: the figures SQL expresses directly (attempts and correct answers per student and per module) in one aggregate query with GROUPING SETS, over every answer (a full rebuild) or over the marked students' answers recorded since the run before (an incremental run, through the `recorded_key` index); read-only and without words mastered, streaks or the daily series, so it prices the counting alone, with no target. Its full-run figures are compared with the `student_progress` the job wrote. No hand-written floor of the fold is given: its reads and writes (the marks, each student's state parts and open batches, the answers since the watermark, the state, progress and parent summaries, with their conditions) written again by hand would be the job's repository calls re-typed, and were not built in this session.",
          ]),
      "An incremental run reads only the marked students (a scan of student_marks, small by construction) and each one's answers (one partition query); it never scans answers.",
    ],
    raw: { full, some: { ...some, changed }, none },
  };
};

/** The PostgreSQL rows: the job against one aggregate query, and whether they agree. */
const setBasedRows = (
  full: Measurement<{ answers_read: number }>,
  some: Measurement<{ answers_read: number }>,
  fullSql: Measurement<Figures>,
  someSql: Measurement<Figures>,
  fullDiffer: readonly string[],
  changed: number,
): Row[] => {
  const section = 'aggregate_students vs set-based SQL (counting only)';
  const answersOf = (figures: Figures) =>
    [...figures].filter(([key]) => !key.includes('/')).reduce((sum, [, f]) => sum + f.attempts, 0);
  return [
    {
      section,
      figure: 'full run',
      value: `${fmtMs(full.ms)}, ${full.requests} statements, ${full.rowsRead} rows read, ${full.rowsWritten} written`,
      comparison: `one aggregate query ${fmtMs(fullSql.ms)}, over ${answersOf(fullSql.value)} answers`,
      ratio: `${(full.ms / fullSql.ms).toFixed(1)}x`,
      target: '',
      met: undefined,
    },
    {
      section,
      figure: 'full run: same attempts and correct per student and module',
      value: `${fullDiffer.length} of ${fullSql.value.size} figures differ`,
      comparison: '',
      ratio: '',
      target: '0 differ',
      met: fullDiffer.length === 0,
    },
    {
      section,
      figure: `incremental, 1 % answered (${changed} students)`,
      value: `${fmtMs(some.ms)}, ${some.requests} statements, ${some.value.answers_read} answers read`,
      comparison: `one aggregate query ${fmtMs(someSql.ms)}, over ${answersOf(someSql.value)} new answers`,
      ratio: `${(some.ms / someSql.ms).toFixed(1)}x`,
      target: '',
      met: undefined,
    },
  ];
};
