/**
 * `aggregate_parents`: recompute `parent_summaries` (DESIGN section 4) for the parents
 * marked by `aggregate_students` (incremental, the default) or for every parent (full),
 * from their children's records and progress. See `docs/aggregates.md`.
 *
 * The whole run in this process: the workflow's plan, work and finish (`sharded/`), driven
 * by `sharded/in-process.ts`; there is no other way to run it.
 */
import type { Db } from '../../repositories/db.ts';
import { type AggregateOptions, WHOLE_RUN_SHARDS } from './options.ts';
import { runInProcess } from './sharded/in-process.ts';
import { parentsJob, planParents } from './sharded/parents.ts';
import type { ParentsSummary } from './summary.ts';

export type AggregateParentsOptions = AggregateOptions;

/**
 * @example
 * ```ts
 * const summary = await aggregateParents(db, { timeZone: 'Asia/Shanghai', mode: 'full' });
 * summary.children_missing; // listed children that no longer exist
 * ```
 */
export const aggregateParents = async (
  db: Db,
  options: AggregateParentsOptions,
): Promise<ParentsSummary> => {
  const now = options.now ?? (() => new Date());
  const plan = await planParents(db, {
    mode: options.mode ?? 'incremental',
    dryRun: options.dryRun === true,
    timeZone: options.timeZone,
    now,
    today: options.today,
    shards: options.shards ?? WHOLE_RUN_SHARDS,
    concurrency: options.concurrency,
    pageSize: options.pageSize,
    idleWithoutLease: true,
  });
  const { summary } = await runInProcess(parentsJob, db, plan, {
    now,
    remainingMs: options.remainingMs,
  });
  return summary;
};
