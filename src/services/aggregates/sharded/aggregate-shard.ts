/**
 * What the sharded runs of both aggregate jobs share on top of the generic resumable loop
 * (`workflow/work-shard.ts`): the run both plans fix, the plan under the job's lease, a
 * worker invocation that renews it, and the shards' counts summed into a summary.
 */

import * as z from 'zod';
import { AGGREGATE_MODES } from '../../../domain/progress/run-modes.ts';
import {
  type AggregateWarning,
  aggregateWarning,
  warningKind,
} from '../../../domain/progress/warnings.ts';
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
import { renewLease, takeLease } from '../lease.ts';

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

/**
 * A plan's result: the run's shards under its lease, or busy when another run holds it (a
 * dry run writes nothing and needs none).
 */
export const leasedPlan = async (
  db: Db,
  run: PlanResult['run'] & { readonly dry_run: boolean },
  started: Date,
  shards: number,
): Promise<PlanResult> => {
  if (!run.dry_run && !(await takeLease(db, run.job, run.run_id, started))) {
    return { busy: true, run, shards: [] };
  }
  return { busy: false, run, shards: newShards(shards) };
};

/** The shards' counts summed and their warnings read back, for a run's summary. */
export const summedShards = <C extends { readonly [K in keyof C]: number }>(
  shards: readonly { readonly shard: Shard }[],
  empty: C,
) => {
  const summed = sumShards(shards, empty);
  const warnings = new WarningLog<AggregateWarning>();
  for (const warning of summed.warnings) {
    warnings.add(aggregateWarning(warningKind(warning.kind), warning.message));
  }
  return {
    counts: summed.counts,
    warnings: warnings.summary().warnings,
    warnings_total: summed.warningsTotal,
  };
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

/**
 * One worker invocation of an aggregate job on one shard: renew the run's lease (a run that
 * lost it must not go on), then {@link workShard} over the shard's segment.
 *
 * @example
 * ```ts
 * workAggregateShard(db, run, shard, clock, { sources, readPage, process: (tasks, page) => ... });
 * ```
 */
export const workAggregateShard = async <Task>(
  db: Db,
  run: z.output<typeof aggregateRunSchema>,
  shard: Shard,
  clock: ShardClock,
  work: {
    readonly sources: readonly string[];
    readonly readPage: (
      source: string,
      segment: { readonly index: number; readonly total: number },
      startKey: PageKey | undefined,
      /** Skips an invalid item of the page, keeping a warning of it. */
      onInvalid: (error: InvalidStoredItemError) => void,
    ) => Promise<{ readonly tasks: readonly Task[]; readonly next: PageKey | undefined }>;
    readonly process: (
      tasks: readonly Task[],
      page: PageContext,
    ) => Promise<Readonly<Record<string, number>>>;
  },
): Promise<WorkResult> => {
  if (!run.dry_run) await renewLease(db, run.job, run.run_id, clock.now());
  const segment = { index: shard.segment, total: shard.segments };
  const { shard: next, done } = await workShard(
    {
      sources: work.sources,
      // One bad record is skipped and reported, whether the page read or its processing
      // meets it: it never stops the shard (nor the run) for the others.
      readPage: async (source, startKey) => {
        const { warnings, onInvalid } = pageContext();
        const page = await work.readPage(source, segment, startKey, onInvalid);
        return { ...page, warnings: warnings.summary().warnings };
      },
      process: async (tasks) => {
        const page = pageContext();
        const counts = await work.process(tasks, page);
        return { counts, warnings: page.warnings.summary().warnings };
      },
    },
    shard,
    clock,
  );
  return { run, shard: next, done };
};
