import type { Logger } from '../../observability/logger.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import { assertMayReadParentSummary } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { ParentSummaryNotFoundError, ParentSummaryUnreadableError } from './errors.ts';
import { findOrUnreadable, resultWarning } from './result-warnings.ts';

/**
 * The stored summary of a parent (written by `aggregate_parents`), for the parent itself
 * or an admin; 404 until the aggregate has run for the parent, 404 once the parent is
 * deleted, and 404 (`SUMMARY_UNREADABLE`, logged at WARN) while the stored item does not
 * validate.
 *
 * The summary is as of the last parents run, but who the children are is as of now: the
 * parent's current `student_ids` are read with it (one GetItem, in parallel) and a child
 * no longer listed is left out at once, not after the next full run. A child added since
 * appears with that run (its figures are not in the summary yet). A parent record that
 * fails validation cannot say who its children are: the summary is served as stored (and
 * the record is logged at WARN).
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
  let invalidParent = false;
  const [summary, parent] = await Promise.all([
    findOrUnreadable(
      logger,
      (onInvalid) => db.parent_summaries.find({ parent_id: parentId }, { onInvalid }),
      (error) => new ParentSummaryUnreadableError(parentId, { cause: error }),
    ),
    // Inside an async function: a read that throws at once must reject this Promise.all,
    // not leave the summary's read rejected and unhandled.
    (async () =>
      db.parents.find(
        { id: parentId },
        {
          project: ['id', 'student_ids'],
          onInvalid: (error) => {
            invalidParent = true;
            logger.warn('invalid stored record read', {
              ...resultWarning(error, 'its children taken from the summary as stored'),
            });
          },
        },
      ))(),
  ]);
  if (summary === undefined) throw new ParentSummaryNotFoundError(parentId);
  if (invalidParent) return summary;
  if (parent === undefined) throw new ParentSummaryNotFoundError(parentId, 'parent_missing');
  const listed = new Set(parent.student_ids);
  const children = summary.children.filter((child) => listed.has(child.student_id));
  return children.length === summary.children.length ? summary : { ...summary, children };
};
