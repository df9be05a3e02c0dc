/**
 * The frame every scheduled function shares: parse the event, run the job, log and return
 * its summary. A run with failures logs its summary and then fails, so the scheduler
 * retries it (every job is idempotent: what failed is still to do on the next run).
 */
import type * as z from 'zod';
import type { HandlerFactory, Runtime } from '../runtime/runtime.ts';
import { parseJobEvent } from './events.ts';

/** What every job's summary says, whatever else it carries. */
export interface JobSummary {
  readonly failed: number;
}

export interface JobDefinition<S extends z.ZodType, R extends JobSummary> {
  /** The function's name, in log messages. */
  readonly name: string;
  /** The options the job accepts in its event (see `events.ts`). */
  readonly event: S;
  readonly run: (runtime: Runtime, options: z.output<S>, clock: JobClock) => Promise<R>;
  /** The error a run with failures ends with (it carries the summary). */
  readonly failure: (summary: R) => Error;
  /** Whether the run left work undone; default: some of it failed. */
  readonly incomplete?: (summary: R) => boolean;
}

/** What a job knows of its invocation's time. */
export interface JobClock {
  /** `context.getRemainingTimeInMillis()`; without a Lambda context, unbounded. */
  readonly remainingMs: () => number;
}

/**
 * A scheduled function's `createHandler`.
 *
 * @example
 * ```ts
 * // src/functions/calc_class_stats/handler.ts
 * export const createHandler = createJobHandler({
 *   name: 'calc_class_stats',
 *   event: jobEventSchema,
 *   run: ({ db, now }, options) => runStats(db, { job: 'calc_class_stats', levels: ['class'], dryRun: options.dry_run, now }),
 *   failure: (summary) => new StatsWriteError(summary),
 * });
 * ```
 */
export const createJobHandler =
  <S extends z.ZodType, R extends JobSummary>(job: JobDefinition<S, R>): HandlerFactory<R> =>
  (provide) =>
  async (event, context) => {
    const runtime = provide();
    const { logger } = runtime;
    if (context !== undefined) logger.addContext(context);
    const options = parseJobEvent(job.event, event);
    const summary = await job.run(runtime, options, {
      remainingMs: () =>
        context === undefined ? Number.POSITIVE_INFINITY : context.getRemainingTimeInMillis(),
    });
    if (job.incomplete?.(summary) ?? summary.failed > 0) {
      logger.error(`${job.name} run failed`, { summary });
      throw job.failure(summary);
    }
    logger.info(`${job.name} run`, { summary });
    return summary;
  };
