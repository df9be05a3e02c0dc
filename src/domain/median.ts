/**
 * The median of some numbers: the middle value, or for an even count the mean of the two
 * middle values (DESIGN section 4); `null` for none.
 *
 * @example
 * ```ts
 * median([300, 100, 200]); // 200
 * median([100, 200, 400, 1000]); // 300
 * median([]); // null
 * ```
 */
export const median = (values: readonly number[]): number | null => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  if (upper === undefined) return null;
  const lower = sorted.length % 2 === 0 ? sorted[middle - 1] : undefined;
  return lower === undefined ? upper : (lower + upper) / 2;
};
