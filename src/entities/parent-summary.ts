import * as z from 'zod';
import { accuracy, count, id, utcTimestamp } from './common.ts';

export const childSummarySchema = z.object({
  student_id: id,
  name: z.string(),
  class_code: id.nullable(),
  attempts_7d: count,
  correct_7d: count,
  accuracy_7d: accuracy,
  words_mastered: count,
  streak_days: count,
  last_active_at: utcTimestamp.nullable(),
});

/** The parent aggregate of DESIGN section 4; children sorted by name then id. */
export const parentSummarySchema = z.looseObject({
  parent_id: id,
  children: z.array(childSummarySchema),
  updated_at: utcTimestamp,
});
export type ParentSummary = z.output<typeof parentSummarySchema>;
