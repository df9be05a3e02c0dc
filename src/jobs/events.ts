import * as z from 'zod';
import { AGGREGATE_MODES } from '../domain/progress/run-modes.ts';
import { describeIssues, zodIssues } from '../lib/zod-issues.ts';
import { InvalidEventError } from './errors.ts';

/**
 * The options a job accepts in its event. Any scheduled event is accepted (EventBridge
 * Scheduler and rules send their own fields, which are ignored); only fields a job knows
 * are validated, so `{ "dry_run": "yes" }` fails loudly instead of running for real.
 */
export const jobEventSchema = z.looseObject({
  dry_run: z.boolean().optional(),
});

export type JobEvent = z.output<typeof jobEventSchema>;

/**
 * The event of both aggregate jobs: any scheduled event, optionally with
 * `{ "mode": "incremental" | "full" }` (default incremental) and `{ "dry_run": true }`.
 */
export const aggregateEventSchema = jobEventSchema.extend({
  mode: z.enum(AGGREGATE_MODES).optional(),
  /** The day of the run (`lms aggregate --today`); default: today in `LMS_TIMEZONE`. */
  today: z.iso.date().optional(),
  /** Students or parents in flight at once within a worker. */
  concurrency: z.number().int().min(1).max(64).optional(),
  /** Shards of a workflow run (parallel scan segments). */
  shards: z.number().int().min(1).max(64).optional(),
  /** Items a worker reads and processes at once (a page); between pages it checks its time. */
  page_size: z.number().int().min(1).max(1000).optional(),
});

/**
 * @example
 * ```ts
 * parseJobEvent({ 'detail-type': 'Scheduled Event' }); // {}
 * parseJobEvent({ dry_run: true });                    // { dry_run: true }
 * ```
 */
export const parseJobEvent = <S extends z.ZodType>(schema: S, event: unknown): z.output<S> => {
  // A bare invocation (`lms invoke`, a test console) may send null or nothing at all.
  const result = schema.safeParse(event ?? {});
  if (!result.success) {
    throw new InvalidEventError(
      `invalid event: ${describeIssues(zodIssues(result.error), '(event)')}`,
    );
  }
  return result.data;
};
