/** How many most recent attempts at a word must all be correct for it to be mastered. */
export const MASTERY_STREAK = 3;

/**
 * Whether a word is mastered (DESIGN section 4): its {@link MASTERY_STREAK} most recent
 * attempts were all correct; with fewer attempts it is not. `ordered` must already be in
 * attempt order (see `orderAttempts`), oldest first.
 *
 * @example
 * ```ts
 * isMastered([{ correct: false }, { correct: true }, { correct: true }, { correct: true }]); // true
 * isMastered([{ correct: true }, { correct: true }]); // false: only two attempts
 * ```
 */
export const isMastered = (ordered: readonly { readonly correct: boolean }[]): boolean =>
  ordered.length >= MASTERY_STREAK &&
  ordered.slice(-MASTERY_STREAK).every((attempt) => attempt.correct);
