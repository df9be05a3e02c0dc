import { describe, expect, it } from 'vitest';
import { compareAttempts, orderAttempts } from '../../src/domain/attempts.ts';

describe('attempt order', () => {
  it('orders by answered_at as an instant, then answer_id', () => {
    const answers = [
      { answer_id: 'c', answered_at: '2026-03-01T00:00:00.000Z' },
      { answer_id: 'b', answered_at: '2026-03-01T00:00:00.000Z' },
      { answer_id: 'a', answered_at: '2026-03-01T00:00:00.001Z' },
      // the same instant as the first two, written with an offset
      { answer_id: 'a', answered_at: '2026-03-01T08:00:00+08:00' },
      { answer_id: 'z', answered_at: '2026-02-28T23:59:59.999Z' },
    ];
    expect(orderAttempts(answers).map((a) => `${a.answer_id}@${a.answered_at}`)).toEqual([
      'z@2026-02-28T23:59:59.999Z',
      'a@2026-03-01T08:00:00+08:00',
      'b@2026-03-01T00:00:00.000Z',
      'c@2026-03-01T00:00:00.000Z',
      'a@2026-03-01T00:00:00.001Z',
    ]);
    expect(answers[0]?.answer_id).toBe('c'); // the input is left as it was
  });

  it('compares answer ids by code units', () => {
    const at = '2026-03-01T00:00:00.000Z';
    expect(
      compareAttempts({ answer_id: 'B', answered_at: at }, { answer_id: 'a', answered_at: at }),
    ).toBeLessThan(0);
    expect(
      compareAttempts({ answer_id: 'a', answered_at: at }, { answer_id: 'a', answered_at: at }),
    ).toBe(0);
  });
});
