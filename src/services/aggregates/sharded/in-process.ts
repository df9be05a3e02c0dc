/**
 * An aggregate run driven whole in this process: plan → every shard's worker looping on its
 * cursor until done (all shards at once, as the workflow's Map state runs them) → finish.
 * The same steps the workflow invokes one by one on AWS; this is the whole run (a plain
 * event, `lms invoke`, the tests, the bench).
 */
import type { Db } from '../../../repositories/db.ts';
import type { PlanResult, Shard, WorkResult } from '../../../workflow/protocol.ts';
import type { ShardClock } from '../../../workflow/work-shard.ts';
import { MAX_LISTED_WARNINGS } from '../../warning-log.ts';
import { JobBusyError, LEASE_MS, releaseLease } from '../lease.ts';
import { type AggregateOptions, WHOLE_RUN_SHARDS } from '../options.ts';
import type { AggregateRun, AggregateRunner, PlanOptions } from './aggregate-shard.ts';

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
export const workUntilDone = async <Run extends AggregateRun, S>(
  runner: AggregateRunner<Run, S>,
  db: Db,
  run: Run,
  shard: Shard,
  options: InProcessOptions,
): Promise<WorkResult> => {
  let current = shard;
  for (;;) {
    // Nothing crosses Step Functions here (256 KB a state): a shard lists as many warnings
    // as a summary does.
    const result = await runner.work(db, run, current, invocationClock(options), {
      warningsKept: MAX_LISTED_WARNINGS,
    });
    if (result.done) return result;
    current = result.shard;
  }
};

/**
 * @example
 * ```ts
 * const plan = await planParents(db, { mode: 'full', dryRun: false, timeZone, now, shards: 1 });
 * const { summary } = await runInProcess(parents, db, plan, { now });
 * ```
 */
export const runInProcess = async <Run extends AggregateRun, S>(
  runner: AggregateRunner<Run, S>,
  db: Db,
  plan: PlanResult,
  options: InProcessOptions,
): Promise<InProcessRun<S>> => {
  if (plan.busy) {
    throw new JobBusyError(`${runner.name}: another run holds the lease; this one does nothing`);
  }
  const run = runner.runSchema.parse(plan.run);
  try {
    const results = await Promise.all(
      plan.shards.map((shard) =>
        workUntilDone(runner, options.workerDb?.(shard.segment) ?? db, run, shard, options),
      ),
    );
    const summary = await runner.finish(db, run, results, options.now());
    return {
      summary,
      invocations: results.reduce((sum, result) => sum + result.shard.invocations, 0),
      shards: results.length,
    };
  } catch (error) {
    // A run that failed in one piece gives its lease back at once: its retry need not wait
    // for the lease to expire (a workflow's failed run keeps it, and the alarm says so).
    if (!run.dry_run && plan.shards.length > 0) await releaseLease(db, runner.name, run.run_id);
    throw error;
  }
};

/**
 * A job's whole run from the options a caller gives (`aggregateStudents`, `aggregateParents`):
 * the plan's common options, the plan, then {@link runInProcess}.
 */
export const runWhole = async <Run extends AggregateRun, S>(
  runner: AggregateRunner<Run, S>,
  db: Db,
  options: AggregateOptions,
  plan: (common: PlanOptions) => Promise<PlanResult>,
): Promise<S> => {
  const now = options.now ?? (() => new Date());
  const planned = await plan({
    mode: options.mode ?? 'incremental',
    dryRun: options.dryRun === true,
    timeZone: options.timeZone,
    now,
    today: options.today,
    shards: options.shards ?? WHOLE_RUN_SHARDS,
    concurrency: options.concurrency,
    pageSize: options.pageSize,
    idleWithoutLease: true,
  });
  const { summary } = await runInProcess(runner, db, planned, {
    now,
    remainingMs: options.remainingMs,
  });
  return summary;
};
