/**
 * The handler of `aggregate_parents`: parse the event, run the job, log and return the
 * summary; a run with failures logs it and then fails, so the scheduler retries it.
 */
import type { Context } from 'aws-lambda';
import type { Runtime } from '../functions/runtime.ts';
import { aggregateParents } from '../services/aggregates/aggregate-parents.ts';
import { AggregateRunError } from '../services/aggregates/errors.ts';
import type { ParentsSummary } from '../services/aggregates/summary.ts';
import { aggregateEventSchema } from './aggregate-students.ts';
import { parseJobEvent } from './job-event.ts';

/**
 * @example
 * ```ts
 * // src/functions/aggregate_parents/main.ts
 * export const handle = createAggregateParentsHandler(() => runtimeFor('aggregate_parents'));
 * ```
 */
export const createAggregateParentsHandler =
  (runtime: () => Runtime) =>
  async (event: unknown, context?: Context): Promise<ParentsSummary> => {
    const { db, logger, now, config } = runtime();
    if (context !== undefined) logger.addContext(context);
    const options = parseJobEvent(aggregateEventSchema, event);
    const summary = await aggregateParents(db, {
      mode: options.mode,
      dryRun: options.dry_run,
      timeZone: config.timezone,
      now,
    });
    if (summary.failed > 0) {
      logger.error('aggregate_parents run failed', { summary });
      throw new AggregateRunError(summary);
    }
    logger.info('aggregate_parents run', { summary });
    return summary;
  };
