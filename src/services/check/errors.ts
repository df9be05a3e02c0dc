import { LmsError } from '../../errors.ts';
import type { CheckReport } from './run-check.ts';

/**
 * The check found problems. Its message is the check's one-line summary, so a cron job's
 * mail says what it needs to; the exit code is 1.
 */
export class IntegrityProblemsError extends LmsError {
  readonly code = 'INTEGRITY_PROBLEMS';

  constructor(
    readonly report: CheckReport,
    message: string,
  ) {
    super(message);
  }
}
