/**
 * The frame every scheduled function shares: parse the event, run the job, log and return
 * its summary, and flush the run's metrics. A run with failures logs its summary and then
 * fails, so the scheduler retries it (every job is idempotent: what failed is still to do
 * on the next run). A run that throws is logged at ERROR with the error, then rethrown.
 */
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import type { RunMetrics } from '../observability/metrics.ts';
import type { HandlerFactory, Runtime } from '../runtime/runtime.ts';
import { parseJobEvent } from './events.ts';

/** What every job's summary says, whatever else it carries. */
export interface JobSummary {
  /** Records (stats) or students / parents (aggregates) computed. */
  readonly scanned: number;
  readonly updated: number;
  readonly failed: number;
  /** What the run skipped or found wrong (an invalid stored record, a dangling link). */
  readonly warnings_total: number;
  readonly duration_ms: number;
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
 * What is left of the invocation, for the job and for the worker of a sharded one. Without a
 * Lambda context (a direct call) time is not what stops a job: unbounded.
 */
export const remainingTime =
  (context: Context | undefined): (() => number) =>
  () =>
    context === undefined ? Number.POSITIVE_INFINITY : context.getRemainingTimeInMillis();

/**
 * An invocation of a job's function that threw: the error is logged at ERROR, once (the
 * log group's metric filter alarms on that line), the invocation's metrics are flushed,
 * and the error is rethrown so that the scheduler or the workflow retries.
 */
export const failInvocation = (runtime: Runtime, message: string, error: unknown): never => {
  runtime.logger.error(message, error instanceof Error ? error : String(error));
  runtime.metrics.flush();
  throw error;
};

/** A whole run's metrics, from its summary (docs/deployment.md, "Metrics"). */
const recordRun = (metrics: RunMetrics, summary: JobSummary, failed: boolean): void => {
  metrics.record('RecordsProcessed', summary.scanned);
  metrics.record('RecordsUpdated', summary.updated);
  metrics.record('RecordsFailed', summary.failed);
  metrics.record('RunDuration', summary.duration_ms);
  metrics.record('RunsFailed', failed ? 1 : 0);
};

/**
 * A scheduled function's `createHandler`.
 *
 * @example
 * ```ts
 * // src/services/stats/stats-handler.ts
 * createJobHandler({
 *   name,
 *   event: jobEventSchema,
 *   run: ({ db, now }, options, { remainingMs }) =>
 *     runStats(db, { job: name, levels, dryRun: options.dry_run, now, remainingMs }),
 *   failure: (summary) => new StatsWriteError(summary),
 *   incomplete: statsIncomplete,
 * });
 * ```
 */
export const createJobHandler =
  <S extends z.ZodType, R extends JobSummary>(job: JobDefinition<S, R>): HandlerFactory<R> =>
  (provide) =>
  async (event, context) => {
    const runtime = provide();
    const { logger, metrics } = runtime;
    if (context !== undefined) logger.addContext(context);
    let summary: R;
    try {
      const options = parseJobEvent(job.event, event);
      summary = await job.run(runtime, options, { remainingMs: remainingTime(context) });
    } catch (error) {
      metrics.record('RunsFailed', 1);
      return failInvocation(runtime, `${job.name} run threw`, error);
    }
    const failed = job.incomplete?.(summary) ?? summary.failed > 0;
    recordRun(metrics, summary, failed);
    metrics.flush();
    if (failed) {
      logger.error(`${job.name} run failed`, { summary });
      throw job.failure(summary);
    }
    // A run that left something out (a stored record it could not read) says so at WARN,
    // where an operator looks, not only in the summary's list.
    if (summary.warnings_total > 0) logger.warn(`${job.name} run`, { summary });
    else logger.info(`${job.name} run`, { summary });
    return summary;
  };
