/**
 * The few most recent attempts at a word: all that mastery needs (DESIGN section 4), kept
 * instead of the word's whole history. An attempt that arrives late (an offline device)
 * is placed by the attempt order like any other, so it displaces an older one or none.
 */
import { compareAttempts } from '../../attempts.ts';
import { MASTERY_STREAK } from '../../mastery.ts';

/** One attempt as far as order and mastery go: its instant, its id, right or wrong. */
export interface RecentAttempt {
  /** `answered_at`, UTC as `toISOString()` writes it. */
  readonly at: string;
  readonly id: string;
  readonly ok: boolean;
}

const orderable = (attempt: RecentAttempt) => ({ answered_at: attempt.at, answer_id: attempt.id });

/**
 * `recent` (oldest first, at most {@link MASTERY_STREAK}) with `attempt` placed in attempt
 * order, the oldest dropped beyond {@link MASTERY_STREAK}. A new array; the input stays.
 *
 * @example
 * ```ts
 * withAttempt([a1, a2, a3], late); // [a2, a3] around `late` by order, then the first dropped
 * ```
 */
export const withAttempt = (
  recent: readonly RecentAttempt[],
  attempt: RecentAttempt,
): RecentAttempt[] => {
  const merged = [...recent, attempt].sort((a, b) => compareAttempts(orderable(a), orderable(b)));
  return merged.slice(-MASTERY_STREAK);
};

/**
 * The most recent of two sets of recent attempts (the same word in two modules), in order.
 *
 * @example
 * ```ts
 * mergeRecent(inModule1, inModule2).length; // at most 3
 * ```
 */
export const mergeRecent = (
  a: readonly RecentAttempt[],
  b: readonly RecentAttempt[],
): RecentAttempt[] =>
  b.reduce<RecentAttempt[]>((merged, attempt) => withAttempt(merged, attempt), [...a]);

/** Mastered: {@link MASTERY_STREAK} most recent attempts, all correct. */
export const masteredBy = (recent: readonly RecentAttempt[]): boolean =>
  recent.length >= MASTERY_STREAK && recent.every((attempt) => attempt.ok);
