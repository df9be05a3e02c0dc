/**
 * `aggregate_students` (DESIGN section 3): folds marked students' new answers into their
 * state and progress (incremental), or rebuilds everyone's from the answers (full). On AWS
 * a Step Functions workflow invokes it per phase (plan, a worker per shard, finish);
 * invoked with a plain event it does the whole run at once.
 */
import { aggregateEventSchema } from '../../jobs/events.ts';
import { createShardedJobHandler } from '../../jobs/sharded-handler.ts';
import { aggregateStudents } from '../../services/aggregates/aggregate-students.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';
import { planStudents, students } from '../../services/aggregates/sharded/students.ts';

export const createHandler = createShardedJobHandler({
  name: 'aggregate_students',
  event: aggregateEventSchema,
  run: ({ db, now, config }, options, { remainingMs }) =>
    aggregateStudents(db, {
      mode: options.mode,
      dryRun: options.dry_run,
      timeZone: config.timezone,
      settleMs: config.answerSettleSeconds * 1000,
      today: options.today,
      concurrency: options.concurrency,
      shards: options.shards,
      pageSize: options.page_size,
      remainingMs,
      now,
    }),
  // The failed students stay marked; the scheduler's retry finishes them.
  failure: (summary) => new AggregateRunError(summary),
  runSchema: students.runSchema,
  plan: ({ db, now, config }, options) =>
    planStudents(db, {
      mode: options.mode ?? 'incremental',
      dryRun: options.dry_run === true,
      timeZone: config.timezone,
      settleMs: config.answerSettleSeconds * 1000,
      now,
      today: options.today,
      shards: options.shards,
      concurrency: options.concurrency,
      pageSize: options.page_size,
    }),
  work: ({ db, now }, run, shard, remainingMs) =>
    students.work(db, run, shard, { remainingMs, now }),
  finish: ({ db, now }, run, shards) => students.finish(db, run, shards, now()),
});
