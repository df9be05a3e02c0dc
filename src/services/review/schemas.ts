/**
 * The replies of the two review routes (DESIGN section 4, "Review") as zod schemas: the
 * services' types come from them, the OpenAPI document publishes them, tests parse with them.
 */
import * as z from 'zod';
import { count, id, utcTimestamp } from '../../entities/common.ts';

export const reviewWordSchema = z.object({
  word: z.string().min(1),
  module_ids: z.array(id),
  /** The probability of recall at `generated_at`. */
  recall: z.number().min(0).max(1),
  due_at: utcTimestamp,
  stability: z.number(),
  difficulty: z.number(),
  reviews: count,
  lapses: count,
  /** The last review (added to DESIGN's fields: where a forgetting curve starts). */
  last_review: utcTimestamp.nullable(),
});
export type ReviewWord = z.output<typeof reviewWordSchema>;

export const studentReviewReplySchema = z.object({
  student_id: id,
  generated_at: utcTimestamp,
  /** The `request_retention` the due dates were scheduled for. */
  retention: z.number(),
  /** Due today: lowest recall first, then word. */
  due: z.array(reviewWordSchema),
  /** Due in the next 7 days: by `due_at`, then word. */
  upcoming: z.array(reviewWordSchema),
  /**
   * Every other card, due after the coming week, by `due_at` then word: only with
   * `?all=true` (added to DESIGN's fields; a class heatmap of recall needs every card).
   */
  later: z.array(reviewWordSchema).optional(),
});
export type StudentReview = z.output<typeof studentReviewReplySchema>;

export const classReviewReplySchema = z.object({
  class_code: id,
  generated_at: utcTimestamp,
  /** By `students_due` descending, then word. */
  words: z.array(
    z.object({ word: z.string().min(1), students_due: count, students_practised: count }),
  ),
  /** In module results' order (name, then id); `name` null when the record's cannot be read. */
  students: z.array(z.object({ id, name: z.string().nullable(), words_due: count })),
});
export type ClassReview = z.output<typeof classReviewReplySchema>;
