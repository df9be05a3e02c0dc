/**
 * A child's figures in a parent's summary, derived from the child's stored progress: the
 * parents job reads no answers. The 7-day figures come from `daily` (which holds every day
 * of the 30 ending with the day the progress was computed for), and the streak is carried
 * forward to the parents job's day, so a summary computed a day after the progress still
 * equals a recomputation from the raw answers.
 */
import { accuracy } from '../accuracy.ts';
import { addDays, localDate } from '../time-zone.ts';
import { streakStillRuns } from './day-figures.ts';
import { type ChildSummary, type DayFigures, WINDOW_DAYS } from './figures.ts';

/** What the child figures need of a `student_progress` item (the projection read). */
export interface ProgressForChild {
  readonly daily: Readonly<Record<string, DayFigures>>;
  readonly streak_days: number;
  readonly words_mastered: number;
  readonly last_active_at: string | null;
}

export type ChildFigures = Omit<ChildSummary, 'student_id' | 'name' | 'class_code'>;

/** A child without progress yet: nothing practised. */
export const NO_FIGURES: ChildFigures = {
  attempts_7d: 0,
  correct_7d: 0,
  accuracy_7d: null,
  words_mastered: 0,
  streak_days: 0,
  last_active_at: null,
} as const;

/**
 * @example
 * ```ts
 * childFigures(progress, '2026-11-24', 'Asia/Shanghai');
 * // { attempts_7d: 14, correct_7d: 11, accuracy_7d: 0.7857…, words_mastered: 6, streak_days: 3, last_active_at: '…' }
 * ```
 */
export const childFigures = (
  progress: ProgressForChild | undefined,
  today: string,
  timeZone: string,
): ChildFigures => {
  if (progress === undefined) return NO_FIGURES;
  const first = addDays(today, -(WINDOW_DAYS - 1));
  let attempts = 0;
  let correct = 0;
  for (const [day, figures] of Object.entries(progress.daily)) {
    if (day < first || day > today) continue;
    attempts += figures.attempts;
    correct += figures.correct;
  }
  const lastActiveDay =
    progress.last_active_at === null ? undefined : localDate(progress.last_active_at, timeZone);
  return {
    attempts_7d: attempts,
    correct_7d: correct,
    accuracy_7d: accuracy(correct, attempts),
    words_mastered: progress.words_mastered,
    // A stored streak ends on the progress's day or the day before; if the child has not
    // practised since the day before `today`, it is broken by `today`.
    streak_days:
      lastActiveDay !== undefined && streakStillRuns(lastActiveDay, today)
        ? progress.streak_days
        : 0,
    last_active_at: progress.last_active_at,
  };
};
