/**
 * What an aggregate job's function does in each phase (`src/jobs/sharded-handler.ts` calls
 * them): plan, work, finish as the workflow invokes them, and, given a plain event, the
 * whole run through the same three (`in-process.ts`). Both jobs' functions are this, with
 * their own runner and plan.
 */
import type { AggregateMode } from '../../../domain/progress/run-modes.ts';
import type { Db } from '../../../repositories/db.ts';
import type { PlanResult, Shard, WorkResult } from '../../../workflow/protocol.ts';
import type { AggregateRun, AggregateRunner, PlanOptions } from './aggregate-shard.ts';
import { runWhole } from './in-process.ts';

/** The options of an aggregate job's event (`aggregateEventSchema` in `src/jobs/events.ts`). */
export interface AggregateEventOptions {
  readonly mode?: AggregateMode;
  readonly dry_run?: boolean;
  readonly today?: string;
  readonly concurrency?: number;
  readonly shards?: number;
  readonly page_size?: number;
}

/** What a phase uses of the function's runtime. */
export interface PhaseRuntime {
  readonly db: Db;
  readonly now: () => Date;
  readonly config: {
    readonly timezone: string;
    readonly answerSettleSeconds: number;
    readonly reviewRetention: number;
  };
}

/** A job's plan, given every option a plan may take (the parents' ignores the settle window). */
export type AggregatePlan = (
  db: Db,
  options: PlanOptions & { readonly settleMs: number; readonly reviewRetention?: number },
) => Promise<PlanResult>;

/**
 * @example
 * ```ts
 * createShardedJobHandler({ name, event: aggregateEventSchema, failure, ...aggregatePhases(students, planStudents) });
 * ```
 */
export const aggregatePhases = <Run extends AggregateRun, S>(
  runner: AggregateRunner<Run, S>,
  plan: AggregatePlan,
) => {
  const settleMs = ({ config }: PhaseRuntime) => config.answerSettleSeconds * 1000;
  return {
    runSchema: runner.runSchema,
    run: (
      runtime: PhaseRuntime,
      options: AggregateEventOptions,
      { remainingMs }: { readonly remainingMs: () => number },
    ): Promise<S> =>
      runWhole(
        runner,
        runtime.db,
        {
          mode: options.mode,
          dryRun: options.dry_run,
          timeZone: runtime.config.timezone,
          today: options.today,
          concurrency: options.concurrency,
          shards: options.shards,
          pageSize: options.page_size,
          remainingMs,
          now: runtime.now,
        },
        (common) =>
          plan(runtime.db, {
            ...common,
            settleMs: settleMs(runtime),
            reviewRetention: runtime.config.reviewRetention,
          }),
      ),
    plan: (runtime: PhaseRuntime, options: AggregateEventOptions): Promise<PlanResult> =>
      plan(runtime.db, {
        mode: options.mode ?? 'incremental',
        dryRun: options.dry_run === true,
        timeZone: runtime.config.timezone,
        settleMs: settleMs(runtime),
        reviewRetention: runtime.config.reviewRetention,
        now: runtime.now,
        today: options.today,
        shards: options.shards,
        concurrency: options.concurrency,
        pageSize: options.page_size,
      }),
    work: (
      { db, now }: PhaseRuntime,
      run: Run,
      shard: Shard,
      remainingMs: () => number,
    ): Promise<WorkResult> => runner.work(db, run, shard, { remainingMs, now }),
    finish: ({ db, now }: PhaseRuntime, run: Run, shards: readonly WorkResult[]): Promise<S> =>
      runner.finish(db, run, shards, now()),
  };
};
