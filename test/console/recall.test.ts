/**
 * The console's forgetting curve against ts-fsrs's own scheduler, configured as the API's
 * memory model (DESIGN section 4, "Review"): at every instant the curve steps, its recall is
 * `get_retrievability`'s, whether the reply carries `last_review` or only `recall`.
 */
import { type Card, createEmptyCard, fsrs, Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { elapsedDays, forgettingCurve } from '../../console/src/recall.ts';
import type { ReviewWord } from '../../console/src/schemas.ts';

const DAY = 86_400_000;
const scheduler = fsrs({ request_retention: 0.9, enable_fuzz: false, enable_short_term: false });

/** A small seeded generator: the same cards on every run. */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const cards = (count: number): { card: Card; at: Date }[] => {
  const next = random(7);
  return Array.from({ length: count }, () => {
    let at = Date.parse('2026-10-01T08:00:00Z') + next() * DAY;
    let card = createEmptyCard(new Date(at));
    const reviews = 1 + Math.floor(next() * 6);
    for (let i = 0; i < reviews; i += 1) {
      card = scheduler.next(card, new Date(at), next() < 0.75 ? Rating.Good : Rating.Again).card;
      at += next() * 12 * DAY;
    }
    const lastReview = card.last_review?.getTime() ?? at;
    return { card, at: new Date(lastReview + next() * 40 * DAY) };
  });
};

const wordOf = (card: Card, at: Date, withLastReview: boolean): ReviewWord => ({
  word: 'w',
  module_ids: ['m-1'],
  recall: scheduler.get_retrievability(card, at, false),
  due_at: card.due.toISOString(),
  stability: card.stability,
  difficulty: card.difficulty,
  reviews: card.reps,
  lapses: card.lapses,
  last_review:
    withLastReview && card.last_review !== undefined ? card.last_review.toISOString() : null,
});

describe("the console's forgetting curve", () => {
  for (const withLastReview of [true, false]) {
    it(`is ts-fsrs's recall at each step and on the due instant (${withLastReview ? 'with' : 'without'} last_review)`, () => {
      for (const { card, at } of cards(200)) {
        const curve = forgettingCurve(wordOf(card, at, withLastReview), at.toISOString());
        for (const point of curve.points)
          expect(point.recall).toBeCloseTo(scheduler.get_retrievability(card, point.at, false), 9);
        expect(curve.due.recall).toBeCloseTo(
          scheduler.get_retrievability(card, card.due, false),
          9,
        );
        expect(curve.points.at(-1)?.at.getTime()).toBe(at.getTime() + 30 * DAY);
      }
    });
  }

  it('counts whole days since the last review, as get_retrievability does', () => {
    const start = new Date('2026-11-01T10:00:00Z');
    const card = scheduler.next(createEmptyCard(start), start, Rating.Good).card;
    const almostTwo = new Date(start.getTime() + 2 * DAY - 1);
    expect(elapsedDays(wordOf(card, almostTwo, true), almostTwo.toISOString())).toBe(1);
    expect(elapsedDays(wordOf(card, almostTwo, false), almostTwo.toISOString())).toBe(1);
  });
});
