/**
 * What each role may attempt at all (DESIGN section 5), before any record is read. Which
 * class, student or parent it may reach is the business of `policy.ts`.
 */
import { ForbiddenError } from './errors.ts';
import type { Principal, Role } from './principal.ts';

export const ACTIONS = {
  postAnswers: 'post_answers',
  readModuleResults: 'read_module_results',
  readStudentProgress: 'read_student_progress',
  readParentSummary: 'read_parent_summary',
  /** A student's words to practise: whoever may read its progress (DESIGN section 4). */
  readStudentReview: 'read_student_review',
  /** A class's words to practise: whoever may read its module results. */
  readClassReview: 'read_class_review',
} as const;
export type Action = (typeof ACTIONS)[keyof typeof ACTIONS];

/**
 * The role matrix. A student may read its own progress (DESIGN grants a student only
 * posting; reading what it produced is the sensible reading). `service` only posts: it is
 * the LMS app's backend feeding answers, and reads nothing it was not granted.
 */
export const ROLE_ACTIONS: Readonly<Record<Role, readonly Action[]>> = {
  admin: [
    ACTIONS.postAnswers,
    ACTIONS.readModuleResults,
    ACTIONS.readStudentProgress,
    ACTIONS.readParentSummary,
    ACTIONS.readStudentReview,
    ACTIONS.readClassReview,
  ],
  teacher: [
    ACTIONS.readModuleResults,
    ACTIONS.readStudentProgress,
    ACTIONS.readStudentReview,
    ACTIONS.readClassReview,
  ],
  parent: [ACTIONS.readStudentProgress, ACTIONS.readParentSummary, ACTIONS.readStudentReview],
  student: [ACTIONS.postAnswers, ACTIONS.readStudentProgress, ACTIONS.readStudentReview],
  service: [ACTIONS.postAnswers],
};

/**
 * Whether a role may attempt an action.
 *
 * @example
 * ```ts
 * mayAttempt('teacher', ACTIONS.postAnswers); // false
 * ```
 */
export const mayAttempt = (role: Role, action: Action): boolean =>
  ROLE_ACTIONS[role].includes(action);

/**
 * Throws {@link ForbiddenError} unless the principal's role may attempt the action.
 *
 * @example
 * ```ts
 * assertMayAttempt(principal, ACTIONS.readModuleResults);
 * ```
 */
export const assertMayAttempt = (principal: Principal, action: Action): void => {
  if (!mayAttempt(principal.role, action)) {
    throw new ForbiddenError(`role "${principal.role}" may not ${action.replaceAll('_', ' ')}`);
  }
};
