/**
 * Whether a stored aggregate already holds computed figures, so that a job writes only
 * what changed (DESIGN: "writes only what changed, ignoring updated_at").
 */

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Structural equality of JSON-like values: objects by their keys whatever the order (a
 * store returns map keys in its own order), arrays element by element, the rest by `===`.
 *
 * @example
 * ```ts
 * sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }); // true
 * ```
 */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameValue(item, b[index]))
    );
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]))
  );
};

/**
 * Whether `stored` holds every field of `computed` with the same value. Only the computed
 * fields are compared: `updated_at` (never part of the figures) and any attribute the
 * computation does not produce are ignored.
 *
 * @example
 * ```ts
 * sameFigures({ student_id: 's-1', attempts: 3, updated_at: '…' }, { student_id: 's-1', attempts: 3 }); // true
 * sameFigures(undefined, figures); // false: nothing stored yet
 * ```
 */
export const sameFigures = (stored: object | undefined, computed: object): boolean => {
  if (stored === undefined) return false;
  const have: Readonly<Record<string, unknown>> = { ...stored };
  return Object.entries(computed).every(
    ([key, value]) => key === 'updated_at' || sameValue(have[key], value),
  );
};
