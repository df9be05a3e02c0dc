/**
 * `aggregate_parents`: recompute `parent_summaries` (DESIGN section 4) for the parents
 * marked by `aggregate_students` (incremental, the default) or for every parent (full),
 * from their children's records and progress. See `docs/aggregates.md`.
 *
 * The whole run in this process: the workflow's plan, work and finish (`sharded/`), driven
 * by `sharded/in-process.ts`; there is no other way to run it.
 */
import type { Db } from '../../repositories/db.ts';
import type { AggregateOptions } from './options.ts';
import { runWhole } from './sharded/in-process.ts';
import { parents, planParents } from './sharded/parents.ts';
import type { ParentsSummary } from './summary.ts';

export type AggregateParentsOptions = AggregateOptions;

/**
 * @example
 * ```ts
 * const summary = await aggregateParents(db, { timeZone: 'Asia/Shanghai', mode: 'full' });
 * summary.children_missing; // listed children that no longer exist
 * ```
 */
export const aggregateParents = (
  db: Db,
  options: AggregateParentsOptions,
): Promise<ParentsSummary> => runWhole(parents, db, options, (common) => planParents(db, common));
