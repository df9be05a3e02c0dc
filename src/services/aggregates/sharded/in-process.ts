/**
 * An aggregate run driven whole in this process: plan → every shard's worker looping on its
 * cursor until done (all shards at once, as the workflow's Map state runs them) → finish.
 * The same steps the workflow invokes one by one on AWS; this is the whole run (a plain
 * event, `lms invoke`, the tests, the bench).
 */
import type { Db } from '../../../repositories/db.ts';
import type { PlanResult, Shard, WorkResult } from '../../../workflow/protocol.ts';
import type { ShardClock } from '../../../workflow/work-shard.ts';
import { JobBusyError, LEASE_MS, releaseLease } from '../lease.ts';
import {
  type AggregateJob,
  type AggregateRun,
  type AggregateSummaryOf,
  type Counts,
  finishAggregate,
  workAggregate,
} from './aggregate-shard.ts';

/**
 * How long one worker invocation goes on before the next one (which renews the lease): well
 * within the lease, as a Lambda invocation is.
 */
export const IN_PROCESS_INVOCATION_MS = LEASE_MS / 2;

export interface InProcessOptions {
  readonly now: () => Date;
  /** What is left of the invocation this run is part of (a Lambda's); default: unbounded. */
  readonly remainingMs?: () => number;
  /** How long one worker invocation may last (default {@link IN_PROCESS_INVOCATION_MS}). */
  readonly invocationMs?: number;
  /** The Db of a shard's worker (the bench gives each its own); default the run's. */
  readonly workerDb?: (segment: number) => Db;
}

export interface InProcessRun<S> {
  readonly summary: S;
  /** Worker invocations, over every shard. */
  readonly invocations: number;
  readonly shards: number;
}

/** A worker invocation's clock: `invocationMs` from its start, within what is left overall. */
const invocationClock = (options: InProcessOptions): ShardClock => {
  const started = performance.now();
  const invocationMs = options.invocationMs ?? IN_PROCESS_INVOCATION_MS;
  return {
    remainingMs: () =>
      Math.min(
        options.remainingMs?.() ?? Number.POSITIVE_INFINITY,
        invocationMs - (performance.now() - started),
      ),
    now: options.now,
  };
};

/** One shard's worker, invoked again from its cursor until the shard is done. */
export const workUntilDone = async <
  Name extends string,
  Run extends AggregateRun,
  Task,
  C extends Counts<C>,
  Extra extends object,
>(
  job: AggregateJob<Name, Run, Task, C, Extra>,
  db: Db,
  run: Run,
  shard: Shard,
  options: InProcessOptions,
): Promise<WorkResult> => {
  let current = shard;
  for (;;) {
    const result = await workAggregate(job, db, run, current, invocationClock(options));
    if (result.done) return result;
    current = result.shard;
  }
};

/**
 * @example
 * ```ts
 * const plan = await planParents(db, { mode: 'full', dryRun: false, timeZone, now, shards: 1 });
 * const { summary } = await runInProcess(parentsJob, db, plan, { now });
 * ```
 */
export const runInProcess = async <
  Name extends string,
  Run extends AggregateRun,
  Task,
  C extends Counts<C>,
  Extra extends object,
>(
  job: AggregateJob<Name, Run, Task, C, Extra>,
  db: Db,
  plan: PlanResult,
  options: InProcessOptions,
): Promise<InProcessRun<AggregateSummaryOf<Name, C, Extra>>> => {
  if (plan.busy) {
    throw new JobBusyError(`${job.name}: another run holds the lease; this one does nothing`);
  }
  const run = job.runSchema.parse(plan.run);
  try {
    const results = await Promise.all(
      plan.shards.map((shard) =>
        workUntilDone(job, options.workerDb?.(shard.segment) ?? db, run, shard, options),
      ),
    );
    const summary = await finishAggregate(job, db, run, results, options.now());
    return {
      summary,
      invocations: results.reduce((sum, result) => sum + result.shard.invocations, 0),
      shards: results.length,
    };
  } catch (error) {
    // A run that failed in one piece gives its lease back at once: its retry need not wait
    // for the lease to expire (a workflow's failed run keeps it, and the alarm says so).
    if (!run.dry_run && plan.shards.length > 0) await releaseLease(db, job.name, run.run_id);
    throw error;
  }
};
