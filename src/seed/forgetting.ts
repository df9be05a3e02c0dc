/**
 * The forgetting model of the simulated learners (`lms seed --learners simulated`):
 * half-life regression (Settles & Meeder, "A Trainable Spaced Repetition Model for
 * Language Learning", ACL 2016), with a learner's ability and a word's difficulty as terms
 * and a floor and a ceiling for guessing and slips. Pure: the same traits and history give
 * the same probability.
 *
 * A learner's chance of answering a word right, `Δt` days after they last practised it:
 *
 * ```text
 * p = guess + (1 − guess − slip) · 2^(−Δt / h)
 * log2 h = base + ability − difficulty + success·(√(1 + right) − 1) − failure·(√(1 + wrong) − 1)
 * ```
 *
 * where `right` and `wrong` count the learner's earlier answers to the word. A word never
 * practised is known beforehand with probability `1 / (1 + 2^(prior − ability + difficulty))`
 * (some words are met outside school), in place of `2^(−Δt / h)`.
 *
 * Why it is not FSRS, so that FSRS's predictions of it are a test and not a tautology:
 * - the forgetting curve is exponential, FSRS's is a power law `(1 + F·t/S)^C`;
 * - the half-life grows with the count of right answers alone, whatever the gap before
 *   them: no spacing effect, where FSRS's stability grows more after a review at low
 *   retrievability;
 * - every answer counts, not one a day, and each learner has an ability of their own,
 *   where FSRS's default parameters describe one population and its difficulty is learnt
 *   per card from ratings only;
 * - a learner guesses right sometimes (`guess`) and slips sometimes (`slip`), so no answer
 *   is certain, where FSRS's retrievability goes to 1 and 0.
 */

/** Days in milliseconds: the model's time unit is the day. */
const DAY_MS = 86_400_000;

export interface ForgettingParameters {
  /** log2 of the half-life in days after a first answer, for an average learner and word. */
  readonly base: number;
  /** How much the log2 half-life grows with √(1 + right answers). */
  readonly success: number;
  /** How much the log2 half-life shrinks with √(1 + wrong answers). */
  readonly failure: number;
  /** log2-odds offset of knowing an unpractised word beforehand. */
  readonly prior: number;
  /** The chance of a right answer by guessing when the word is forgotten. */
  readonly guess: number;
  /** The chance of a wrong answer by a slip when the word is remembered. */
  readonly slip: number;
  /** Standard deviation of learners' abilities (log2 half-life units). */
  readonly abilitySpread: number;
  /** Standard deviation of words' difficulties (log2 half-life units). */
  readonly difficultySpread: number;
}

/**
 * The parameters the seed simulates with. Chosen to be plausible, not fitted to anything
 * and never to FSRS: half a day of memory after a first answer, about 4 days after four
 * right answers, about three weeks after nine, with a guess rate of a four-choice question
 * halved (answers are typed) and one slip in thirty.
 */
export const FORGETTING: ForgettingParameters = {
  base: -1,
  success: 2.5,
  failure: 1.5,
  prior: 2,
  guess: 0.1,
  slip: 0.03,
  abilitySpread: 0.8,
  difficultySpread: 0.8,
};

/** What a learner has done with one word so far. */
export interface WordTrace {
  readonly right: number;
  readonly wrong: number;
  /** The last answer's instant (epoch milliseconds). */
  readonly last: number;
}

/** The half-life in days of a learner's memory of a word, given what they did with it. */
export const halfLifeDays = (
  parameters: ForgettingParameters,
  ability: number,
  difficulty: number,
  trace: Pick<WordTrace, 'right' | 'wrong'>,
): number =>
  2 **
  (parameters.base +
    ability -
    difficulty +
    parameters.success * (Math.sqrt(1 + trace.right) - 1) -
    parameters.failure * (Math.sqrt(1 + trace.wrong) - 1));

/**
 * The probability of a right answer at `at`: always strictly between 0 and 1 (between
 * `guess` and `1 − slip`).
 *
 * @example
 * ```ts
 * const trace = { right: 4, wrong: 0, last: Date.parse('2026-11-01T10:00:00Z') };
 * recallProbability(FORGETTING, 0, 0, trace, Date.parse('2026-11-02T10:00:00Z')); // ≈ 0.84 (h ≈ 4.3 days)
 * recallProbability(FORGETTING, 0, 0, trace, Date.parse('2026-11-21T10:00:00Z')); // ≈ 0.13
 * ```
 */
export const recallProbability = (
  parameters: ForgettingParameters,
  ability: number,
  difficulty: number,
  trace: WordTrace | undefined,
  at: number,
): number => {
  const remembered =
    trace === undefined
      ? 1 / (1 + 2 ** (parameters.prior - ability + difficulty))
      : 2 **
        (-Math.max(0, at - trace.last) /
          DAY_MS /
          halfLifeDays(parameters, ability, difficulty, trace));
  return parameters.guess + (1 - parameters.guess - parameters.slip) * remembered;
};

/** The trace after one more answer at `at`. */
export const practised = (trace: WordTrace | undefined, at: number, right: boolean): WordTrace => ({
  right: (trace?.right ?? 0) + (right ? 1 : 0),
  wrong: (trace?.wrong ?? 0) + (right ? 0 : 1),
  last: at,
});

/**
 * A standard normal draw from two uniform ones (Box–Muller), so traits come from the
 * seed's own generator and stay deterministic.
 */
export const standardNormal = (uniform: () => number): number =>
  Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
