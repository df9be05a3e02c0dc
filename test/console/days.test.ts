import { describe, expect, it } from 'vitest';
import { lastDays } from '../../console/src/days.ts';
import type { StudentProgress } from '../../console/src/schemas.ts';

const progress = (updatedAt: string, daily: StudentProgress['daily']): StudentProgress => ({
  student_id: 's-1',
  attempts: 3,
  correct: 2,
  accuracy: 2 / 3,
  words_practised: 1,
  words_mastered: 0,
  last_active_at: '2026-11-30T16:30:00.000Z',
  streak_days: 1,
  daily,
  modules: {},
  updated_at: updatedAt,
});

describe("the console's days", () => {
  it('end with the day of the aggregate run in the stack zone, not in UTC', () => {
    // 01:00 on 1 December in Shanghai is still 30 November in UTC.
    const days = lastDays(
      progress('2026-11-30T17:00:00.000Z', { '2026-12-01': { attempts: 3, correct: 2 } }),
      7,
      'Asia/Shanghai',
    );
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    expect(days.at(-1)).toEqual({ date: '2026-12-01', attempts: 3, correct: 2, accuracy: 2 / 3 });
    expect(days.slice(0, -1).every((d) => d.attempts === 0 && d.accuracy === null)).toBe(true);
  });

  it('a zone west of UTC ends a day earlier', () => {
    const days = lastDays(progress('2026-12-01T03:00:00.000Z', {}), 2, 'America/New_York');
    expect(days.map((d) => d.date)).toEqual(['2026-11-29', '2026-11-30']);
  });
});
