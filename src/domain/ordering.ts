/**
 * Orderings every reply shares. Plain code-unit order (not `localeCompare`): the result
 * must not depend on the ICU data or locale of the machine that computes it, so two runs
 * (or the DynamoDB and in-memory stores) always agree.
 */

/**
 * Compares two strings by UTF-16 code units, as `Array.prototype.sort` does by default.
 *
 * @example
 * ```ts
 * ['b', 'B', 'a'].sort(compareCodeUnits); // ['B', 'a', 'b']
 * ```
 */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders people (students, children) by `name`, then `id`, both in code-unit order.
 *
 * @example
 * ```ts
 * [{ id: 's-2', name: 'Ann' }, { id: 's-1', name: 'Ann' }].sort(compareByNameThenId);
 * // [{ id: 's-1', ... }, { id: 's-2', ... }]
 * ```
 */
export const compareByNameThenId = (
  a: { readonly name: string; readonly id: string },
  b: { readonly name: string; readonly id: string },
): number => compareCodeUnits(a.name, b.name) || compareCodeUnits(a.id, b.id);
