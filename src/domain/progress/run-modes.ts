/**
 * The modes of an aggregate run. Here, not with the aggregate services, because the job
 * events name them too (`jobs/events.ts`), and every job's bundle carries that file.
 */

/** `incremental`: only what is marked (and the day's roll-over); `full`: everyone. */
export const AGGREGATE_MODES = ['incremental', 'full'] as const;
export type AggregateMode = (typeof AGGREGATE_MODES)[number];
