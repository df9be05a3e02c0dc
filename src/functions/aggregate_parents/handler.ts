/**
 * `aggregate_parents` (DESIGN section 3): recomputes `parent_summaries` for marked parents
 * (incremental) or everyone (full). On AWS a Step Functions workflow invokes it per phase
 * (plan, a worker per shard, finish); invoked with a plain event it does the whole run.
 */
import { aggregateEventSchema } from '../../jobs/events.ts';
import { createShardedJobHandler } from '../../jobs/sharded-handler.ts';
import { aggregateParents } from '../../services/aggregates/aggregate-parents.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';
import { parents, planParents } from '../../services/aggregates/sharded/parents.ts';

export const createHandler = createShardedJobHandler({
  name: 'aggregate_parents',
  event: aggregateEventSchema,
  run: ({ db, now, config }, options, { remainingMs }) =>
    aggregateParents(db, {
      mode: options.mode,
      dryRun: options.dry_run,
      timeZone: config.timezone,
      today: options.today,
      concurrency: options.concurrency,
      shards: options.shards,
      pageSize: options.page_size,
      remainingMs,
      now,
    }),
  // The failed parents stay marked; the scheduler's retry finishes them.
  failure: (summary) => new AggregateRunError(summary),
  runSchema: parents.runSchema,
  plan: ({ db, now, config }, options) =>
    planParents(db, {
      mode: options.mode ?? 'incremental',
      dryRun: options.dry_run === true,
      timeZone: config.timezone,
      now,
      today: options.today,
      shards: options.shards,
      concurrency: options.concurrency,
      pageSize: options.page_size,
    }),
  work: ({ db, now }, run, shard, remainingMs) =>
    parents.work(db, run, shard, { remainingMs, now }),
  finish: ({ db, now }, run, shards) => parents.finish(db, run, shards, now()),
});
