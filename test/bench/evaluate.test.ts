import { describe, expect, it } from 'vitest';
import {
  calibrateMastered,
  type KnownAttempt,
  predictionsOf,
  recalibrate,
  recalibrated,
  scoreStudent,
} from '../../bench/review/evaluate.ts';
import { logLoss } from '../../bench/review/metrics.ts';
import { packReview, replayCard } from '../../src/domain/review/memory.ts';
import { seeded } from '../../src/seed/random.ts';
import { createFsrsModel } from '../../src/services/review/memory-model.ts';

const model = createFsrsModel(0.9);
const zone = 'Asia/Shanghai';

let n = 0;
/** An attempt at `word` at a Shanghai wall-clock time (UTC+8). */
const attempt = (word: string, local: string, correct: boolean, p?: number): KnownAttempt => {
  n += 1;
  return {
    answer_id: `a-${String(n).padStart(5, '0')}`,
    module_id: 'm-001',
    word,
    correct,
    answered_at: new Date(Date.parse(`${local}+08:00`)).toISOString(),
    ...(p === undefined ? {} : { p }),
  };
};

describe("scoring a student's reviews", () => {
  const attempts = [
    attempt('cat', '2026-11-01T09:00:00', false, 0.2),
    attempt('cat', '2026-11-01T09:05:00', true, 0.9), // the day's second attempt: no review
    attempt('cat', '2026-11-03T10:00:00', true, 0.6),
    attempt('cat', '2026-11-09T10:00:00', true, 0.5),
    attempt('cat', '2026-11-09T10:01:00', true, 0.95),
    attempt('cat', '2026-11-20T10:00:00', false, 0.3),
    attempt('dog', '2026-11-02T09:00:00', true, 0.4),
  ];

  it("scores each day's first attempt after a word's first day, with what was known before it", () => {
    const { reviews, firstReviews, laterAttempts } = scoreStudent(
      model,
      [...attempts].reverse(),
      zone,
    );
    expect(firstReviews).toBe(2); // cat and dog
    expect(laterAttempts).toBe(2);
    expect(reviews.map((review) => review.correct)).toEqual([true, true, false]);
    expect(reviews.map((review) => review.truth)).toEqual([0.6, 0.5, 0.3]);
    // Running accuracy over every earlier attempt, the day's later ones too.
    expect(reviews.map((review) => review.running)).toEqual([2 / 4, 3 / 5, 5 / 7]);
    // Mastered: the three attempts before were right (11-09 follows wrong, right, right).
    expect(reviews.map((review) => review.mastered)).toEqual([false, false, true]);
    // FSRS: the card of the earlier reviews only (the day's first attempts), at the instant.
    const at = Date.parse(attempts[3]?.answered_at ?? '');
    const card = replayCard(model, [
      packReview({ at: Date.parse(attempts[0]?.answered_at ?? ''), id: 'a', correct: false }),
      packReview({ at: Date.parse(attempts[2]?.answered_at ?? ''), id: 'b', correct: true }),
    ]);
    if (card === null) throw new Error('no card');
    expect(reviews[1]?.fsrs).toBeCloseTo(model.recall(card, at), 12);
  });

  it("turns the last-three rule into two smoothed rates, and lists each method's predictions", () => {
    const { reviews } = scoreStudent(model, attempts, zone);
    expect(calibrateMastered(reviews)).toEqual({
      mastered: (0 + 1) / (1 + 2),
      notMastered: (2 + 1) / (2 + 2),
    });
    const { predictions } = predictionsOf(reviews);
    expect(predictions['last three']?.map((p) => p.p)).toEqual([3 / 4, 3 / 4, 1 / 3]);
    expect(predictions.simulation?.map((p) => p.p)).toEqual([0.6, 0.5, 0.3]);
    expect(Object.keys(predictions)).toEqual([
      'fsrs',
      'last three',
      'running accuracy',
      'simulation',
    ]);
  });
});

describe('Platt recalibration', () => {
  it('finds the slope and intercept that make overconfident predictions calibrated', () => {
    // Outcomes drawn with p = σ(0.5·logit q − 1) from predictions q: the fit recovers it.
    const { next } = seeded(99);
    const predictions = Array.from({ length: 20_000 }, () => {
      const q = 0.02 + 0.96 * next();
      const truth = 1 / (1 + Math.exp(-(0.5 * Math.log(q / (1 - q)) - 1)));
      return { p: q, correct: next() < truth };
    });
    const fit = recalibrate(predictions);
    expect(fit.slope).toBeCloseTo(0.5, 1);
    expect(fit.intercept).toBeCloseTo(-1, 1);
    const fixed = predictions.map(({ p, correct }) => ({ p: recalibrated(fit, p), correct }));
    expect(logLoss(fixed)).toBeLessThan(logLoss(predictions));
  });

  it('stays finite on predictions at 0 and 1', () => {
    const fit = recalibrate([
      { p: 1, correct: false },
      { p: 1, correct: true },
      { p: 0, correct: true },
      { p: 0.5, correct: false },
    ]);
    expect(Number.isFinite(fit.slope) && Number.isFinite(fit.intercept)).toBe(true);
  });
});
