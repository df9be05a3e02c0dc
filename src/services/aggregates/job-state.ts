/**
 * The state `aggregate_students` keeps in the `jobs` table: the last local day it rolled
 * over (see `domain/progress/rollover.ts`). Written only when a roll-over finished, so a
 * run with nothing to do writes nothing.
 */
import type { Db } from '../../repositories/db.ts';

export const STUDENTS_JOB = 'aggregate_students';

/**
 * @example
 * ```ts
 * await lastRolloverDay(db); // '2026-11-23', or undefined before the first run
 * ```
 */
export const lastRolloverDay = async (db: Db): Promise<string | undefined> => {
  // Consistent: a run right after another must see the day that run recorded.
  const job = await db.jobs.find(
    { name: STUDENTS_JOB },
    { project: ['name', 'last_rollover_day'], consistent: true },
  );
  return job?.last_rollover_day;
};

/** Records that every date-dependent figure is up to date for `day`. */
export const recordRollover = async (db: Db, day: string, at: Date): Promise<void> => {
  await db.jobs.update(
    { name: STUDENTS_JOB },
    { set: { last_rollover_day: day, last_run_at: at.toISOString() } },
  );
};
