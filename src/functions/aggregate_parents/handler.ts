/** `aggregate_parents` (DESIGN section 3): recomputes `parent_summaries` for marked parents (incremental) or everyone (full). */
import { aggregateEventSchema } from '../../jobs/events.ts';
import { createJobHandler } from '../../jobs/job-handler.ts';
import { aggregateParents } from '../../services/aggregates/aggregate-parents.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';

export const createHandler = createJobHandler({
  name: 'aggregate_parents',
  event: aggregateEventSchema,
  run: ({ db, now, config }, options) =>
    aggregateParents(db, {
      mode: options.mode,
      dryRun: options.dry_run,
      timeZone: config.timezone,
      now,
    }),
  // The failed students or parents stay marked; the scheduler's retry finishes them.
  failure: (summary) => new AggregateRunError(summary),
});
