/**
 * Which records a principal may reach (DESIGN section 5): an admin everything; a teacher
 * the classes whose `teacher_id` is its `sub` and their students; a parent its own summary
 * and its children (the existing students listed in its `student_ids`); a student its own
 * answers and progress; `service` answers of anyone.
 *
 * Order of 404 and 403: whoever may not see a record gets 403 whether or not it exists
 * (a missing class and another teacher's class look the same to a teacher); only someone
 * allowed to see it learns that it is missing (404, decided by the caller afterwards).
 */
import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { ForbiddenError } from './errors.ts';
import { ACTIONS, assertMayAttempt, mayAttempt } from './permissions.ts';
import { type Principal, ROLES } from './principal.ts';

/**
 * Throws unless the principal may post answers for every one of these students (given in
 * batch order, so the message names the first offending item).
 *
 * @example
 * ```ts
 * assertMayPostAnswersFor({ sub: 's-1', role: 'student' }, ['s-1', 's-2']); // throws (answers[1])
 * ```
 */
export const assertMayPostAnswersFor = (
  principal: Principal,
  studentIds: readonly string[],
): void => {
  assertMayAttempt(principal, ACTIONS.postAnswers);
  if (principal.role !== ROLES.student) return;
  const index = studentIds.findIndex((studentId) => studentId !== principal.sub);
  if (index >= 0) {
    throw new ForbiddenError(
      `a student may post only its own answers: answers[${index}].student_id is not the caller`,
    );
  }
};

/**
 * Which classes' results a principal may see: every class (an admin), the classes whose
 * `teacher_id` is its `sub` (a teacher), or none. The API's check ({@link assertMayReadClass})
 * and the local console's list of classes both read it, so they cannot disagree.
 *
 * @example
 * ```ts
 * classScopeOf({ sub: 't-1', role: 'teacher' }); // { kind: 'taught-by', teacherId: 't-1' }
 * ```
 */
export type ClassScope =
  | { readonly kind: 'every-class' }
  | { readonly kind: 'taught-by'; readonly teacherId: string }
  | { readonly kind: 'none' };

export const classScopeOf = (principal: Principal): ClassScope => {
  if (!mayAttempt(principal.role, ACTIONS.readModuleResults)) return { kind: 'none' };
  if (principal.role === ROLES.admin) return { kind: 'every-class' };
  if (principal.role === ROLES.teacher) return { kind: 'taught-by', teacherId: principal.sub };
  return { kind: 'none' };
};

/** Whether a class (stored, or `undefined` when missing) lies in the scope. */
const inClassScope = (
  scope: ClassScope,
  klass: { readonly teacher_id?: string | undefined } | undefined,
): boolean =>
  scope.kind === 'every-class' ||
  (scope.kind === 'taught-by' && klass?.teacher_id === scope.teacherId);

/**
 * Throws unless the principal may see the results of this class. `klass` is the stored
 * class or `undefined`; for an admin a missing class is left to the caller (404).
 *
 * @example
 * ```ts
 * const klass = await db.classes.find({ code }, { project: ['code', 'teacher_id'] });
 * assertMayReadClass(principal, klass);
 * if (klass === undefined) throw new ClassNotFoundError(code);
 * ```
 */
export const assertMayReadClass = (
  principal: Principal,
  klass: { readonly teacher_id?: string | undefined } | undefined,
): void => {
  assertMayAttempt(principal, ACTIONS.readModuleResults);
  if (inClassScope(classScopeOf(principal), klass)) return;
  throw new ForbiddenError('not allowed to see this class');
};

/**
 * The students a principal reaches as its own, not through a class: a parent its children
 * (the ids in its `student_ids`), a student itself; no one for the other roles. Whether each
 * exists is the caller's to check. A parent record that does not validate proves no
 * children: none, and it goes to `onInvalid`.
 *
 * @example
 * ```ts
 * await ownStudentIds(db, { sub: 'p-1', role: 'parent' }); // ['s-1', 's-2']
 * ```
 */
export const ownStudentIds = async (
  db: Db,
  principal: Principal,
  onInvalid?: (error: InvalidStoredItemError) => void,
): Promise<readonly string[]> => {
  if (principal.role === ROLES.student) return [principal.sub];
  if (principal.role !== ROLES.parent) return [];
  const parent = await db.parents.find(
    { id: principal.sub },
    { project: ['id', 'student_ids'], onInvalid: onInvalid ?? (() => undefined) },
  );
  // An empty id names no record (and is no key to read).
  return [...new Set(parent?.student_ids ?? [])].filter((id) => id !== '');
};

/**
 * Throws unless the principal may see this student's progress, reading only the records
 * the principal's role needs (a teacher: the student and its class; a parent: itself and
 * the student). Whether the progress itself exists is left to the caller. A record read
 * here that does not validate cannot prove access: it counts as missing (403), and is
 * handed to `onInvalid` to be reported.
 *
 * @example
 * ```ts
 * await assertMayReadStudent(db, principal, 's-001');
 * const progress = await db.student_progress.find({ student_id: 's-001' });
 * ```
 */
export const assertMayReadStudent = async (
  db: Db,
  principal: Principal,
  studentId: string,
  onInvalid?: (error: InvalidStoredItemError) => void,
  /** What is read of the student: its progress, or its review (the same readers). */
  action:
    | typeof ACTIONS.readStudentProgress
    | typeof ACTIONS.readStudentReview = ACTIONS.readStudentProgress,
): Promise<void> => {
  assertMayAttempt(principal, action);
  const skip = onInvalid ?? (() => undefined);
  const denied = new ForbiddenError("not allowed to see this student's progress");
  switch (principal.role) {
    case ROLES.admin:
      return;
    case ROLES.student:
      if ((await ownStudentIds(db, principal)).includes(studentId)) return;
      throw denied;
    case ROLES.teacher: {
      const student = await db.students.find(
        { id: studentId },
        { project: ['id', 'class_code'], onInvalid: skip },
      );
      if (student?.class_code === undefined) throw denied;
      const klass = await db.classes.find(
        { code: student.class_code },
        { project: ['code', 'teacher_id'], onInvalid: skip },
      );
      if (klass?.teacher_id === principal.sub) return;
      throw denied;
    }
    case ROLES.parent: {
      const [children, student] = await Promise.all([
        ownStudentIds(db, principal, skip),
        db.students.find({ id: studentId }, { project: ['id'], onInvalid: skip }),
      ]);
      if (student !== undefined && children.includes(studentId)) return;
      throw denied;
    }
    default:
      throw denied;
  }
};

/**
 * Throws unless the principal may see this parent's summary: an admin, or the parent
 * itself.
 *
 * @example
 * ```ts
 * assertMayReadParentSummary({ sub: 'p-1', role: 'parent' }, 'p-1'); // passes
 * ```
 */
export const assertMayReadParentSummary = (principal: Principal, parentId: string): void => {
  assertMayAttempt(principal, ACTIONS.readParentSummary);
  if (principal.role === ROLES.admin) return;
  if (principal.role === ROLES.parent && principal.sub === parentId) return;
  throw new ForbiddenError("not allowed to see this parent's summary");
};

/**
 * Throws unless the principal may see the whole organisation with its figures (the local
 * console's organisation view): an admin only.
 *
 * @example
 * ```ts
 * assertMayReadOrganisation({ sub: 't-1', role: 'teacher' }); // throws ForbiddenError
 * ```
 */
export const assertMayReadOrganisation = (principal: Principal): void => {
  if (principal.role === ROLES.admin) return;
  throw new ForbiddenError('only an admin may see the whole organisation');
};
