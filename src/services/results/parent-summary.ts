import type { Logger } from '../../observability/logger.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import { ForbiddenError } from '../access/errors.ts';
import { assertMayReadParentSummary } from '../access/policy.ts';
import { type Principal, ROLES } from '../access/principal.ts';
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
 * fails validation cannot say who its children are, so it proves no right to any of them:
 * the parent is refused (403, as `student_progress` refuses it each child), and only an
 * admin, who may see every child anyway, gets the summary as stored. The record is logged
 * at WARN either way.
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
  const admin = principal.role === ROLES.admin;
  let invalidParent = false;
  // Settled, not raced: a parent whose record cannot be read is refused even when its
  // summary is missing or unreadable too (403 before 404).
  const [summaryRead, parentRead] = await Promise.allSettled([
    findOrUnreadable(
      logger,
      (onInvalid) => db.parent_summaries.find({ parent_id: parentId }, { onInvalid }),
      (error) => new ParentSummaryUnreadableError(parentId, { cause: error }),
    ),
    // Inside an async function: a read that throws at once must settle here too, not
    // leave the summary's read rejected and unhandled.
    (async () =>
      db.parents.find(
        { id: parentId },
        {
          project: ['id', 'student_ids'],
          onInvalid: (error) => {
            invalidParent = true;
            logger.warn('invalid stored record read', {
              ...resultWarning(
                error,
                admin ? 'its children taken from the summary as stored' : 'the summary refused',
              ),
            });
          },
        },
      ))(),
  ]);
  if (parentRead.status === 'rejected') throw parentRead.reason;
  if (invalidParent && !admin) {
    throw new ForbiddenError("not allowed to see this parent's summary");
  }
  if (summaryRead.status === 'rejected') throw summaryRead.reason;
  const summary = summaryRead.value;
  const parent = parentRead.value;
  if (summary === undefined) throw new ParentSummaryNotFoundError(parentId);
  if (invalidParent) return summary;
  if (parent === undefined) throw new ParentSummaryNotFoundError(parentId, 'parent_missing');
  const listed = new Set(parent.student_ids);
  const children = summary.children.filter((child) => listed.has(child.student_id));
  return children.length === summary.children.length ? summary : { ...summary, children };
};
