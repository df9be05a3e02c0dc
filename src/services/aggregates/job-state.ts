/**
 * The state `aggregate_students` keeps in the `jobs` table: the last local day it rolled
 * over (see `domain/progress/rollover.ts`). Written only when a roll-over finished, so a
 * run with nothing to do writes nothing.
 */
import type { Db } from '../../repositories/db.ts';

export const STUDENTS_JOB = 'aggregate_students' as const;

/**
 * @example
 * ```ts
 * await lastRolloverDay(db); // '2026-11-23', or undefined before the first run
 * ```
 */
export const lastRolloverDay = async (db: Db): Promise<string | undefined> =>
  (await studentsJobState(db)).lastRolloverDay;

/** What the roll-over knows from the last one: its day, and the word lists it saw. */
export interface StudentsJobState {
  readonly lastRolloverDay: string | undefined;
  /** `module id → fingerprint of its word list`; undefined before the first roll-over. */
  readonly moduleLists: ReadonlyMap<string, string> | undefined;
}

export const studentsJobState = async (db: Db): Promise<StudentsJobState> => {
  // Consistent: a run right after another must see the day that run recorded.
  const job = await db.jobs.find(
    { name: STUDENTS_JOB },
    { project: ['name', 'last_rollover_day', 'module_lists'], consistent: true },
  );
  return {
    lastRolloverDay: job?.last_rollover_day,
    moduleLists: job?.module_lists === undefined ? undefined : new Map(job.module_lists),
  };
};

/**
 * Records that every date-dependent figure is up to date for `day`, and the word lists
 * the students' module figures are now of.
 */
export const recordRollover = async (
  db: Db,
  day: string,
  at: Date,
  moduleLists: ReadonlyMap<string, string>,
): Promise<void> => {
  await db.jobs.update(
    { name: STUDENTS_JOB },
    {
      set: {
        last_rollover_day: day,
        last_run_at: at.toISOString(),
        module_lists: [...moduleLists].map(
          ([id, fingerprint]) => [id, fingerprint] as [string, string],
        ),
      },
    },
  );
};
