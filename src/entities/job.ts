import * as z from 'zod';
import { id, utcTimestamp } from './common.ts';

/**
 * Job state (DESIGN `jobs` table): when a job last ran and what it found. Jobs add their
 * own attributes (watermarks, counts), which a loose schema keeps.
 */
export const jobSchema = z.looseObject({
  name: id,
  last_run_at: utcTimestamp.optional(),
  last_summary: z.record(z.string(), z.unknown()).optional(),
  /**
   * `aggregate_students`: the last local day (`LMS_TIMEZONE`) for which the date-dependent
   * figures of every student were brought up to date (see `docs/aggregates.md`).
   */
  last_rollover_day: z.iso.date().optional(),
  /**
   * `aggregate_students`: `[module id, fingerprint of its word list]` as of the last
   * roll-over; a module whose list changed since has its figures recomputed from the fold
   * state of every student who answered in it (a list, not a map: ids are data).
   */
  module_lists: z.array(z.tuple([id, z.string()])).optional(),
});
export type Job = z.output<typeof jobSchema>;

/** A student with answers not yet aggregated (see `tables.student_marks`). */
export const studentMarkSchema = z.looseObject({
  student_id: id,
  token: id,
  marked_at: utcTimestamp,
  /**
   * Set by `record_answers`, which marks BEFORE it writes the answers: the `recorded_at` of
   * the answers this mark announces, some maybe still in flight. A run clears such a mark
   * only once that instant is settled (see `markSettled`). Absent on marks written after
   * what they announce (the seed's, a run's put-back): those are settled at once.
   */
  recorded_at: utcTimestamp.optional(),
});
export type StudentMark = z.output<typeof studentMarkSchema>;

/**
 * A `record_answers` invocation still writing a student's answers, or (with `rebuild`) a
 * request to rebuild the student from all its answers (see `tables.answer_batches`).
 */
export const answerBatchSchema = z.looseObject({
  student_id: id,
  /** Random per invocation. */
  batch_id: id,
  /**
   * The invocation's clock before it wrote this row; every answer it then stores has a
   * `recorded_at` at or after this instant.
   */
  started_at: utcTimestamp,
  /** The invocation found this row gone after its writes: rebuild the student. */
  rebuild: z.literal(true).optional(),
});
export type AnswerBatch = z.output<typeof answerBatchSchema>;

/** A parent whose children's progress changed since its summary (see `tables.parent_marks`). */
export const parentMarkSchema = z.looseObject({
  parent_id: id,
  token: id,
  marked_at: utcTimestamp,
});
export type ParentMark = z.output<typeof parentMarkSchema>;
