/** The per-student counter on the real engine: atomic under concurrency, windows, refunds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswersRateLimitedError } from '../../../src/services/answers/errors.ts';
import { admitAnswers, rateWindow } from '../../../src/services/answers/rate-limit.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const AT = new Date('2026-03-05T08:15:59.500Z');
const times = (studentId: string, count: number) => Array.from({ length: count }, () => studentId);

describe('admitAnswers', () => {
  it('windows are whole UTC minutes; Retry-After rounds up and is at least 1 s', async () => {
    expect(rateWindow(AT)).toEqual({
      start: '2026-03-05T08:15:00.000Z',
      endMs: Date.parse('2026-03-05T08:16:00.000Z'),
    });
    await admitAnswers(t.db, times('s-edge', 600), 600, AT);
    const refusal = admitAnswers(t.db, ['s-edge'], 600, AT);
    await expect(refusal).rejects.toBeInstanceOf(AnswersRateLimitedError);
    await expect(refusal).rejects.toMatchObject({ retryAfterSeconds: 1, studentIds: ['s-edge'] });
  });

  it('concurrent requests of one student never admit more than the limit', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => admitAnswers(t.db, times('s-race', 400), 600, AT)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const counter = await t.db.answer_rates.find({
      student_id: 's-race',
      window_start: rateWindow(AT).start,
    });
    expect(counter).toEqual({
      student_id: 's-race',
      window_start: '2026-03-05T08:15:00.000Z',
      answers: 400,
      // An hour after the window's end, in epoch seconds (what TTL reads).
      expires_at: Date.parse('2026-03-05T09:16:00.000Z') / 1000,
    });
  });

  it('without a limit, admits without a request', async () => {
    await admitAnswers(t.db, times('s-free', 5000), undefined, AT);
    expect(await t.db.answer_rates.get({ student_id: 's-free' })).toEqual([]);
  });
});
