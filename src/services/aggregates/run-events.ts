import type { ReadProgress } from '../read-pages.ts';

/**
 * What an aggregate run reports while it runs (a CLI turns it into bars or log lines). Named
 * apart from `domain/progress/`, which is a student's progress, the thing a run computes.
 */
export type AggregateRunEvent =
  | ReadProgress
  | {
      readonly phase: 'compute';
      readonly unit: 'students' | 'parents';
      readonly done: number;
      readonly total: number;
    };

export type AggregateRunListener = (event: AggregateRunEvent) => void;
