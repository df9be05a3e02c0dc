/**
 * What each method predicted for every review of a student's words, before seeing it
 * (DESIGN section 4, "Review": a review is the first attempt of a calendar day at a word,
 * across modules). Pure given the memory model.
 *
 * - FSRS: the recall, at the review's instant, of the card of the word's earlier reviews,
 *   folded with the domain's own {@link foldIntoMemory} (the card the routes would show).
 * - Last three: whether the three attempts before the review were all right (DESIGN's
 *   *mastered*); turned into a probability by {@link calibrateMastered}.
 * - Running accuracy: (right + 1) / (attempts + 2) over the attempts before the review
 *   (Laplace's rule of succession), every attempt counted, the day's later ones too.
 *
 * A word's first review has no card yet, so it is scored by no method: first reviews are
 * counted apart and left out for all three alike.
 */
import { compareAttempts } from '../../src/domain/attempts.ts';
import type { MemoryModel } from '../../src/domain/review/card.ts';
import {
  foldIntoMemory,
  type MemoryAnswer,
  settled,
  type WordMemory,
} from '../../src/domain/review/memory.ts';
import { localDate } from '../../src/domain/time-zone.ts';
import type { Prediction } from './metrics.ts';

/** An attempt as the evaluation needs it, with the probability the simulation gave it. */
export interface KnownAttempt extends MemoryAnswer {
  readonly word: string;
  /** The simulation's own probability of a right answer; undefined when unknown. */
  readonly p?: number;
}

/** One scored review: each method's prediction, made before the answer. */
export interface ScoredReview {
  readonly correct: boolean;
  readonly fsrs: number;
  /** The three attempts before it were all right. */
  readonly mastered: boolean;
  readonly running: number;
  /** The simulation's probability, the best any method could predict. */
  readonly truth: number | undefined;
}

export interface StudentScores {
  readonly reviews: ScoredReview[];
  /** Words' first reviews, left out of every method. */
  readonly firstReviews: number;
  /** Attempts that were not a day's first at their word (not reviews). */
  readonly laterAttempts: number;
}

/**
 * One student's reviews, scored: the attempts may come in any order.
 *
 * @example
 * ```ts
 * const { reviews } = scoreStudent(createFsrsModel(0.9), attempts, 'Asia/Shanghai');
 * logLoss(reviews.map((r) => ({ p: r.fsrs, correct: r.correct })));
 * ```
 */
export const scoreStudent = (
  model: MemoryModel,
  attempts: readonly KnownAttempt[],
  timeZone: string,
): StudentScores => {
  const byWord = new Map<string, KnownAttempt[]>();
  for (const attempt of attempts) {
    const list = byWord.get(attempt.word);
    if (list === undefined) byWord.set(attempt.word, [attempt]);
    else list.push(attempt);
  }
  const reviews: ScoredReview[] = [];
  let firstReviews = 0;
  let laterAttempts = 0;
  for (const list of byWord.values()) {
    let memory: WordMemory | undefined;
    let lastDay: string | undefined;
    let right = 0;
    let count = 0;
    let streak = 0; // right answers in a row up to now
    for (const attempt of [...list].sort(compareAttempts)) {
      const at = Date.parse(attempt.answered_at);
      const day = localDate(at, timeZone);
      const card = memory === undefined ? undefined : settled(model, memory)?.card;
      if (day === lastDay) laterAttempts += 1;
      else if (card === undefined) firstReviews += 1;
      else {
        reviews.push({
          correct: attempt.correct,
          fsrs: model.recall(card, at),
          mastered: streak >= 3,
          running: (right + 1) / (count + 2),
          truth: attempt.p,
        });
      }
      memory = foldIntoMemory(model, memory, attempt, timeZone);
      lastDay = day;
      count += 1;
      right += attempt.correct ? 1 : 0;
      streak = attempt.correct ? streak + 1 : 0;
    }
  }
  return { reviews, firstReviews, laterAttempts };
};

/** The share right among reviews with and without mastery, each Laplace-smoothed. */
export interface MasteredRates {
  readonly mastered: number;
  readonly notMastered: number;
}

/**
 * The last-three rule as a probability: the share of right answers among all the scored
 * reviews whose word was mastered, and among those whose word was not, each as
 * (right + 1) / (reviews + 2). Fitted on the very reviews it is scored on, which favours
 * the rule (it sees the outcomes it predicts): a conservative baseline to beat.
 */
