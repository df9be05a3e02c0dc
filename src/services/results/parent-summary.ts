import type { Db, Entity } from '../../repositories/db.ts';
import { assertMayReadParentSummary } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { ParentSummaryNotFoundError } from './errors.ts';

/**
 * The stored summary of a parent (written by `aggregate_parents`), for the parent itself
 * or an admin; 404 until the aggregate has run for the parent.
 *
 * @example
 * ```ts
 * const summary = await getParentSummary(db, { sub: 'p-001', role: 'parent' }, 'p-001');
 * ```
 */
export const getParentSummary = async (
  db: Db,
  principal: Principal,
  parentId: string,
): Promise<Entity<'parent_summaries'>> => {
  assertMayReadParentSummary(principal, parentId);
  const summary = await db.parent_summaries.find({ parent_id: parentId });
  if (summary === undefined) throw new ParentSummaryNotFoundError(parentId);
  return summary;
};
