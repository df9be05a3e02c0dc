/** `calc_teacher_stats` (DESIGN section 3): teachers.stats = { classes, students }. */
import { jobEventSchema } from '../../jobs/events.ts';
import { createJobHandler } from '../../jobs/job-handler.ts';
import { StatsWriteError, statsIncomplete } from '../../services/stats/errors.ts';
import { runStats } from '../../services/stats/run-stats.ts';

export const createHandler = createJobHandler({
  name: 'calc_teacher_stats',
  event: jobEventSchema,
  run: ({ db, now }, options, { remainingMs }) =>
    runStats(db, {
      job: 'calc_teacher_stats',
      levels: ['teacher'],
      dryRun: options.dry_run,
      now,
      remainingMs,
    }),
  failure: (summary) => new StatsWriteError(summary),
  incomplete: statsIncomplete,
});
