import { describe, expect, it } from 'vitest';
import {
  FORGETTING,
  halfLifeDays,
  practised,
  recallProbability,
  standardNormal,
  type WordTrace,
} from '../../src/seed/forgetting.ts';
import { seeded } from '../../src/seed/random.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-11-01T02:00:00.000Z');

/** A trace of `right` right answers, the last at `start`. */
const traceOf = (right: number, wrong = 0): WordTrace => ({ right, wrong, last: start });

describe('the simulated learners forgetting model (half-life regression)', () => {
  it('gives probabilities strictly between 0 and 1, between guess and 1 - slip', () => {
    for (const ability of [-3, 0, 3]) {
      for (const difficulty of [-3, 0, 3]) {
        for (const trace of [undefined, traceOf(0, 5), traceOf(20), traceOf(3, 3)]) {
          for (const days of [0, 0.001, 1, 30, 1_000]) {
            const p = recallProbability(FORGETTING, ability, difficulty, trace, start + days * DAY);
            expect(p).toBeGreaterThan(0);
            expect(p).toBeLessThan(1);
            expect(p).toBeGreaterThanOrEqual(FORGETTING.guess);
            expect(p).toBeLessThanOrEqual(1 - FORGETTING.slip);
          }
        }
      }
    }
  });

  it('recall falls with the time away from the word', () => {
    const recall = (days: number) =>
      recallProbability(FORGETTING, 0, 0, traceOf(4), start + days * DAY);
    const curve = [0, 1, 3, 7, 14, 30].map(recall);
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThan(curve[i - 1] ?? 0);
    // Exponential: after one half-life, half of what is remembered is left.
    const h = halfLifeDays(FORGETTING, 0, 0, traceOf(4));
    const remembered = (p: number) =>
      (p - FORGETTING.guess) / (1 - FORGETTING.guess - FORGETTING.slip);
    expect(remembered(recall(h))).toBeCloseTo(0.5, 10);
  });

  it('recall rises with practice: right answers lengthen the half-life, wrong ones shorten it', () => {
    const at = start + 7 * DAY;
    const recall = (trace: WordTrace) => recallProbability(FORGETTING, 0, 0, trace, at);
    expect(recall(traceOf(8))).toBeGreaterThan(recall(traceOf(4)));
    expect(recall(traceOf(4))).toBeGreaterThan(recall(traceOf(1)));
    expect(recall(traceOf(4, 2))).toBeLessThan(recall(traceOf(4)));
    expect(halfLifeDays(FORGETTING, 0, 0, traceOf(9))).toBeGreaterThan(14);
    expect(halfLifeDays(FORGETTING, 0, 0, traceOf(0))).toBeLessThan(1);
  });

  it('abler learners and easier words are remembered longer', () => {
    const at = start + 3 * DAY;
    expect(recallProbability(FORGETTING, 1, 0, traceOf(3), at)).toBeGreaterThan(
      recallProbability(FORGETTING, 0, 0, traceOf(3), at),
    );
    expect(recallProbability(FORGETTING, 0, 1, traceOf(3), at)).toBeLessThan(
      recallProbability(FORGETTING, 0, 0, traceOf(3), at),
    );
    // Before any practice: some words are known beforehand, abler learners know more.
    expect(recallProbability(FORGETTING, 2, 0, undefined, at)).toBeGreaterThan(
      recallProbability(FORGETTING, -2, 0, undefined, at),
    );
  });

  it('counts each answer into the trace', () => {
    const once = practised(undefined, start, true);
    expect(once).toEqual({ right: 1, wrong: 0, last: start });
    expect(practised(once, start + DAY, false)).toEqual({ right: 1, wrong: 1, last: start + DAY });
  });

  it('draws standard normal traits from the seed generator', () => {
    const random = seeded(3);
    const draws = Array.from({ length: 20_000 }, () => standardNormal(random.next));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
    expect(draws.every(Number.isFinite)).toBe(true);
  });
});
