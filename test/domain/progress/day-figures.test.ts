import { describe, expect, it } from 'vitest';
import {
  dailyFigures,
  streakDays,
  streakStillRuns,
} from '../../../src/domain/progress/day-figures.ts';

describe('dailyFigures', () => {
  it('sums the days of the 30 ending today, leaving out days before and after', () => {
    const attempts = [
      { day: '2026-10-25', correct: true },
      { day: '2026-10-26', correct: true },
      { day: '2026-11-24', correct: false },
      { day: '2026-11-24', correct: true },
      { day: '2026-11-25', correct: true },
    ];
    expect(dailyFigures(attempts, '2026-11-24')).toEqual({
      '2026-10-26': { attempts: 1, correct: 1 },
      '2026-11-24': { attempts: 2, correct: 1 },
    });
  });

  it('spans a month and a year boundary by calendar', () => {
    expect(Object.keys(dailyFigures([{ day: '2025-12-03', correct: true }], '2026-01-01'))).toEqual(
      ['2025-12-03'],
    );
    expect(dailyFigures([{ day: '2025-12-02', correct: true }], '2026-01-01')).toEqual({});
  });
});

describe('streakDays', () => {
  const days = (...list: string[]) => new Set(list);
  it('counts back from today, or from yesterday when today has no answer yet', () => {
    expect(streakDays(days('2026-11-22', '2026-11-23', '2026-11-24'), '2026-11-24')).toBe(3);
    expect(streakDays(days('2026-11-22', '2026-11-23'), '2026-11-24')).toBe(2);
    expect(streakDays(days('2026-11-22'), '2026-11-24')).toBe(0);
    expect(streakDays(days(), '2026-11-24')).toBe(0);
    expect(streakDays(days('2026-02-28', '2026-03-01'), '2026-03-01')).toBe(2);
  });
});

describe('streakStillRuns', () => {
  it('holds when the last active day is today or yesterday', () => {
    expect(streakStillRuns('2026-11-24', '2026-11-24')).toBe(true);
    expect(streakStillRuns('2026-11-23', '2026-11-24')).toBe(true);
    expect(streakStillRuns('2026-11-22', '2026-11-24')).toBe(false);
  });
});
