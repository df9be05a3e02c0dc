/**
 * A test-only job that implements the workflow protocol (`src/workflow/protocol.ts`)
 * the way a real worker must: the plan splits the work into shards, each work invocation
 * counts its shard on from the cursor until its Lambda time is nearly up (always at least
 * one step, so a shard always advances), and finish sums the shards. Its summary does not
 * depend on how often a shard was interrupted, which is what the tests check.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { LmsError } from '../../src/errors.ts';
import { localContext } from '../../src/local/invoke/lambda-context.ts';
import type { Handle } from '../../src/runtime/runtime.ts';
import {
  finishEventSchema,
  type PlanResult,
  type WorkResult,
  workEventSchema,
} from '../../src/workflow/protocol.ts';

export class CountingWorkerError extends LmsError {
  readonly code = 'COUNTING_WORKER';
}

/** A work invocation stops when less than this is left (a real worker keeps a margin too). */
export const STOP_BELOW_MS = 2;

export interface CountingWorkerOptions {
  readonly job?: string;
  readonly shards: number;
  /** Shard `segment` counts to `countTo + segment`. */
  readonly countTo: number;
  /** Plan answers `busy` (another run holds the lease). */
  readonly busy?: boolean;
  /** Work on this segment throws, every time. */
  readonly failSegment?: number;
  /** What each phase was called with, in order. */
  readonly calls?: { phase: string; segment?: number }[];
}

const planEventSchema = z.object({
  phase: z.literal('plan'),
  options: z.looseObject({ mode: z.string().optional() }),
});

export interface CountingSummary {
  readonly job: string;
  readonly mode: string;
  readonly shards: number;
  readonly counted: number;
  readonly per_shard: readonly number[];
}

/**
 * @example
 * ```ts
 * const handle = countingWorker({ shards: 3, countTo: 40 });
 * await runWorkflow({ job: 'aggregate_students', invoke: handlerInvoke('aggregate_students', handle, () => budgetContext(6)) });
 * ```
 */
export const countingWorker =
  (options: CountingWorkerOptions): Handle =>
  async (event, context) => {
    const job = options.job ?? 'aggregate_students';
    const phase = z.object({ phase: z.string() }).parse(event).phase;
    if (phase === 'plan') {
      const plan = planEventSchema.parse(event);
      options.calls?.push({ phase });
      const result: PlanResult = {
        busy: options.busy === true,
        run: { run_id: 'run-1', job, mode: plan.options.mode ?? 'incremental' },
        shards: Array.from({ length: options.shards }, (_, segment) => ({
          segment,
          segments: options.shards,
          cursor: null,
          invocations: 0,
          counts: {},
        })),
      };
      return result;
    }
    if (phase === 'work') {
      const { run, shard } = workEventSchema.parse(event);
      options.calls?.push({ phase, segment: shard.segment });
      if (shard.segment === options.failSegment) {
        throw new CountingWorkerError(`shard ${shard.segment} cannot be counted`);
      }
      const target = options.countTo + shard.segment;
      let count = z.number().nullable().parse(shard.cursor) ?? 0;
      const remaining = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
      do count++;
      while (count < target && remaining() >= STOP_BELOW_MS);
      const result: WorkResult = {
        run,
        shard: {
          ...shard,
          cursor: count,
          invocations: shard.invocations + 1,
          counts: { counted: count },
        },
        done: count >= target,
      };
      return result;
    }
    const finish = finishEventSchema.parse(event);
    options.calls?.push({ phase });
    const perShard = finish.shards
      .map((result) => result.shard)
      .sort((a, b) => a.segment - b.segment)
      .map((shard) => shard.counts.counted ?? 0);
    const summary: CountingSummary = {
      job: finish.run.job,
      mode: String(finish.run.mode),
      shards: finish.shards.length,
      counted: perShard.reduce((sum, n) => sum + n, 0),
      per_shard: perShard,
    };
    return summary;
  };

/**
 * A Lambda context on a virtual clock: every look at the remaining time costs 1 ms of a
 * budget of `ms`, so a worker stops after a known number of steps, with no real waiting.
 */
export const budgetContext = (ms: number, job = 'aggregate_students'): Context => {
  let spent = 0;
  return {
    ...localContext(job),
    getRemainingTimeInMillis: () => Math.max(0, ms - spent++),
  };
};
