/**
 * The handler of every stats function (DESIGN section 3). They differ only in their name
 * and the levels they count, so each `src/functions/calc_*_stats/handler.ts` is one call of
 * this. Here, beside the run it wraps, rather than in `src/jobs/`: the job frame stays
 * ignorant of any one job, as the HTTP frame is of any one service.
 */
import type { FunctionName } from '../../catalog/functions.ts';
import type { StatsLevel } from '../../domain/stats/levels.ts';
import { jobEventSchema } from '../../jobs/events.ts';
import { createJobHandler } from '../../jobs/job-handler.ts';
import type { HandlerFactory } from '../../runtime/runtime.ts';
import { StatsWriteError, statsIncomplete } from './errors.ts';
import { runStats } from './run-stats.ts';
import type { StatsSummary } from './summary.ts';

/**
 * A stats function's `createHandler`: the job frame over {@link runStats} of `levels`; a
 * run that failed a write or ran out of time fails, so the scheduler's retry finishes it.
 *
 * @example
 * ```ts
 * // src/functions/calc_class_stats/handler.ts
 * export const createHandler = createStatsHandler('calc_class_stats', ['class']);
 * ```
 */
export const createStatsHandler = (
  name: FunctionName,
  levels: readonly StatsLevel[],
): HandlerFactory<StatsSummary> =>
  createJobHandler({
    name,
    event: jobEventSchema,
    run: ({ db, now }, options, { remainingMs }) =>
      runStats(db, { job: name, levels, dryRun: options.dry_run, now, remainingMs }),
    failure: (summary) => new StatsWriteError(summary),
    incomplete: statsIncomplete,
  });
