/** `calc_class_stats` (DESIGN section 3): classes.stats = { students }. */
import { jobEventSchema } from '../../jobs/events.ts';
import { createJobHandler } from '../../jobs/job-handler.ts';
import { StatsWriteError, statsIncomplete } from '../../services/stats/errors.ts';
import { runStats } from '../../services/stats/run-stats.ts';

export const createHandler = createJobHandler({
  name: 'calc_class_stats',
  event: jobEventSchema,
  run: ({ db, now }, options, { remainingMs }) =>
    runStats(db, {
      job: 'calc_class_stats',
      levels: ['class'],
      dryRun: options.dry_run,
      now,
      remainingMs,
    }),
  failure: (summary) => new StatsWriteError(summary),
  incomplete: statsIncomplete,
});
