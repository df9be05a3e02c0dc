/**
 * `aggregate_parents`: recompute `parent_summaries` (DESIGN section 4) for the parents
 * marked by `aggregate_students` (incremental, the default) or for every parent (full),
 * from their children's records and progress. See `docs/aggregates.md`.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../repositories/db.ts';
import { withLease } from './lease.ts';
import { type AggregateOptions, DEFAULT_CONCURRENCY } from './options.ts';
import { readParentTasks } from './parent-tasks.ts';
import { emptyParentCounts, processParents } from './process-parents.ts';
import type { AggregateRunEvent } from './run-events.ts';
import { startRun } from './run-start.ts';
import type { ParentsSummary } from './summary.ts';

export type AggregateParentsOptions = AggregateOptions<AggregateRunEvent>;

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
  const { started, tick, mode, dryRun, today, warnings, onInvalid } = startRun(options);
  const { timeZone, onProgress } = options;

  const { tasks, marksRead } = await readParentTasks(db, mode, onInvalid, onProgress);
  // Nothing to do: no lease is needed for a run that writes nothing.
  const counts =
    tasks.size === 0
      ? emptyParentCounts()
      : await withLease(
          db,
          'aggregate_parents',
          { now: options.now ?? (() => new Date()), dryRun, runId: randomUUID() },
          (renew) =>
            processParents(
              {
                db,
                today,
                timeZone,
                dryRun,
                concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
                updatedAt: started.toISOString(),
                warnings,
                onInvalid,
                onProgress,
                beforeChunk: renew,
              },
              [...tasks.values()],
            ),
        );

  return {
    job: 'aggregate_parents',
    mode,
    dry_run: dryRun,
    today,
    time_zone: timeZone,
    ...counts,
    marks_read: marksRead,
    ...warnings.summary(),
    started_at: started.toISOString(),
    duration_ms: Math.round(performance.now() - tick),
  };
};
