/** What both aggregate jobs accept. */
import type { AggregateMode } from '../../domain/progress/run-modes.ts';

/**
 * Shards of a whole run in one process: one scan of each table, as one worker reads it (the
 * workflow's runs default to `DEFAULT_SHARDS`, one worker each).
 */
export const WHOLE_RUN_SHARDS = 1;

/** Students or parents computed and written at once. */
export const DEFAULT_CONCURRENCY = 16;

/**
 * Students or parents handled together: their records and stored aggregates are read with
 * one batch get per table (BatchGetItem takes 100 keys), then each is computed and written.
 */
export const CHUNK_SIZE = 100;

export interface AggregateOptions {
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
  /** Shards of the run (default {@link WHOLE_RUN_SHARDS}). */
  readonly shards?: number;
  /** Items a worker reads and processes at once. */
  readonly pageSize?: number;
  /** `LMS_REVIEW_RETENTION` of the students' cards; default DESIGN's 0.9. */
  readonly reviewRetention?: number;
  /** What is left of the invocation the run is part of; default: unbounded. */
  readonly remainingMs?: () => number;
}

/**
 * Answers recorded in the last minute are left to the next run. What keeps a run from
 * folding past answers still in flight is data, not this window: `record_answers` opens a
 * batch (`answer_batches`) before it writes and closes it after, and a run reads the mark
 * again before it writes (`fold/batch-guard.ts`). The window is the margin for clocks that
 * disagree (see `MIN_SETTLE_SECONDS_ON_AWS`, the least allowed against real AWS); a minute
 * costs nothing for an hourly job.
 */
export const ANSWER_SETTLE_MS = 60_000;

/** Answers folded per step of one student: what one student's fold holds in memory. */
export const FOLD_PAGE_SIZE = 500;
