/**
 * The reply of `GET /classes/{class_code}/modules/{module_id}/results` (DESIGN section 4)
 * as a zod schema, in the entities' style. The domain builds it as
 * {@link ModuleResults} (the domain imports nothing outside the project); a type test
 * keeps the two the same, and the handler tests validate real replies against the
 * OpenAPI document made from this schema. Not imported by the function.
 */
import * as z from 'zod';
import { accuracy, count, id, utcTimestamp } from '../../entities/common.ts';
import { MAX_LISTED_WARNINGS } from '../warning-log.ts';

const figures = { attempts: count, correct: count, accuracy };

export const overallResultSchema = z.object({
  ...figures,
  students_total: count,
  students_attempted: count,
});

export const wordResultSchema = z.object({
  word: z.string(),
  ...figures,
  students_attempted: count,
  first_try_accuracy: accuracy,
  median_duration_ms: z.number().nonnegative().nullable(),
});

export const studentResultSchema = z.object({
  id,
  /** Null when the student's record has no readable name (then named in `warnings`). */
  name: z.string().nullable(),
  ...figures,
  words_attempted: count,
  words_mastered: count,
});

export const cellResultSchema = z.object({
  student_id: id,
  word: z.string(),
  attempts: count,
  correct: count,
});

/** {@link ResultWarning}: a stored record the reply could only serve partially. */
export const resultWarningSchema = z.object({
  table: z.string(),
  key: z.record(z.string(), z.string()),
  message: z.string(),
});

/** {@link ModuleResults}: words in module order, students by name then id. */
export const moduleResultsSchema = z.object({
  class_code: id,
  class_name: z.string().nullable(),
  module_id: id,
  module_title: z.string().nullable(),
  generated_at: utcTimestamp,
  overall: overallResultSchema,
  words: z.array(wordResultSchema),
  students: z.array(studentResultSchema),
  cells: z.array(cellResultSchema),
  needs_review: z.array(z.string()),
  needs_help: z.array(id),
});

/** {@link ModuleResultsReply}: the results and the records served partially. */
export const moduleResultsReplySchema = moduleResultsSchema.extend({
  warnings: z.array(resultWarningSchema).max(MAX_LISTED_WARNINGS),
  warnings_total: count,
});
