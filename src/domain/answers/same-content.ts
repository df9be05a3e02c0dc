/** The part of an answer that a retry must repeat exactly (everything but its identity). */
export interface AnswerContent {
  readonly word: string;
  readonly correct: boolean;
  /** ISO-8601 instant; compared as an instant, so `+08:00` and `Z` spellings agree. */
  readonly answered_at: string;
  readonly duration_ms?: number | undefined;
}

/**
 * Whether two answers with the same identity (student, module, answer_id) say the same
 * thing: then the second is a client retry (a duplicate); otherwise it is a conflict. A
 * duration given once and left out once is a difference.
 *
 * @example
 * ```ts
 * sameAnswerContent(
 *   { word: 'apple', correct: true, answered_at: '2026-03-01T08:00:00+08:00' },
 *   { word: 'apple', correct: true, answered_at: '2026-03-01T00:00:00.000Z' },
 * ); // true
 * ```
 */
export const sameAnswerContent = (a: AnswerContent, b: AnswerContent): boolean =>
  a.word === b.word &&
  a.correct === b.correct &&
  Date.parse(a.answered_at) === Date.parse(b.answered_at) &&
  (a.duration_ms ?? null) === (b.duration_ms ?? null);
