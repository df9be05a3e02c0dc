import { LmsError } from '../../errors.ts';
import type { StatsSummary } from './summary.ts';

/** Some `stats` could not be written; the summary says which (the run is safe to repeat). */
export class StatsWriteError extends LmsError {
  readonly code = 'STATS_WRITE_FAILED';

  constructor(
    readonly summary: StatsSummary,
    options?: { cause?: unknown },
  ) {
    super(
      `${summary.failed} stats write(s) failed and ${summary.out_of_time} left for lack of time in ${summary.job}`,
      options,
    );
  }
}

/** A run that failed a write or ran out of time: it fails, and the scheduler's retry finishes it. */
export const statsIncomplete = (summary: StatsSummary): boolean =>
  summary.failed > 0 || summary.out_of_time > 0;
