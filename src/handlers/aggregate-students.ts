/**
 * The handler of `aggregate_students`: parse the event, run the job, log and return the
 * summary. A run in which some students failed logs its summary and then fails, so the
 * scheduler retries it (they stay marked, and a run is idempotent).
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { Runtime } from '../functions/runtime.ts';
import { aggregateStudents } from '../services/aggregates/aggregate-students.ts';
import { AggregateRunError } from '../services/aggregates/errors.ts';
import { AGGREGATE_MODES } from '../services/aggregates/options.ts';
import type { StudentsSummary } from '../services/aggregates/summary.ts';
import { jobEventSchema, parseJobEvent } from './job-event.ts';

/**
 * The event of both aggregate jobs: any scheduled event, optionally with
 * `{ "mode": "incremental" | "full" }` (default incremental) and `{ "dry_run": true }`.
 */
export const aggregateEventSchema = jobEventSchema.extend({
  mode: z.enum(AGGREGATE_MODES).optional(),
});

/**
 * @example
 * ```ts
 * // src/functions/aggregate_students/main.ts
 * export const handle = createAggregateStudentsHandler(() => runtimeFor('aggregate_students'));
 * ```
 */
export const createAggregateStudentsHandler =
  (runtime: () => Runtime) =>
  async (event: unknown, context?: Context): Promise<StudentsSummary> => {
    const { db, logger, now, config } = runtime();
    if (context !== undefined) logger.addContext(context);
    const options = parseJobEvent(aggregateEventSchema, event);
    const summary = await aggregateStudents(db, {
      mode: options.mode,
      dryRun: options.dry_run,
      timeZone: config.timezone,
      now,
    });
    if (summary.failed > 0) {
      logger.error('aggregate_students run failed', { summary });
      throw new AggregateRunError(summary);
    }
    logger.info('aggregate_students run', { summary });
    return summary;
  };
