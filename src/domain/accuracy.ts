/**
 * `correct / attempts`, or `null` when there are no attempts (DESIGN section 4): "no
 * attempts" and "all wrong" are different facts and must not both read as 0.
 *
 * @example
 * ```ts
 * accuracy(3, 4); // 0.75
 * accuracy(0, 0); // null
 * ```
 */
export const accuracy = (correct: number, attempts: number): number | null =>
  attempts === 0 ? null : correct / attempts;
