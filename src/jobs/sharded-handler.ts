/**
 * The frame of a job that runs as a Step Functions workflow (`jobs/workflow-protocol.ts`):
 * one function, invoked for the plan, for each worker step and for the finish, and, given
 * a plain event (`lms invoke`, a test), for the whole run in this one invocation.
 */
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import type { HandlerFactory, Runtime } from '../runtime/runtime.ts';
import { parseJobEvent } from './events.ts';
import { createJobHandler, type JobDefinition, type JobSummary } from './job-handler.ts';
import {
  finishEventSchema,
  type PlanResult,
  type Shard,
  WORKFLOW_PHASE,
  type WorkflowRun,
  type WorkResult,
  workEventSchema,
} from './workflow-protocol.ts';

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

/** Without a Lambda context (a direct call), time is not what stops a worker. */
const remaining = (context: Context | undefined) => () =>
  context === undefined ? Number.POSITIVE_INFINITY : context.getRemainingTimeInMillis();

/**
 * @example
 * ```ts
 * export const createHandler = createShardedJobHandler({ name, event, run, failure, runSchema, plan, work, finish });
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
      const runtime = provide();
      if (context !== undefined) runtime.logger.addContext(context);
      if (phase === WORKFLOW_PHASE.Plan) {
        const plan = await job.plan(runtime, parseJobEvent(job.event, optionsOf(event)));
        runtime.logger.info(`${job.name} planned`, {
          run: plan.run,
          shards: plan.shards.length,
          busy: plan.busy,
        });
        return plan;
      }
      if (phase === WORKFLOW_PHASE.Work) {
        const { run, shard } = parseJobEvent(workEventSchema, event);
        const result = await job.work(
          runtime,
          parseJobEvent(job.runSchema, run),
          shard,
          remaining(context),
        );
        runtime.logger.info(`${job.name} shard ${shard.segment}`, {
          done: result.done,
          invocations: result.shard.invocations,
          counts: result.shard.counts,
        });
        return result;
      }
      return finish(event, context);
    };
  };
