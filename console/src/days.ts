/** A student's days as the charts draw them (no DOM here: tested in Node). */
import { addDays, localDate } from '../../src/domain/time-zone.ts';
import type { StudentProgress } from './schemas.ts';

export interface Day {
  readonly date: string;
  readonly attempts: number;
  readonly correct: number;
  readonly accuracy: number | null;
}

/**
 * The `count` days ending with the day of the aggregate's run, a date in `timeZone`
 * (`LMS_TIMEZONE`) as `daily`'s keys are (`daily` holds only days with answers).
 */
export const lastDays = (progress: StudentProgress, count: number, timeZone: string): Day[] => {
  const keys = Object.keys(progress.daily).sort();
  const updated = localDate(progress.updated_at, timeZone);
  const latest = keys.at(-1);
  const end = latest !== undefined && latest > updated ? latest : updated;
  return Array.from({ length: count }, (_, i) => {
    const date = addDays(end, i - count + 1);
    const figures = progress.daily[date];
    const attempts = figures?.attempts ?? 0;
    const correct = figures?.correct ?? 0;
    return { date, attempts, correct, accuracy: attempts === 0 ? null : correct / attempts };
  });
};
