import type { Logger } from '../../observability/logger.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import { assertMayReadStudent } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { StudentProgressNotFoundError, StudentProgressUnreadableError } from './errors.ts';
import { findOrUnreadable, resultWarning } from './result-warnings.ts';

/**
 * The stored progress of a student (written by `aggregate_students`), for a principal
 * allowed to see the student; 404 until the aggregate has run for the student, and
 * (`PROGRESS_UNREADABLE`, logged at WARN) while the stored item does not validate.
 *
 * @example
 * ```ts
 * const progress = await getStudentProgress(db, { sub: 's-001', role: 'student' }, 's-001', logger);
 * ```
 */
export const getStudentProgress = async (
  db: Db,
  principal: Principal,
  studentId: string,
  logger: Logger,
): Promise<Entity<'student_progress'>> => {
  await assertMayReadStudent(db, principal, studentId, (error) =>
    logger.warn('invalid stored record: access not granted through it', {
      ...resultWarning(error, 'counted as missing'),
    }),
  );
  const progress = await findOrUnreadable(
    logger,
    (onInvalid) => db.student_progress.find({ student_id: studentId }, { onInvalid }),
    (error) => new StudentProgressUnreadableError(studentId, { cause: error }),
  );
  if (progress === undefined) throw new StudentProgressNotFoundError(studentId);
  // `fold_version` is the aggregate job's bookkeeping, not part of DESIGN's progress.
  const { fold_version: _bookkeeping, ...figures } = progress;
  return figures;
};
