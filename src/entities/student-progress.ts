import * as z from 'zod';
import { accuracy, count, dataKeyedRecord, id, utcTimestamp } from './common.ts';

const isoDate = z.iso.date();

export const dailyFigureSchema = z.object({ attempts: count, correct: count });

export const moduleProgressSchema = z.object({
  attempts: count,
  correct: count,
  accuracy,
  words_practised: count,
  words_mastered: count,
  words_total: count.nullable(),
});

/** The student aggregate of DESIGN section 4, one item per student. */
export const studentProgressSchema = z.looseObject({
  student_id: id,
  attempts: count,
  correct: count,
  accuracy,
  words_practised: count,
  words_mastered: count,
  last_active_at: utcTimestamp.nullable(),
  streak_days: count,
  daily: dataKeyedRecord(isoDate, dailyFigureSchema),
  modules: dataKeyedRecord(id, moduleProgressSchema),
  updated_at: utcTimestamp,
});
export type StudentProgress = z.output<typeof studentProgressSchema>;
