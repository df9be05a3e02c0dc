import { isMastered } from '../mastery.ts';

/** Words practised and mastered among some attempts. */
export interface WordFigures {
  readonly practised: number;
  readonly mastered: number;
}

/**
 * Counts the distinct words among `ordered` and those whose most recent attempts make them
 * mastered (DESIGN section 4). A word is its exact string: the same word in two modules is
 * one word here, which is what the top-level figures of `student_progress` want; per-module
 * figures pass one module's attempts only.
 *
 * `ordered` must already be in attempt order (`orderAttempts`): grouping keeps that order,
 * so every word's attempts are in order without sorting each group again.
 *
 * @example
 * ```ts
 * wordFigures(orderAttempts(answers)); // { practised: 12, mastered: 4 }
 * ```
 */
export const wordFigures = (
  ordered: readonly { readonly word: string; readonly correct: boolean }[],
): WordFigures => {
  const byWord = new Map<string, { readonly correct: boolean }[]>();
  for (const attempt of ordered) {
    const attempts = byWord.get(attempt.word);
    if (attempts === undefined) byWord.set(attempt.word, [attempt]);
    else attempts.push(attempt);
  }
  let mastered = 0;
  for (const attempts of byWord.values()) if (isMastered(attempts)) mastered += 1;
  return { practised: byWord.size, mastered };
};
