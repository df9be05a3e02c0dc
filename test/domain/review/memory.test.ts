import { createEmptyCard, fsrs, Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import {
  foldIntoMemory,
  reviewsOf,
  settled,
  type WordMemory,
} from '../../../src/domain/review/memory.ts';
import { seeded } from '../../../src/seed/random.ts';
import { createFsrsModel } from '../../../src/services/review/memory-model.ts';

const ZONE = 'Asia/Shanghai';
const model = createFsrsModel(0.9);

interface Attempt {
  readonly answer_id: string;
  readonly module_id: string;
  readonly correct: boolean;
  readonly answered_at: string;
}

/** DESIGN's definition, written out with ts-fsrs directly: day's first attempt, then replay. */
const expectedCard = (attempts: readonly Attempt[]) => {
  const scheduler = fsrs({ request_retention: 0.9, enable_fuzz: false, enable_short_term: false });
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE });
  const firstOfDay = new Map<string, Attempt>();
  const ordered = [...attempts].sort(
    (a, b) =>
      Date.parse(a.answered_at) - Date.parse(b.answered_at) ||
      (a.answer_id < b.answer_id ? -1 : a.answer_id > b.answer_id ? 1 : 0),
  );
  for (const attempt of ordered) {
    const key = day.format(new Date(attempt.answered_at));
    if (!firstOfDay.has(key)) firstOfDay.set(key, attempt);
  }
  const reviews = [...firstOfDay.values()];
  const first = reviews[0];
  if (first === undefined) return undefined;
  let card = createEmptyCard(new Date(first.answered_at));
  for (const review of reviews) {
    card = scheduler.next(
      card,
      new Date(review.answered_at),
      review.correct ? Rating.Good : Rating.Again,
    ).card;
  }
  return { reviews: reviews.length, card };
};

const randomHistory = (seed: number): Attempt[] => {
  const random = seeded(seed);
  const start = Date.parse('2026-01-01T00:00:00Z');
  const count = random.int(1, 60);
  return Array.from({ length: count }, (_, i) => ({
    answer_id: `a-${random.int(0, 40)}-${i}`,
    module_id: `m-${random.int(1, 3)}`,
    correct: random.next() < 0.7,
    // Coarse times: several attempts a day, and ties to the millisecond now and then.
    answered_at: new Date(start + random.int(0, 120) * 3_600_000 * 6).toISOString(),
  }));
};

describe('a word memory folded answer by answer', () => {
  it('equals a ts-fsrs replay of the day-first attempts, whatever order the answers arrive in', () => {
    for (let seed = 1; seed <= 150; seed += 1) {
      const attempts = randomHistory(seed);
      // Arrival order: mostly in time, with late answers mixed in.
      const random = seeded(seed + 1000);
      const arrival = [...attempts].sort(
        (a, b) =>
          Date.parse(a.answered_at) - Date.parse(b.answered_at) + (random.next() - 0.7) * 4e8,
      );
      let memory: WordMemory | undefined;
      // Settled now and then, as a fold does between steps.
      for (const attempt of arrival) {
        memory = foldIntoMemory(model, memory, attempt, ZONE);
        if (random.next() < 0.3) memory = settled(model, memory) ?? memory;
      }
      const got = memory === undefined ? undefined : settled(model, memory);
      const want = expectedCard(attempts);
      expect(reviewsOf(got?.history ?? '').length, `seed ${seed}`).toBe(want?.reviews ?? 0);
      expect(got?.card, `seed ${seed}`).toEqual({
        due: want?.card.due.getTime(),
        stability: want?.card.stability,
        difficulty: want?.card.difficulty,
        elapsed_days: want?.card.elapsed_days,
        scheduled_days: want?.card.scheduled_days,
        learning_steps: want?.card.learning_steps,
        reps: want?.card.reps,
        lapses: want?.card.lapses,
        state: want?.card.state,
        last_review: want?.card.last_review?.getTime() ?? null,
      });
      expect(got?.module_ids).toEqual([...new Set(attempts.map((a) => a.module_id))].sort());
    }
  });

  it('costs one review, not a replay, for an answer on a day after the last reviewed one', () => {
    let calls = 0;
    const counting = {
      ...model,
      review: (...args: Parameters<typeof model.review>) => {
        calls += 1;
        return model.review(...args);
      },
    };
    const day = (n: number, ok = true) => ({
      answer_id: `a-${n}`,
      module_id: 'm-1',
      correct: ok,
      answered_at: new Date(Date.parse('2026-03-01T02:00:00Z') + n * 86_400_000).toISOString(),
    });
    let memory = foldIntoMemory(counting, undefined, day(0), ZONE);
    for (let n = 1; n < 10; n += 1)
      memory = foldIntoMemory(counting, memory, day(n, n % 3 > 0), ZONE);
    expect(calls).toBe(10);
    expect(memory.card).not.toBeNull();
    // A later attempt on a reviewed day changes nothing; an earlier one asks for a replay.
    const later = { ...day(5), answer_id: 'z', answered_at: '2026-03-06T09:00:00.000Z' };
    expect(foldIntoMemory(counting, memory, later, ZONE).card).toBe(memory.card);
    const earlier = {
      ...day(5),
      answer_id: 'b',
      answered_at: '2026-03-06T00:30:00.000Z',
      correct: false,
    };
    expect(foldIntoMemory(counting, memory, earlier, ZONE).card).toBeNull();
  });

  it('packs a review into one string and back, whatever its id holds', async () => {
    const { packReview, reviewAt, unpackReview } = await import(
      '../../../src/domain/review/memory.ts'
    );
    for (const review of [
      { at: Date.parse('2026-03-01T00:00:00.123Z'), id: 'a-1', correct: true },
      { at: Date.parse('2000-01-01T00:00:00.000Z'), id: '+-+ 7', correct: false },
      // A line feed and backslashes in an id (not through the API, which refuses them).
      { at: Date.parse('2010-05-05T05:05:05.005Z'), id: 'a\nb\\n\\', correct: true },
      { at: Date.parse('2099-12-31T23:59:59.999Z'), id: 'ü€😀', correct: true },
    ]) {
      const packed = packReview(review);
      expect(unpackReview(packed)).toEqual(review);
      expect(reviewAt(packed)).toBe(review.at);
      expect(packed).not.toContain('\n');
    }
  });

  it('a word is due on the day its card falls due and every day after', async () => {
    const { isDueOn, isDueWithin } = await import('../../../src/domain/review/memory.ts');
    expect(isDueOn('2026-03-05', '2026-03-05')).toBe(true);
    expect(isDueOn('2026-03-06', '2026-03-05')).toBe(false);
    expect(isDueWithin('2026-03-12', '2026-03-05', 7)).toBe(true);
    expect(isDueWithin('2026-03-13', '2026-03-05', 7)).toBe(false);
    expect(isDueWithin('2026-03-05', '2026-03-05', 7)).toBe(false);
  });
});
