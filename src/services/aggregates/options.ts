/** What both aggregate jobs accept. */

/** `incremental`: only what is marked (and the day's roll-over); `full`: everyone. */
export const AGGREGATE_MODES = ['incremental', 'full'] as const;
export type AggregateMode = (typeof AGGREGATE_MODES)[number];

/** Students or parents computed and written at once. */
export const DEFAULT_CONCURRENCY = 16;

/**
 * Students or parents handled together: their records and stored aggregates are read with
 * one batch get per table (BatchGetItem takes 100 keys), then each is computed and written.
 */
export const CHUNK_SIZE = 100;

export interface AggregateOptions<P> {
  readonly mode?: AggregateMode;
  /** Compute and report; write, mark and clear nothing. */
  readonly dryRun?: boolean;
  /** The IANA zone of a school day (`LMS_TIMEZONE`). */
  readonly timeZone: string;
  /** The clock (`updated_at`, and the day of the run unless `today` is given). */
  readonly now?: () => Date;
  /** The day of the run, `YYYY-MM-DD` in `timeZone`; default: the day of `now()`. */
  readonly today?: string;
  readonly concurrency?: number;
  /**
   * How old an answer must be to be folded (default {@link ANSWER_SETTLE_MS}); younger
   * ones wait for the next run. Tests that record and aggregate on one clock pass 0.
   */
  readonly settleMs?: number;
  readonly onProgress?: (event: P) => void;
}

/**
 * Answers recorded in the last minute are left to the next run. `record_answers` gives a
 * batch its `recorded_at` just before writing it, and may take up to its timeout (29 s,
 * `src/catalog/functions.ts`) to finish; a fold that read past an answer still in flight
 * would move its watermark beyond it and never fold it. It marks its students before it
 * writes, and a run keeps a mark younger than this window (`markSettled`). Twice the timeout
 * is needed: a mark overwritten by an older request's mark was written by an invocation
 * that has ended within two timeouts of that older request's `recorded_at` (see "Marks and
 * tokens" in docs/aggregates.md); `record-answers-faults.test.ts` checks the catalogue.
 */
export const ANSWER_SETTLE_MS = 60_000;

/** Answers folded per step of one student: what one student's fold holds in memory. */
export const FOLD_PAGE_SIZE = 500;
