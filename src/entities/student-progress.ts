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
  /** How many of the module's words are due on the day of the run (DESIGN, "Review"). */
  words_due: count.optional(),
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
  // Optional: progress written before the review model lacks them until its next run.
  /** Words due on the day of the run. */
  words_due: count.optional(),
  /** Those words, in code-unit order. */
  due_words: z.array(z.string()).optional(),
  /** Every word with a card (practised), in code-unit order: what `class_review` counts. */
  practised_words: z.array(z.string()).optional(),
  /** The first day after the run's on which a word falls due (the roll-over's cue); null: none. */
  next_due_day: isoDate.nullable().optional(),
  updated_at: utcTimestamp,
});
export type StudentProgress = z.output<typeof studentProgressSchema>;
