/** `calc_group_stats` (DESIGN section 3): groups.stats = { schools, teachers, classes, students }. */
import { jobEventSchema } from '../../jobs/events.ts';
import { createJobHandler } from '../../jobs/job-handler.ts';
import { StatsWriteError, statsIncomplete } from '../../services/stats/errors.ts';
import { runStats } from '../../services/stats/run-stats.ts';

export const createHandler = createJobHandler({
  name: 'calc_group_stats',
  event: jobEventSchema,
  run: ({ db, now }, options, { remainingMs }) =>
    runStats(db, {
      job: 'calc_group_stats',
      levels: ['group'],
      dryRun: options.dry_run,
      now,
      remainingMs,
    }),
  failure: (summary) => new StatsWriteError(summary),
  incomplete: statsIncomplete,
});
