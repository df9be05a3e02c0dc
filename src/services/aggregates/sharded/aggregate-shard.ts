/**
 * What the sharded runs of both aggregate jobs share on top of the generic resumable loop
 * (`workflow/work-shard.ts`): the run both plans fix, the plan under the job's lease, a
 * worker invocation that renews it, and the shards' counts summed into a summary.
 */

import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { AggregateMode } from '../../../domain/progress/run-modes.ts';
import { AGGREGATE_MODES } from '../../../domain/progress/run-modes.ts';
import {
  type AggregateWarning,
  aggregateWarning,
  warningKind,
} from '../../../domain/progress/warnings.ts';
import { localDate } from '../../../domain/time-zone.ts';
import type { Db } from '../../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../../repositories/errors.ts';
import type { PageKey } from '../../../repositories/repository.ts';
import {
  type PlanResult,
  runSchema,
  type Shard,
  type WorkResult,
} from '../../../workflow/protocol.ts';
import { newShards, type ShardClock, sumShards, workShard } from '../../../workflow/work-shard.ts';
import { WarningLog } from '../../warning-log.ts';
import type { ChunkCounts } from '../chunks.ts';
import { releaseLease, renewLease, takeLease } from '../lease.ts';
import { DEFAULT_CONCURRENCY } from '../options.ts';
import type { AggregateSummaryBase } from '../summary.ts';

/** What the plan of either aggregate job fixes for its whole run. */
export const aggregateRunSchema = runSchema.extend({
  mode: z.enum(AGGREGATE_MODES),
  dry_run: z.boolean(),
  today: z.iso.date(),
  time_zone: z.string(),
  started_at: z.string(),
  concurrency: z.number().int().positive(),
  page_size: z.number().int().positive(),
});

/** Items a worker reads per page unless the run says: one page is one chunk processed together. */
export const DEFAULT_PAGE_SIZE = 100;

/** The run fields both jobs' plans fix the same way. */
export interface PlanOptions {
  readonly mode: AggregateMode;
  readonly dryRun: boolean;
  readonly timeZone: string;
  readonly now: () => Date;
  readonly today?: string;
  readonly shards?: number;
  readonly concurrency?: number;
  readonly pageSize?: number;
  /**
   * A run that finds nothing to do takes no lease and gets no shard: it writes nothing, and
   * costs what finding that out costs. The whole run asks for it; a workflow's plan takes the
   * lease all the same, so that a run while another holds it shows as skipped.
   */
  readonly idleWithoutLease?: boolean;
}

/** Shards of a run unless told otherwise: parallel scan segments of each table it reads. */
export const DEFAULT_SHARDS = 8;

/** The fields of {@link aggregateRunSchema} from a plan's options, started at `started`. */
export const baseRun = (job: string, options: PlanOptions, started: Date) => ({
  run_id: randomUUID(),
  job,
  mode: options.mode,
  dry_run: options.dryRun,
  today: options.today ?? localDate(started, options.timeZone),
  time_zone: options.timeZone,
  started_at: started.toISOString(),
  concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
  page_size: options.pageSize ?? DEFAULT_PAGE_SIZE,
});

/**
 * A plan's result: the run's shards under its lease, or busy when another run holds it (a
 * dry run writes nothing and needs none). A run with nothing to do gets no shard and takes
 * no lease: it writes nothing, and its finish has nothing to give back.
 */
export const leasedPlan = async (
  db: Db,
  run: PlanResult['run'] & { readonly dry_run: boolean },
  started: Date,
  shards: number,
  nothingToDo = false,
): Promise<PlanResult> => {
  if (nothingToDo) return { busy: false, run, shards: [] };
  if (!run.dry_run && !(await takeLease(db, run.job, run.run_id, started))) {
    return { busy: true, run, shards: [] };
  }
  return { busy: false, run, shards: newShards(shards) };
};

/** Where one page's warnings go, for the jobs' own processing of it. */
export interface PageContext {
  readonly warnings: WarningLog<AggregateWarning>;
  readonly onInvalid: (error: InvalidStoredItemError) => void;
}

const pageContext = (): PageContext => {
  const warnings = new WarningLog<AggregateWarning>();
  return {
    warnings,
    onInvalid: (error) =>
      warnings.add(aggregateWarning('invalid_item', `skipped: ${error.message}`)),
  };
};

/** A page of a shard's source, as the job's tasks. */
export interface TaskPage<Task> {
  readonly tasks: readonly Task[];
  readonly next: PageKey | undefined;
  /** Marks this page read (the summary's `marks_read`). */
  readonly marksRead?: number;
}

/** Where a page read starts, as a job's `readPage` is given it. */
export interface PageAt {
  readonly segment: { readonly index: number; readonly total: number };
  /** A query's options at the cursor: the run's page size, from its key. */
  readonly at: {
    readonly pageSize: number;
    /** Skips an invalid item of the page, keeping a warning of it. */
    readonly onInvalid: (error: InvalidStoredItemError) => void;
    readonly startKey?: PageKey;
  };
  /** The same for a scan of the shard's segment. */
  readonly scan: PageAt['at'] & { readonly scan: true; readonly segment: PageAt['segment'] };
}

/** One worker invocation's steps (built per invocation: what they cache lives that long). */
export interface AggregateSteps<Task, C> {
  readPage(source: string, where: PageAt): Promise<TaskPage<Task>>;
  /** One page's tasks through the job's step of the chunk loop (`../chunks.ts`). */
  process(tasks: readonly Task[], page: PageContext): Promise<C>;
}

