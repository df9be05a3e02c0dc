/**
 * When `module_results` flags a word or a student for the teacher (DESIGN section 4), in
 * one place so the documentation (`docs/http-api.md`) and the code cannot disagree.
 *
 * - `needs_review`: words whose accuracy is below `accuracyBelow` over at least
 *   `wordMinAttempts` attempts (all students together).
 * - `needs_help`: students whose accuracy in the module is below `accuracyBelow` over at
 *   least `studentMinAttempts` attempts.
 *
 * The minimum attempts keep one unlucky answer from flagging anything; "below" is strict,
 * so exactly 0.6 is not flagged.
 *
 * @example
 * ```ts
 * const flagged = attempts >= RESULT_THRESHOLDS.wordMinAttempts &&
 *   correct / attempts < RESULT_THRESHOLDS.accuracyBelow;
 * ```
 */
export const RESULT_THRESHOLDS = {
  accuracyBelow: 0.6,
  wordMinAttempts: 5,
  studentMinAttempts: 10,
} as const;
