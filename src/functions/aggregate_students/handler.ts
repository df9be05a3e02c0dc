/**
 * `aggregate_students` (DESIGN section 3): folds marked students' new answers into their
 * state and progress (incremental), or rebuilds everyone's from the answers (full). On AWS
 * a Step Functions workflow invokes it per phase (plan, a worker per shard, finish);
 * invoked with a plain event it does the whole run at once.
 */
import { aggregateEventSchema } from '../../jobs/events.ts';
import { createShardedJobHandler } from '../../jobs/sharded-handler.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';
import { aggregatePhases } from '../../services/aggregates/sharded/phases.ts';
import { planStudents, students } from '../../services/aggregates/sharded/students.ts';

export const createHandler = createShardedJobHandler({
  name: 'aggregate_students',
  event: aggregateEventSchema,
  // The failed students stay marked; the scheduler's retry finishes them.
  failure: (summary) => new AggregateRunError(summary),
  ...aggregatePhases(students, planStudents),
});
