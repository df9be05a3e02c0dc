/**
 * Day roll-over: some figures depend on the day of the run (`daily`, `streak_days`, and
 * in a parent's summary the 7-day figures), so a student with no new answers still needs
 * recomputing when the day changes, or an incremental run would disagree with a full one.
 *
 * Which students: after the last roll-over day `R` every stored progress was correct for
 * `R` or a later day. A progress whose last answer falls before `R - 29` had an empty
 * `daily` and no streak then, and still has on any later day: nothing about it depends on
 * the date. Every other one (the last answer on or after `R - 29`, including answers dated
 * after the day they were computed for) is recomputed. So is one on which a word has
 * fallen due since (`reviewDependsOnDate`): `words_due` counts the words due on the day.
 */
import { addDays, localDate } from '../time-zone.ts';
import { DAILY_DAYS } from './figures.ts';

/**
 * Whether a run on `today` must roll the day over (the day differs from the last one
 * rolled over, or there never was one).
 *
 * @example
 * ```ts
 * needsRollover('2026-11-23', '2026-11-24'); // true
 * needsRollover('2026-11-24', '2026-11-24'); // false
 * ```
 */
export const needsRollover = (lastRolloverDay: string | undefined, today: string): boolean =>
  lastRolloverDay !== today;

/**
 * The earliest last-active day whose figures may have changed since `lastRolloverDay`, or
 * `undefined` when every student with answers may have (no roll-over recorded). A run
 * told an earlier day than the last roll-over (`--today`) uses that earlier day.
 *
 * @example
 * ```ts
 * rolloverThreshold('2026-11-23', '2026-11-24'); // '2026-10-25'
 * rolloverThreshold(undefined, '2026-11-24'); // undefined: all
 * ```
 */
export const rolloverThreshold = (
  lastRolloverDay: string | undefined,
  today: string,
): string | undefined => {
  if (lastRolloverDay === undefined) return undefined;
  const from = lastRolloverDay < today ? lastRolloverDay : today;
  return addDays(from, -(DAILY_DAYS - 1));
};

/**
 * Whether a stored progress with this `last_active_at` depends on the date past a
 * threshold from {@link rolloverThreshold} (`undefined` threshold: any student with answers).
 *
 * @example
 * ```ts
 * dependsOnDate('2026-11-20T02:00:00.000Z', '2026-10-25', 'Asia/Shanghai'); // true
 * dependsOnDate(null, undefined, 'Asia/Shanghai'); // false: no answers, all zeros forever
 * ```
 */
export const dependsOnDate = (
  lastActiveAt: string | null | undefined,
  threshold: string | undefined,
  timeZone: string,
): boolean =>
  lastActiveAt !== null &&
  lastActiveAt !== undefined &&
  (threshold === undefined || localDate(lastActiveAt, timeZone) >= threshold);

/**
 * Whether a stored progress's review figures change by `today` without new answers: a
 * word falls due on a day after the one it was computed for (`next_due_day`), or it was
 * written before the review figures existed (`words_due` absent, with answers).
 *
 * @example
 * ```ts
 * reviewDependsOnDate({ last_active_at: '…', words_due: 2, next_due_day: '2026-12-09' }, '2026-12-09'); // true
 * ```
 */
export const reviewDependsOnDate = (
  progress: {
    readonly last_active_at?: string | null | undefined;
    readonly words_due?: number | undefined;
    readonly next_due_day?: string | null | undefined;
  },
  today: string,
): boolean => {
  if (progress.last_active_at === null || progress.last_active_at === undefined) return false;
  if (progress.words_due === undefined) return true;
  return (
    progress.next_due_day !== null &&
    progress.next_due_day !== undefined &&
    progress.next_due_day <= today
  );
};
