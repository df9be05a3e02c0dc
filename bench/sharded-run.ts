/**
 * `aggregate_students` as its workflow runs it, in this process: the job's own in-process
 * driver (`src/services/aggregates/sharded/in-process.ts`, what every whole run uses), with
 * each worker invocation on a Lambda-like clock, `invocationMs` from its start.
 */
import type { Db } from '../src/repositories/db.ts';
import { type InProcessRun, runInProcess } from '../src/services/aggregates/sharded/in-process.ts';
import {
  type PlanStudentsOptions,
  planStudents,
  students,
} from '../src/services/aggregates/sharded/students.ts';
import type { StudentsSummary } from '../src/services/aggregates/summary.ts';

/** Lambda's longest invocation: what a worker's clock starts from. */
export const LAMBDA_MS = 900_000;

export type ShardedRun = InProcessRun<StudentsSummary>;

/**
 * @example
 * ```ts
 * const { summary } = await runSharded({ plan: db, worker: () => db }, { mode: 'full', ... });
 * ```
 */
export const runSharded = async (
  dbs: { readonly plan: Db; readonly worker: (segment: number) => Db },
  options: PlanStudentsOptions,
  invocationMs = LAMBDA_MS,
): Promise<ShardedRun> =>
  runInProcess(students, dbs.plan, await planStudents(dbs.plan, options), {
    now: () => new Date(),
    invocationMs,
    workerDb: dbs.worker,
  });
