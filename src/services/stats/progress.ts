import type { ReadProgress } from '../read-pages.ts';

/** What a stats run reports while it runs (a CLI turns it into a bar or log lines). */
export type StatsProgress =
  | ReadProgress
  | { readonly phase: 'write'; readonly done: number; readonly total: number };

export type StatsProgressListener = (event: StatsProgress) => void;
