/**
 * Figures per school day. A day is a calendar date in the LMS time zone; dates are
 * `YYYY-MM-DD` strings, which compare in calendar order as plain strings.
 */
import { addDays } from '../time-zone.ts';
import { DAILY_DAYS, type DayFigures } from './figures.ts';

/**
 * The attempts and correct answers of each of the {@link DAILY_DAYS} days ending `today`
 * that has answers (DESIGN section 4: `daily`). Days outside the window, before or after,
 * are left out.
 *
 * @example
 * ```ts
 * dailyFigures([{ day: '2026-11-24', correct: true }, { day: '2026-11-24', correct: false }], '2026-11-24');
 * // { '2026-11-24': { attempts: 2, correct: 1 } }
 * ```
 */
export const dailyFigures = (
  attempts: readonly { readonly day: string; readonly correct: boolean }[],
  today: string,
): Record<string, DayFigures> => {
  const first = addDays(today, -(DAILY_DAYS - 1));
  // A Map, then entries: the house rule for maps whose keys are data.
  const daily = new Map<string, { attempts: number; correct: number }>();
  for (const { day, correct } of attempts) {
    if (day < first || day > today) continue;
    const figures = daily.get(day) ?? { attempts: 0, correct: 0 };
    figures.attempts += 1;
    if (correct) figures.correct += 1;
    daily.set(day, figures);
  }
  return Object.fromEntries(daily);
};

/**
 * Consecutive days with at least one answer, ending on `today` or, if `today` has none
 * yet, on the day before; otherwise 0 (DESIGN section 4). A child who practised every day
 * up to yesterday keeps the streak until today ends. Days after `today` do not count.
 *
 * @example
 * ```ts
 * streakDays(new Set(['2026-11-22', '2026-11-23']), '2026-11-24'); // 2 (ends yesterday)
 * streakDays(new Set(['2026-11-22']), '2026-11-24'); // 0 (broken)
 * ```
 */
export const streakDays = (activeDays: ReadonlySet<string>, today: string): number => {
  let day = activeDays.has(today) ? today : addDays(today, -1);
  let streak = 0;
  while (activeDays.has(day)) {
    streak += 1;
    day = addDays(day, -1);
  }
  return streak;
};

/**
 * Whether a streak of a day `lastActiveDay` still counts on `today`: the last active day
 * is `today` or the day before. Used to carry a stored streak forward to a later day
 * without the answers: a streak that ended two or more days before `today` is 0.
 *
 * @example
 * ```ts
 * streakStillRuns('2026-11-23', '2026-11-24'); // true
 * streakStillRuns('2026-11-22', '2026-11-24'); // false
 * ```
 */
export const streakStillRuns = (lastActiveDay: string, today: string): boolean =>
  lastActiveDay >= addDays(today, -1);