export const calibrateMastered = (reviews: readonly ScoredReview[]): MasteredRates => {
  const rate = (mastered: boolean) => {
    const group = reviews.filter((review) => review.mastered === mastered);
    return (group.filter((review) => review.correct).length + 1) / (group.length + 2);
  };
  return { mastered: rate(true), notMastered: rate(false) };
};

export const METHODS = ['fsrs', 'last three', 'running accuracy', 'simulation'] as const;
export type Method = (typeof METHODS)[number];

/**
 * Each method's predictions over the reviews (the simulation's only where all are known),
 * and the rates the last-three rule was calibrated to.
 */
export const predictionsOf = (
  reviews: readonly ScoredReview[],
): { predictions: Partial<Record<Method, Prediction[]>>; rates: MasteredRates } => {
  const rates = calibrateMastered(reviews);
  const of = (p: (review: ScoredReview) => number) =>
    reviews.map((review) => ({ p: p(review), correct: review.correct }));
  const truths = reviews.flatMap((review) =>
    review.truth === undefined ? [] : [{ p: review.truth, correct: review.correct }],
  );
  return {
    predictions: {
      fsrs: of((review) => review.fsrs),
      'last three': of((review) => (review.mastered ? rates.mastered : rates.notMastered)),
      'running accuracy': of((review) => review.running),
      ...(truths.length === reviews.length ? { simulation: truths } : {}),
    },
    rates,
  };
};

const logit = (p: number) => {
  const clipped = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(clipped / (1 - clipped));
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A logistic recalibration `p' = σ(slope · logit(p) + intercept)`. */
export interface Recalibration {
  readonly slope: number;
  readonly intercept: number;
}

/**
 * Platt scaling: the slope and intercept on the logit of the predictions that maximise the
 * likelihood of the outcomes (Newton's method, 2 parameters). It keeps the order of the
 * predictions (so their AUC), and fixes only their scale: how far a method's ranking is
 * from calibrated probabilities. Fitted in-sample, like {@link calibrateMastered}.
 *
 * @example
 * ```ts
 * const fit = recalibrate(predictions);
 * const fixed = predictions.map(({ p, correct }) => ({ p: recalibrated(fit, p), correct }));
 * ```
 */
export const recalibrate = (predictions: readonly Prediction[]): Recalibration => {
  const xs = predictions.map(({ p }) => logit(p));
  const likelihood = (slope: number, intercept: number) => {
    let sum = 0;
    predictions.forEach(({ correct }, i) => {
      const z = slope * (xs[i] ?? 0) + intercept;
      // log σ(z) and log(1 − σ(z)), computed without overflow.
      sum -= Math.log1p(Math.exp(-Math.abs(z))) + Math.max(0, correct ? -z : z);
    });
    return sum;
  };
  // From the constant prediction (slope 0), so the first steps are small.
  let slope = 0;
  let intercept = 0;
  let current = likelihood(slope, intercept);
  for (let iteration = 0; iteration < 100; iteration++) {
    // Gradient and Hessian of the log-likelihood in (slope, intercept).
    let gs = 0;
    let gi = 0;
    let hss = 0;
    let hsi = 0;
    let hii = 0;
    predictions.forEach(({ correct }, i) => {
      const x = xs[i] ?? 0;
      const q = sigmoid(slope * x + intercept);
      const residual = (correct ? 1 : 0) - q;
      const weight = q * (1 - q);
      gs += residual * x;
      gi += residual;
      hss += weight * x * x;
      hsi += weight * x;
      hii += weight;
    });
    const determinant = hss * hii - hsi * hsi;
    if (!(determinant > 0)) break;
    const stepS = (hii * gs - hsi * gi) / determinant;
    const stepI = (hss * gi - hsi * gs) / determinant;
    // Newton's step, halved until the likelihood does not fall (the loss is convex).
    let scale = 1;
    let next = likelihood(slope + stepS, intercept + stepI);
    while (next < current && scale > 1e-6) {
      scale /= 2;
      next = likelihood(slope + scale * stepS, intercept + scale * stepI);
    }
    slope += scale * stepS;
    intercept += scale * stepI;
    const gain = next - current;
    current = next;
    if (gain < 1e-9 * predictions.length) break;
  }
  return { slope, intercept };
};

/** A probability through a {@link Recalibration}. */
export const recalibrated = (fit: Recalibration, p: number): number =>
  sigmoid(fit.slope * logit(p) + fit.intercept);
