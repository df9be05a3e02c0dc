/**
 * The days a student was active, as runs of consecutive days: what a streak needs
 * (DESIGN section 4), in a few entries per gap instead of one per answer. A late answer
 * that fills a gap joins two runs, exactly as a recomputation from the answers would see.
 */
import { addDays } from '../../time-zone.ts';

/** `[first, last]` local dates (`YYYY-MM-DD`), both active, every day between active too. */
export type DayRun = readonly [string, string];

/**
 * `runs` (sorted, disjoint, not adjacent) with `day` active. A new array.
 *
 * @example
 * ```ts
 * withActiveDay([['2026-11-01', '2026-11-02'], ['2026-11-04', '2026-11-04']], '2026-11-03');
 * // [['2026-11-01', '2026-11-04']]
 * ```
 */
export const withActiveDay = (runs: readonly DayRun[], day: string): DayRun[] => {
  const before: DayRun[] = [];
  const after: DayRun[] = [];
  let first = day;
  let last = day;
  for (const run of runs) {
    const [start, end] = run;
    if (end < addDays(first, -1)) before.push(run);
    else if (start > addDays(last, 1)) after.push(run);
    else {
      // Overlapping or adjacent: one run with the day.
      if (start < first) first = start;
      if (end > last) last = end;
    }
  }
  return [...before, [first, last], ...after];
};

/**
 * Consecutive active days ending on `today`, or on the day before if `today` has none;
 * otherwise 0. Days after `today` (answers dated ahead) do not count.
 *
 * @example
 * ```ts
 * streakOfRuns([['2026-11-20', '2026-11-23']], '2026-11-24'); // 4 (ends yesterday)
 * streakOfRuns([['2026-11-20', '2026-11-30']], '2026-11-24'); // 5 (up to today)
 * ```
 */
export const streakOfRuns = (runs: readonly DayRun[], today: string): number => {
  const yesterday = addDays(today, -1);
  for (const end of [today, yesterday]) {
    const run = runs.find(([start, last]) => start <= end && end <= last);
    if (run !== undefined) return daysBetween(run[0], end) + 1;
  }
  return 0;
};

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
