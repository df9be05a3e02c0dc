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
});
export type Answer = z.output<typeof answerSchema>;
