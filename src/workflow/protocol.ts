/**
 * How a job that outgrows one Lambda invocation talks to its Step Functions workflow
 * (`src/catalog/workflows.ts`). The job's function stays the one entry point (DESIGN
 * section 3) and is invoked once per phase:
 *
 * 1. `plan`: takes the job's lease, fixes what the run needs ("today", the mode, ...) in
 *    `run`, and splits the work into `shards` (parallel scan segments). `busy: true` when
 *    another run holds the lease: the workflow then ends without doing anything.
 * 2. `work`: one invocation works on one shard until it is done or its time is nearly up,
 *    and returns the shard with its cursor; the workflow loops while `done` is false.
 * 3. `finish`: gets every shard's last result; records what only a whole run may record
 *    (the roll-over day), releases the lease and returns the run's summary.
 *
 * Everything crossing the workflow is plain JSON and small (Step Functions passes at most
 * 256 KB between states): counts, a cursor, never the data.
 */
import * as z from 'zod';

export const WORKFLOW_PHASE = { Plan: 'plan', Work: 'work', Finish: 'finish' } as const;
export type WorkflowPhase = (typeof WORKFLOW_PHASE)[keyof typeof WORKFLOW_PHASE];

/** What the plan fixed for the whole run; opaque to the workflow, read back by each phase. */
export const runSchema = z.looseObject({
  run_id: z.string().min(1),
  job: z.string().min(1),
});
export type WorkflowRun = z.output<typeof runSchema>;

export const shardSchema = z.object({
  /** This shard's parallel scan segment, `0 <= segment < segments`. */
  segment: z.number().int().nonnegative(),
  segments: z.number().int().positive(),
  /** Where the next invocation goes on; null before the first one. */
  cursor: z.unknown().nullable(),
  /** Invocations so far (the first one included): continuations = invocations - 1. */
  invocations: z.number().int().nonnegative(),
  /** The shard's counts so far, summed over its invocations. */
  counts: z.record(z.string(), z.number()),
  /** The first few warnings of the shard, for the run's summary (all are counted and logged). */
  warnings: z
    .array(z.object({ kind: z.string(), message: z.string() }))
    .max(20)
    .optional(),
});
export type Shard = z.output<typeof shardSchema>;

export const planResultSchema = z.object({
  busy: z.boolean(),
  run: runSchema,
  shards: z.array(shardSchema),
});
export type PlanResult = z.output<typeof planResultSchema>;

export const workEventSchema = z.object({
  phase: z.literal(WORKFLOW_PHASE.Work),
  run: runSchema,
  shard: shardSchema,
});
export type WorkEvent = z.output<typeof workEventSchema>;

export const workResultSchema = z.object({
  run: runSchema,
  shard: shardSchema,
  done: z.boolean(),
});
export type WorkResult = z.output<typeof workResultSchema>;

export const finishEventSchema = z.object({
  phase: z.literal(WORKFLOW_PHASE.Finish),
  run: runSchema,
  shards: z.array(workResultSchema),
});
export type FinishEvent = z.output<typeof finishEventSchema>;
