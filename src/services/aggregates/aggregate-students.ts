/**
 * `aggregate_students`: recompute `student_progress` (DESIGN section 4) for the students
 * marked by `record_answers` (incremental, the default) or for every student (full), from
 * each student's own answers. Never scans `answers`. See `docs/aggregates.md`.
 *
 * The whole run in this process: the workflow's plan, work and finish (`sharded/`), driven
 * by `sharded/in-process.ts`; there is no other way to run it.
 */
import type { Db } from '../../repositories/db.ts';
import { type AggregateOptions, ANSWER_SETTLE_MS } from './options.ts';
import { runWhole } from './sharded/in-process.ts';
import { planStudents, students } from './sharded/students.ts';
import type { StudentsSummary } from './summary.ts';

export type AggregateStudentsOptions = AggregateOptions;

/**
 * @example
 * ```ts
 * const summary = await aggregateStudents(db, { timeZone: 'Asia/Shanghai' });
 * summary.updated; // progress items written
 * summary.remarked; // students that got new answers during the run: next run redoes them
 * ```
 */
export const aggregateStudents = (
  db: Db,
  options: AggregateStudentsOptions,
): Promise<StudentsSummary> =>
  runWhole(students, db, options, (common) =>
    planStudents(db, {
      ...common,
      settleMs: options.settleMs ?? ANSWER_SETTLE_MS,
      reviewRetention: options.reviewRetention,
    }),
  );
