import * as z from 'zod';
import { count, id, utcTimestamp } from './common.ts';

/** Separates the module id from the answer id in the `answers` sort key. */
export const ANSWER_KEY_SEPARATOR = '#';

/**
 * The sort key of an answer: `<module_id>#<answer_id>`. Module ids never contain `#`
 * (validated at ingestion), so a module's answers are exactly the keys that begin with
 * `<module_id>#`.
 *
 * @example
 * ```ts
 * answerKey('m-01', 'a-17'); // 'm-01#a-17'
 * ```
 */
export const answerKey = (moduleId: string, answerId: string): string =>
  `${moduleId}${ANSWER_KEY_SEPARATOR}${answerId}`;

/** The key prefix of every answer of one module (for a `begins_with` query). */
export const moduleAnswerPrefix = (moduleId: string): string =>
  `${moduleId}${ANSWER_KEY_SEPARATOR}`;

/**
 * The key of an answer in the order answers were recorded (the `recorded_key` local index
 * of `answers`): `<recorded_at>#<answer_key>`. ISO instants of one format sort as strings
 * in time order, and the answer key makes it unique.
 *
 * @example
 * ```ts
 * recordedKey('2026-11-24T08:00:00.000Z', 'm-01#a-17'); // '2026-11-24T08:00:00.000Z#m-01#a-17'
 * ```
 */
export const recordedKey = (recordedAt: string, key: string): string =>
  `${recordedAt}${ANSWER_KEY_SEPARATOR}${key}`;

export const answerSchema = z.looseObject({
  student_id: id,
  answer_key: id,
  answer_id: id,
  module_id: id,
  word: z.string().min(1),
  correct: z.boolean(),
  answered_at: utcTimestamp,
  duration_ms: count.optional(),
  recorded_at: utcTimestamp,
  /** See {@link recordedKey}. Absent on answers stored before it existed (a full run folds them). */
  recorded_key: z.string().min(1).optional(),
});
export type Answer = z.output<typeof answerSchema>;

/**
 * A student's answers posted in one window (`tables.answer_rates`): `window_start` is the
 * window's first instant, `answers` the count so far (added to by the store itself, never
 * read and rewritten), `expires_at` when TTL may delete it (epoch seconds: what TTL reads).
 */
export const answerRateSchema = z.looseObject({
  student_id: id,
  window_start: utcTimestamp,
  answers: count,
  expires_at: count,
});
export type AnswerRate = z.output<typeof answerRateSchema>;
