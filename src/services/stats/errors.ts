import { LmsError } from '../../errors.ts';
import type { StatsSummary } from './summary.ts';

/** Some `stats` could not be written; the summary says which (the run is safe to repeat). */
export class StatsWriteError extends LmsError {
  readonly code = 'STATS_WRITE_FAILED';

  constructor(
    readonly summary: StatsSummary,
    options?: { cause?: unknown },
  ) {
    super(`${summary.failed} stats write(s) failed in ${summary.job}`, options);
  }
}
