import { describe, expect, it } from 'vitest';
import { auc, logLoss, type Prediction } from '../../bench/review/metrics.ts';
import { seeded } from '../../src/seed/random.ts';

const of = (pairs: readonly (readonly [number, boolean])[]): Prediction[] =>
  pairs.map(([p, correct]) => ({ p, correct }));

/** AUC by its definition: over every pair of a right and a wrong answer. */
const pairwiseAuc = (predictions: readonly Prediction[]): number => {
  let wins = 0;
  let pairs = 0;
  for (const a of predictions) {
    if (!a.correct) continue;
    for (const b of predictions) {
      if (b.correct) continue;
      pairs += 1;
      wins += a.p > b.p ? 1 : a.p === b.p ? 0.5 : 0;
    }
  }
  return wins / pairs;
};

describe('log-loss', () => {
  it('is ln 2 for a coin, small for confident right predictions, large for confident wrong ones', () => {
    expect(logLoss(of([[0.5, true]]))).toBeCloseTo(Math.LN2, 12);
    expect(logLoss(of([[0.5, false]]))).toBeCloseTo(Math.LN2, 12);
    expect(
      logLoss(
        of([
          [0.9, true],
          [0.2, false],
        ]),
      ),
    ).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(logLoss(of([[0.99, false]]))).toBeGreaterThan(4);
  });

  it('stays finite for certain predictions that were wrong', () => {
    const loss = logLoss(
      of([
        [1, false],
        [0, true],
      ]),
    );
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(30);
    expect(
      logLoss(
        of([
          [1, true],
          [0, false],
        ]),
      ),
    ).toBeLessThan(1e-12);
  });

  it('is lowest for the true probability (a proper scoring rule)', () => {
    // Seven right in ten: 0.7 scores better than 0.6 or 0.8.
    const outcomes = [true, true, true, true, true, true, true, false, false, false];
    const at = (p: number) => logLoss(outcomes.map((correct) => ({ p, correct })));
    expect(at(0.7)).toBeLessThan(at(0.6));
    expect(at(0.7)).toBeLessThan(at(0.8));
  });
});

describe('AUC', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when every p is the same', () => {
    expect(
      auc(
        of([
          [0.8, true],
          [0.3, false],
          [0.9, true],
          [0.1, false],
        ]),
      ),
    ).toBe(1);
    expect(
      auc(
        of([
          [0.2, true],
          [0.7, false],
        ]),
      ),
    ).toBe(0);
    expect(
      auc(
        of([
          [0.5, true],
          [0.5, false],
          [0.5, true],
        ]),
      ),
    ).toBe(0.5);
  });

  it('counts ties a half, by rank averaging', () => {
    // Right: 0.4, 0.6, 0.6; wrong: 0.6, 0.2. Pairs: 0.4>0.2 (1), 0.4<0.6 (0), 0.6=0.6 (½ twice), 0.6>0.2 (1 twice).
    const predictions = of([
      [0.4, true],
      [0.6, true],
      [0.6, true],
      [0.6, false],
      [0.2, false],
    ]);
    expect(auc(predictions)).toBeCloseTo(4 / 6, 12);
    expect(auc(predictions)).toBeCloseTo(pairwiseAuc(predictions), 12);
  });

  it('agrees with the pairwise definition on random data with many ties, whatever the order', () => {
    const { next } = seeded(12345);
    const predictions = Array.from({ length: 300 }, () => {
      const p = Math.round(next() * 10) / 10;
      return { p, correct: next() < p };
    });
    expect(auc(predictions)).toBeCloseTo(pairwiseAuc(predictions), 12);
    expect(auc([...predictions].reverse())).toBeCloseTo(auc(predictions), 12);
  });

  it('is NaN when there is nothing to rank against', () => {
    expect(
      auc(
        of([
          [0.3, true],
          [0.9, true],
        ]),
      ),
    ).toBeNaN();
  });
});
