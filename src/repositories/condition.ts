/**
 * Store-agnostic write conditions. The DynamoDB adapter turns them into a
 * `ConditionExpression`, the PostgreSQL adapter into a `WHERE` clause; the in-memory store
 * evaluates them directly ({@link holds}).
 */

export type Scalar = string | number | boolean;

export type Condition =
  | { readonly attribute: string; readonly exists: boolean }
  | { readonly attribute: string; readonly equals: Scalar }
  | { readonly attribute: string; readonly notEquals: Scalar }
  /** A number attribute at most this value (a missing attribute does not hold). */
  | { readonly attribute: string; readonly atMost: number }
  | { readonly and: readonly Condition[] }
  | { readonly or: readonly Condition[] };

/**
 * Shorthands for the conditions jobs use most.
 *
 * @example
 * ```ts
 * // update `stats` only if the class still exists
 * await db.classes.update({ code }, { set: { stats } }, { condition: when.exists('code') });
 * ```
 */
export const when = {
  exists: (attribute: string): Condition => ({ attribute, exists: true }),
  absent: (attribute: string): Condition => ({ attribute, exists: false }),
  equals: (attribute: string, value: Scalar): Condition => ({ attribute, equals: value }),
  notEquals: (attribute: string, value: Scalar): Condition => ({ attribute, notEquals: value }),
  atMost: (attribute: string, value: number): Condition => ({ attribute, atMost: value }),
  all: (...conditions: Condition[]): Condition => ({ and: conditions }),
  any: (...conditions: Condition[]): Condition => ({ or: conditions }),
} as const;

/**
 * Evaluates a write condition the way DynamoDB does: an absent item has no attributes; a
 * missing attribute is never `=` to a value and always `<>` it (checked against dynalite
 * and DynamoDB Local by the contract suite). The in-memory store decides every write with
 * it; the PostgreSQL adapter asks it whether a write may create an absent item.
 */
export const holds = (
  condition: Condition,
  item: Readonly<Record<string, unknown>> | undefined,
): boolean => {
  if ('and' in condition) return condition.and.every((c) => holds(c, item));
  if ('or' in condition) return condition.or.some((c) => holds(c, item));
  const value = item?.[condition.attribute];
  if ('exists' in condition) return (value !== undefined) === condition.exists;
  if ('equals' in condition) return value === condition.equals;
  if ('atMost' in condition) return typeof value === 'number' && value <= condition.atMost;
  return value !== condition.notEquals;
};
