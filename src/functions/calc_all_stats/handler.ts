/** `calc_all_stats` (DESIGN section 3): all four levels in one pass. */
import { ALL_LEVELS } from '../../domain/stats/levels.ts';
import { jobEventSchema } from '../../jobs/events.ts';
import { createJobHandler } from '../../jobs/job-handler.ts';
import { StatsWriteError, statsIncomplete } from '../../services/stats/errors.ts';
import { runStats } from '../../services/stats/run-stats.ts';

export const createHandler = createJobHandler({
  name: 'calc_all_stats',
  event: jobEventSchema,
  run: ({ db, now }, options, { remainingMs }) =>
    runStats(db, {
      job: 'calc_all_stats',
      levels: ALL_LEVELS,
      dryRun: options.dry_run,
      now,
      remainingMs,
    }),
  failure: (summary) => new StatsWriteError(summary),
  incomplete: statsIncomplete,
});
