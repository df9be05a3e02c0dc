/**
 * `aggregate_students` as its workflow runs it, in this process: plan, then every shard's
 * worker looping on its cursor (all shards at once, as the Map state runs them), then
 * finish. Each worker invocation gets a Lambda-like clock: `invocationMs` from its start.
 */

import type { Db } from '../src/repositories/db.ts';
import {
  finishStudents,
  type PlanStudentsOptions,
  planStudents,
  type StudentsRun,
  studentsRunSchema,
  workStudents,
} from '../src/services/aggregates/sharded/students.ts';
import type { StudentsSummary } from '../src/services/aggregates/summary.ts';
import type { Shard, WorkResult } from '../src/workflow/protocol.ts';

/** Lambda's longest invocation: what a worker's clock starts from. */
export const LAMBDA_MS = 900_000;

/** A worker invocation's `remainingMs`, `invocationMs` from now. */
export const invocationClock = (invocationMs: number) => {
  const started = performance.now();
  return {
    remainingMs: () => invocationMs - (performance.now() - started),
    now: () => new Date(),
  };
};

export interface ShardedRun {
  readonly summary: StudentsSummary;
  /** Worker invocations, over every shard. */
  readonly invocations: number;
  readonly shards: number;
}

/** Loops one shard's worker on its cursor until the shard is done. */
export const workUntilDone = async (
  db: Db,
  run: StudentsRun,
  shard: Shard,
  invocationMs: number,
): Promise<WorkResult> => {
  let current = shard;
  for (;;) {
    const result = await workStudents(db, run, current, invocationClock(invocationMs));
    if (result.done) return result;
    current = result.shard;
  }
};

/**
 * @example
 * ```ts
 * const { summary } = await runSharded({ plan: db, workers: [db] }, { mode: 'full', ... });
 * ```
 */
export const runSharded = async (
  dbs: { readonly plan: Db; readonly worker: (segment: number) => Db },
  options: PlanStudentsOptions,
  invocationMs = LAMBDA_MS,
): Promise<ShardedRun> => {
  const plan = await planStudents(dbs.plan, options);
  if (plan.busy) throw new Error('aggregate_students: another run holds the lease');
  const run = studentsRunSchema.parse(plan.run);
  const results = await Promise.all(
    plan.shards.map((shard) => workUntilDone(dbs.worker(shard.segment), run, shard, invocationMs)),
  );
  const summary = await finishStudents(dbs.plan, run, results, new Date());
  return {
    summary,
    invocations: results.reduce((sum, result) => sum + result.shard.invocations, 0),
    shards: results.length,
  };
};
