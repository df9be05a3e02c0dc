/**
 * Store-agnostic write conditions. The DynamoDB adapter turns them into a
 * `ConditionExpression`; the in-memory store evaluates them directly.
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
