import type { ReadProgress } from '../read-pages.ts';

/** What an aggregate run reports while it runs (a CLI turns it into bars or log lines). */
export type AggregateProgress =
  | ReadProgress
  | {
      readonly phase: 'compute';
      readonly unit: 'students' | 'parents';
      readonly done: number;
      readonly total: number;
    };

export type AggregateProgressListener = (event: AggregateProgress) => void;
