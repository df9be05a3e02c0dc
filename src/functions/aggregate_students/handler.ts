/**
 * `aggregate_students` (DESIGN section 3): folds marked students' new answers into their
 * state and progress (incremental), or rebuilds everyone's from the answers (full).
 */
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
      settleMs: config.answerSettleSeconds * 1000,
      now,
    }),
  // The failed students or parents stay marked; the scheduler's retry finishes them.
  failure: (summary) => new AggregateRunError(summary),
});
