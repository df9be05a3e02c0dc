import type { Logger } from '../../observability/logger.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import { assertMayReadParentSummary } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { ParentSummaryNotFoundError, ParentSummaryUnreadableError } from './errors.ts';
import { findOrUnreadable } from './result-warnings.ts';

/**
 * The stored summary of a parent (written by `aggregate_parents`), for the parent itself
 * or an admin; 404 until the aggregate has run for the parent, and (`SUMMARY_UNREADABLE`,
 * logged at WARN) while the stored item does not validate.
 *
 * @example
 * ```ts
 * const summary = await getParentSummary(db, { sub: 'p-001', role: 'parent' }, 'p-001', logger);
 * ```
 */
export const getParentSummary = async (
  db: Db,
  principal: Principal,
  parentId: string,
  logger: Logger,
): Promise<Entity<'parent_summaries'>> => {
  assertMayReadParentSummary(principal, parentId);
  const summary = await findOrUnreadable(
    logger,
    (onInvalid) => db.parent_summaries.find({ parent_id: parentId }, { onInvalid }),
    (error) => new ParentSummaryUnreadableError(parentId, { cause: error }),
  );
  if (summary === undefined) throw new ParentSummaryNotFoundError(parentId);
  return summary;
};
