/**
 * What a run of a local job is: the ONE definition that the scheduler (`jobs.ts`) fills in,
 * `/_jobs` and the console show, and the kept-runs file (`console/run-history.ts`) validates. Apart
 * from both so that neither imports the other.
 */
import * as z from 'zod';
import { functionNames } from '../../../catalog/functions.ts';
import { workflowExecutionSchema } from '../../workflows/execution-state.ts';

/** What started a run. */
export const RUN_TRIGGERS = {
  schedule: 'schedule',
  request: 'request',
  /** `lms start`'s runs after writing the demo data. */
  start: 'start',
} as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[keyof typeof RUN_TRIGGERS];

const FINISHED = ['succeeded', 'failed', 'skipped'] as const;

const count = z.number().int().nonnegative();

/** One run of a job, as the console's jobs view and `GET /_jobs` show it. */
export const jobRunSchema = z.strictObject({
  id: z.string().min(1),
  function: z.enum(functionNames),
  trigger: z.enum(Object.values(RUN_TRIGGERS)),
  started_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
  status: z.enum(['running', ...FINISHED]),
  /** What the run returned (its summary), once it succeeded. */
  summary: z.unknown(),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  /** A workflow job's shards and invocations so far, updated while it runs; else null. */
  progress: z
    .strictObject({
      shards: count,
      shards_done: count,
      invocations: count,
      continuations: count,
    })
    .nullable(),
  /**
   * A workflow job's execution: the states entered with their status and its Map's iterations,
   * from the execution's events, updated as they come; else null. Absent in a file written
   * before it was kept: null.
   */
  execution: workflowExecutionSchema.nullable().default(null),
});

export type JobRun = Readonly<z.output<typeof jobRunSchema>>;
export type RunStatus = JobRun['status'];

/** A run that ended: the only kind kept across restarts. */
export const finishedRunSchema = jobRunSchema.extend({
  finished_at: z.iso.datetime(),
  status: z.enum(FINISHED),
});

/** Where finished runs are kept across restarts (`console/run-history.ts`). */
export interface RunHistory {
  load(): Promise<JobRun[]>;
  save(runs: readonly JobRun[]): Promise<void>;
}
