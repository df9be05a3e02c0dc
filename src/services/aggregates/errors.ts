import { LmsError } from '../../errors.ts';

/**
 * Some students or parents could not be aggregated; they stay marked and the summary says
 * which (a run is safe to repeat, so the scheduler's retry finishes the work).
 */
export class AggregateRunError extends LmsError {
  readonly code = 'AGGREGATE_FAILED';

  constructor(
    readonly summary: { readonly job: string; readonly failed: number },
    options?: { cause?: unknown },
  ) {
    super(`${summary.failed} item(s) failed in ${summary.job}`, options);
  }
}
