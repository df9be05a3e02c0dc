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
  readonly onProgress?: (event: P) => void;
}
