/**
 * The items of `student_state` (see `tables.student_state` and
 * `domain/progress/fold/state.ts`): a root, a part per module, a part per word. Lists
 * rather than maps where the keys are words or module ids, so no stored key can collide
 * with an object's own properties (`__proto__`), and a stored part reads back in order.
 */
import * as z from 'zod';
import { count, id, utcTimestamp } from './common.ts';

const isoDate = z.iso.date();

/** `[answered_at, answer_id, correct]` of one of a word's most recent attempts. */
const recentSchema = z.tuple([utcTimestamp, id, z.boolean()]);

/**
 * One day's review of a word (`domain/review/memory.ts`), packed into one string so that a
 * word answered every day for ten years stays far below DynamoDB's 400 KB item: the
 * instant in base 36 (epoch milliseconds, 8 characters), `+` correct or `-` wrong, then
 * the answer id (kept for the order of two attempts in the same millisecond). 10 bytes and
 * the id's length per day: a ten-year daily history of 7-character ids is about 65 KB.
 */
export const storedReview = z.string().regex(/^[0-9a-z]{1,11}[+-]./s);

/** A memory card (`domain/review/card.ts`) with its instants as UTC timestamps. */
export const storedCardSchema = z.object({
  due: utcTimestamp,
  stability: z.number(),
  difficulty: z.number(),
  elapsed_days: z.number(),
  scheduled_days: z.number(),
  learning_steps: z.number(),
  reps: count,
  lapses: count,
  state: z.number().int().min(0).max(3),
  last_review: utcTimestamp.nullable(),
});
export type StoredCard = z.output<typeof storedCardSchema>;

/**
 * A word's memory in its word part, as three top-level attributes so that a reader of the
 * cards (`student_review`) projects the card and leaves the reviews, the bulk, unread.
 */
const memoryFields = {
  /** One review a day, packed ({@link storedReview}), in time order. */
  reviews: z.array(storedReview),
  /** The card they give; null only for a part emptied by a rebuild (no answer left). */
  card: storedCardSchema.nullable(),
  /** The modules the word was answered in, in code-unit order. */
  module_ids: z.array(id),
};

/** What every part says about the folds that wrote it (see `services/aggregates/fold/`). */
const written = {
  student_id: id,
  /** The `recorded_key` of the last answer this part holds. */
  folded_to: z.string(),
  /** The root version this write was made for: above the root's, the root has not seen it. */
  root_version: count,
};

export const stateRootSchema = z.looseObject({
  ...written,
  part: z.literal('root'),
  version: count,
  /** The `recorded_key` of the last answer folded (see `fold-student.ts`); '' before any. */
  watermark: z.string(),
  /** Random per fold attempt: a retried write that finds it knows its first try landed. */
  fold_token: z.string(),
  time_zone: z.string().min(1),
  attempts: count,
  correct: count,
  last_active_at: utcTimestamp.nullable(),
  /** `day → [attempts, correct]`, the days `daily` may still show. */
  days: z.record(isoDate, z.tuple([count, count])),
  runs: z.array(z.tuple([isoDate, isoDate])),
  words_practised: count,
  words_mastered: count,
  /** The `request_retention` the cards were scheduled with: another one rebuilds them. */
  review_retention: z.number(),
  /**
   * `[word, due day, module ids]` of every word with a card: what `words_due` needs on any
   * day, so a roll-over reads the root alone.
   */
  review: z.array(z.tuple([z.string().min(1), isoDate, z.array(id)])),
  /** Modules folded into since the stored progress was last written for this version. */
  pending_modules: z.array(id),
  /**
   * Set on a rebuild's claim (`fold/rebuild-student.ts`): the parts may be half rewritten,
   * so every fold that reads it rebuilds the student instead.
   */
  rebuilding: z.string().optional(),
});

export const stateModuleSchema = z.looseObject({
  ...written,
  part: z.string().startsWith('m#'),
  module_id: id,
  /** `[word, attempts, correct, recent]` for every word answered in the module. */
  words: z.array(z.tuple([z.string().min(1), count, count, z.array(recentSchema).max(3)])),
});

export const stateWordSchema = z.looseObject({
  ...written,
  part: z.string().startsWith('w#'),
  word: z.string().min(1),
  attempts: count,
  correct: count,
  recent: z.array(recentSchema).max(3),
  ...memoryFields,
  /**
   * `[practised, mastered]` as the root this part was written for counts the word before
   * this write (a fold step), or with it (a rebuild): what the root's word counts must be
   * corrected by while the part is a leftover (its `folded_to` beyond the watermark).
   */
  counted: z.tuple([count, count]),
});

/**
 * What the repository validates of any part: its key and the fold bookkeeping. Each part
 * is then read with the schema of its kind above (`fold/parts.ts`), so an invalid part is
 * reported and rebuilt, never cast.
 */
export const studentStateSchema = z.looseObject({ ...written, part: id });
export type StudentStateItem = z.output<typeof studentStateSchema>;
export type StateRoot = z.output<typeof stateRootSchema>;
export type StateModule = z.output<typeof stateModuleSchema>;
export type StateWord = z.output<typeof stateWordSchema>;

export const ROOT_PART = 'root';
export const modulePart = (moduleId: string): string => `m#${moduleId}`;
export const wordPart = (word: string): string => `w#${word}`;