/**
 * One aggregate job as the sharded run (and so the whole run, `in-process.ts`) drives it:
 * students and parents each supply only what is theirs.
 */
export interface AggregateJob<
  Name extends string,
  Run extends AggregateRun,
  Task,
  C extends Counts<C>,
  Extra extends object,
> {
  readonly name: Name;
  readonly runSchema: z.ZodType<Run>;
  readonly emptyCounts: () => C;
  /** What a shard reads, in order (see each job's header). */
  readonly sources: (run: Run) => readonly string[];
  readonly steps: (db: Db, run: Run) => AggregateSteps<Task, C>;
  /** What only a whole run may record, once every shard is done (the roll-over day). */
  readonly record?: (db: Db, run: Run, counts: C) => Promise<void>;
  /** The job's own summary fields, after `time_zone`. */
  readonly extra: (run: Run) => Extra;
}

export type AggregateRun = z.output<typeof aggregateRunSchema>;

/** A job's counts: numbers only (they are summed over pages and shards), the loop's among them. */
export type Counts<C> = { readonly [K in keyof C]: number } & Readonly<ChunkCounts>;

/** What every aggregate run's summary says, with the job's counts and own fields. */
export type AggregateSummaryOf<Name extends string, C, Extra> = Extra &
  C &
  AggregateSummaryBase & { readonly job: Name };

/** A job's three steps past the plan, bound to the job: what the workflow and `in-process.ts` call. */
export interface AggregateRunner<Run extends AggregateRun, Summary> {
  readonly name: string;
  /** The run as the plan fixed it, read back (and validated) by every later step. */
  readonly runSchema: z.ZodType<Run>;
  /**
   * One worker invocation on one shard: renew the run's lease (a run that lost it must not go
   * on), then {@link workShard} over the shard's segment.
   */
  work(
    db: Db,
    run: Run,
    shard: Shard,
    clock: ShardClock,
    options?: { readonly warningsKept?: number },
  ): Promise<WorkResult>;
  /**
   * The finishing step: sums the shards, records what only a whole run may (when nothing
   * failed and it is no dry run), gives the lease back (a plan without shards took none).
   */
  finish(db: Db, run: Run, shards: readonly WorkResult[], now: Date): Promise<Summary>;
}

/**
 * @example
 * ```ts
 * const students = aggregateRunner(studentsJob);
 * const result = await students.work(db, run, shard, { remainingMs, now });
 * const summary = await students.finish(db, run, [result], new Date());
 * ```
 */
export const aggregateRunner = <
  Name extends string,
  Run extends AggregateRun,
  Task,
  C extends Counts<C>,
  Extra extends object,
>(
  job: AggregateJob<Name, Run, Task, C, Extra>,
): AggregateRunner<Run, AggregateSummaryOf<Name, C, Extra>> => ({
  name: job.name,
  runSchema: job.runSchema,
  work: async (db, run, shard, clock, options) => {
    if (!run.dry_run) await renewLease(db, run.job, run.run_id, clock.now());
    const segment = { index: shard.segment, total: shard.segments };
    const steps = job.steps(db, run);
    const { shard: next, done } = await workShard(
      {
        ...(options?.warningsKept === undefined ? {} : { warningsKept: options.warningsKept }),
        sources: job.sources(run),
        // One bad record is skipped and reported, whether the page read or its processing
        // meets it: it never stops the shard (nor the run) for the others.
        readPage: async (source, startKey) => {
          const { warnings, onInvalid } = pageContext();
          const at = {
            pageSize: run.page_size,
            onInvalid,
            ...(startKey === undefined ? {} : { startKey }),
          };
          const page = await steps.readPage(source, {
            segment,
            at,
            scan: { ...at, scan: true, segment },
          });
          return {
            tasks: page.tasks,
            next: page.next,
            warnings: warnings.summary().warnings,
            counts: { marks_read: page.marksRead ?? 0 },
          };
        },
        process: async (tasks) => {
          const page = pageContext();
          const counts = await steps.process(tasks, page);
          return { counts: { ...counts }, warnings: page.warnings.summary().warnings };
        },
      },
      shard,
      clock,
    );
    return { run, shard: next, done };
  },
  finish: async (db, run, shards, now) => {
    const summed = sumShards(shards, { ...job.emptyCounts(), marks_read: 0 });
    const warnings = new WarningLog<AggregateWarning>();
    for (const warning of summed.warnings) {
      warnings.add(aggregateWarning(warningKind(warning.kind), warning.message));
    }
    if (!run.dry_run && summed.counts.failed === 0 && job.record !== undefined) {
      await job.record(db, run, summed.counts);
    }
    if (!run.dry_run && shards.length > 0) await releaseLease(db, job.name, run.run_id);
    return {
      job: job.name,
      mode: run.mode,
      dry_run: run.dry_run,
      today: run.today,
      time_zone: run.time_zone,
      ...job.extra(run),
      // The job's counts, then `marks_read`.
      ...summed.counts,
      warnings: warnings.summary().warnings,
      warnings_total: summed.warningsTotal,
      started_at: run.started_at,
      duration_ms: Math.max(0, now.getTime() - Date.parse(run.started_at)),
    };
  },
});
