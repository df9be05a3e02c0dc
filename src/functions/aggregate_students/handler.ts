/** `aggregate_students` (DESIGN section 3): recomputes `student_progress` for marked students (incremental) or everyone (full). */
import { aggregateEventSchema } from '../../jobs/events.ts';
import { createJobHandler } from '../../jobs/job-handler.ts';
import { aggregateStudents } from '../../services/aggregates/aggregate-students.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';

export const createHandler = createJobHandler({
  name: 'aggregate_students',
  event: aggregateEventSchema,
  run: ({ db, now, config }, options) =>
    aggregateStudents(db, {
      mode: options.mode,
      dryRun: options.dry_run,
      timeZone: config.timezone,
      now,
    }),
  // The failed students or parents stay marked; the scheduler's retry finishes them.
  failure: (summary) => new AggregateRunError(summary),
});
