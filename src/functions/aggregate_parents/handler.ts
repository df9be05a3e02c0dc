/**
 * `aggregate_parents` (DESIGN section 3): recomputes `parent_summaries` for marked parents
 * (incremental) or everyone (full). On AWS a Step Functions workflow invokes it per phase
 * (plan, a worker per shard, finish); invoked with a plain event it does the whole run.
 */
import { aggregateEventSchema } from '../../jobs/events.ts';
import { createShardedJobHandler } from '../../jobs/sharded-handler.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';
import { parents, planParents } from '../../services/aggregates/sharded/parents.ts';
import { aggregatePhases } from '../../services/aggregates/sharded/phases.ts';

export const createHandler = createShardedJobHandler({
  name: 'aggregate_parents',
  event: aggregateEventSchema,
  // The failed parents stay marked; the scheduler's retry finishes them.
  failure: (summary) => new AggregateRunError(summary),
  ...aggregatePhases(parents, planParents),
});
