/** What `lms seed` is asked for: the organisation's size, the seed number, the days, who answers. */
import type { SeedSize } from './sizes.ts';

export interface SeedPlan {
  readonly size: SeedSize;
  readonly seed: number;
  /** The last day of the 30 days of answers (YYYY-MM-DD in `timezone`). */
  readonly today: string;
  readonly timezone: string;
  /** No answer is later than this (a demo seeded at 09:00 has no afternoon answers yet). */
  readonly notAfter?: Date;
  /**
   * Who answers: `basic` (the default) students who learn with practice and forget with
   * time away, over the demo's 30 days, in short sessions of the class's current
   * module (`studentAnswers` in `generate.ts`); `simulated` learners who forget, drawn from a
   * half-life regression model over 90 days (`simulated.ts`), for the review benchmark.
   */
  readonly learners?: LearnerKind;
}

export const LEARNER_KINDS = ['basic', 'simulated'] as const;
export type LearnerKind = (typeof LEARNER_KINDS)[number];
