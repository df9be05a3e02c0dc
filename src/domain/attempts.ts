import { compareCodeUnits } from './ordering.ts';

/** What ordering needs of an attempt; any answer shape with these two fields fits. */
export interface Orderable {
  /** ISO-8601 instant (stored answers hold UTC `toISOString()` values). */
  readonly answered_at: string;
  readonly answer_id: string;
}

const instant = (value: string): number => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
};

/**
 * The order of attempts (DESIGN section 4): by `answered_at` as an instant, then by
 * `answer_id` in code-unit order, so two answers in the same millisecond still have one
 * order. "First" and "most recent" follow it.
 *
 * @example
 * ```ts
 * compareAttempts(
 *   { answered_at: '2026-01-01T00:00:00.000Z', answer_id: 'b' },
 *   { answered_at: '2026-01-01T00:00:00.000Z', answer_id: 'a' },
 * ); // 1: 'a' comes first
 * ```
 */
export const compareAttempts = (a: Orderable, b: Orderable): number =>
  instant(a.answered_at) - instant(b.answered_at) || compareCodeUnits(a.answer_id, b.answer_id);

/**
 * A sorted copy of `attempts` (the input is left as it is).
 *
 * @example
 * ```ts
 * const ordered = orderAttempts(answers);
 * const first = ordered[0];
 * const mostRecent = ordered.at(-1);
 * ```
 */
export const orderAttempts = <T extends Orderable>(attempts: readonly T[]): T[] =>
  // Each instant is parsed once, not once per comparison: results and aggregates order
  // tens of thousands of attempts on the request path.
  attempts
    .map((attempt) => ({ attempt, at: instant(attempt.answered_at) }))
    .sort((a, b) => a.at - b.at || compareCodeUnits(a.attempt.answer_id, b.attempt.answer_id))
    .map(({ attempt }) => attempt);
