/**
 * The frame of a job that runs as a Step Functions workflow (`workflow/protocol.ts`):
 * one function, invoked for the plan, for each worker step and for the finish, and, given
 * a plain event (`lms invoke`, a test), for the whole run in this one invocation.
 */
import type * as z from 'zod';
import type { HandlerFactory, Runtime } from '../runtime/runtime.ts';
import {
  finishEventSchema,
  type PlanResult,
  type Shard,
  WORKFLOW_PHASE,
  type WorkflowRun,
  type WorkResult,
  workEventSchema,
} from '../workflow/protocol.ts';
import { parseJobEvent } from './events.ts';
import {
  createJobHandler,
  failInvocation,
  type JobDefinition,
  type JobSummary,
  remainingTime,
} from './job-handler.ts';

export interface ShardedJobDefinition<
  S extends z.ZodType,
  R extends JobSummary,
  Run extends WorkflowRun,
> extends JobDefinition<S, R> {
  /** The run as the plan fixed it, read back (and validated) by every later phase. */
  readonly runSchema: z.ZodType<Run>;
  readonly plan: (runtime: Runtime, options: z.output<S>) => Promise<PlanResult>;
  readonly work: (
    runtime: Runtime,
    run: Run,
    shard: Shard,
    remainingMs: () => number,
  ) => Promise<WorkResult>;
  readonly finish: (runtime: Runtime, run: Run, shards: readonly WorkResult[]) => Promise<R>;
}

const phaseOf = (event: unknown): unknown =>
  typeof event === 'object' && event !== null && 'phase' in event ? event.phase : undefined;

const optionsOf = (event: unknown): unknown =>
  typeof event === 'object' && event !== null && 'options' in event ? event.options : undefined;

/** What one worker invocation added to its shard's counts (they are summed over invocations). */
const added = (before: Shard, after: Shard, name: string): number =>
  (after.counts[name] ?? 0) - (before.counts[name] ?? 0);

/** Dimension of the worker metrics, so that they never add up with the run's own totals. */
const WORK_DIMENSIONS = { phase: WORKFLOW_PHASE.Work } as const;

/**
 * @example
 * ```ts
 * // src/functions/aggregate_students/handler.ts
 * export const createHandler = createShardedJobHandler({
 *   name: 'aggregate_students',
 *   event: aggregateEventSchema,
 *   // The failed students stay marked; the scheduler's retry finishes them.
 *   failure: (summary) => new AggregateRunError(summary),
 *   ...aggregatePhases(students, planStudents),
 * });
 * ```
 */
export const createShardedJobHandler =
  <S extends z.ZodType, R extends JobSummary, Run extends WorkflowRun>(
    job: ShardedJobDefinition<S, R, Run>,
  ): HandlerFactory<R | PlanResult | WorkResult> =>
  (provide) => {
    const whole = createJobHandler(job)(provide);
    const finish = createJobHandler<typeof finishEventSchema, R>({
      name: job.name,
      event: finishEventSchema,
      run: (runtime, event) =>
        job.finish(runtime, parseJobEvent(job.runSchema, event.run), event.shards),
      failure: job.failure,
    })(provide);
    return async (event, context) => {
      const phase = phaseOf(event);
      if (phase === undefined) return whole(event, context);
      if (phase !== WORKFLOW_PHASE.Plan && phase !== WORKFLOW_PHASE.Work) {
        return finish(event, context);
      }
      const runtime = provide();
      const { logger, metrics } = runtime;
      if (context !== undefined) logger.addContext(context);
      if (phase === WORKFLOW_PHASE.Plan) {
        let plan: PlanResult;
        try {
          plan = await job.plan(runtime, parseJobEvent(job.event, optionsOf(event)));
        } catch (error) {
          return failInvocation(runtime, `${job.name} plan threw`, error);
        }
        logger.info(`${job.name} planned`, {
          run: plan.run,
          shards: plan.shards.length,
          busy: plan.busy,
        });
        metrics.record('ShardsPlanned', plan.shards.length);
        metrics.record('RunsSkippedBusy', plan.busy ? 1 : 0);
        metrics.flush();
        return plan;
      }
      const started = performance.now();
      let shard: Shard;
      let result: WorkResult;
      try {
        const work = parseJobEvent(workEventSchema, event);
        shard = work.shard;
        result = await job.work(
          runtime,
          parseJobEvent(job.runSchema, work.run),
          shard,
          remainingTime(context),
        );
      } catch (error) {
        return failInvocation(runtime, `${job.name} worker threw`, error);
      }
      logger.info(`${job.name} shard ${shard.segment}`, {
        done: result.done,
        invocations: result.shard.invocations,
        counts: result.shard.counts,
      });
      metrics.record('RecordsProcessed', added(shard, result.shard, 'scanned'), WORK_DIMENSIONS);
      metrics.record('RecordsUpdated', added(shard, result.shard, 'updated'), WORK_DIMENSIONS);
      metrics.record('RecordsFailed', added(shard, result.shard, 'failed'), WORK_DIMENSIONS);
      metrics.record('ShardContinuations', result.done ? 0 : 1, WORK_DIMENSIONS);
      metrics.record('WorkDuration', performance.now() - started, WORK_DIMENSIONS);
      metrics.flush();
      return result;
    };
  };
