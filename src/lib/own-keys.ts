/**
 * Keys that are data (module ids, dates) named like members of `Object.prototype`.
 *
 * A map such as `student_progress.modules` is keyed by module id, and a module id may be
 * `__proto__` or `constructor`. Libraries in the way treat those keys as special:
 * `obj[key] = value` with `__proto__` changes the prototype instead of adding a key
 * (`@aws-sdk/util-dynamodb` marshals and unmarshals that way, and zod strips `__proto__`
 * from records on purpose, a guard against prototype pollution); an own `constructor` key
 * makes `util-dynamodb` misjudge the object's type and refuse to marshal it. Neither
 * library offers an option for it, so the few places that hand such maps to them rename
 * the keys to stand-ins first and back after: {@link hideSpecialKeys},
 * {@link restoreSpecialKeys}.
 *
 * A stand-in starts with a lone surrogate: such a string has no UTF-8 form, so it can
 * never come out of a store or through the HTTP API (which refuses it), and so never
 * collides with a real key.
 */

const SPECIAL_KEYS = ['__proto__', 'constructor'] as const;

const STAND_IN_OF: ReadonlyMap<string, string> = new Map(
  SPECIAL_KEYS.map((key) => [key, `\ud800${key}`]),
);
const KEY_OF: ReadonlyMap<string, string> = new Map(
  SPECIAL_KEYS.map((key) => [`\ud800${key}`, key]),
);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * A copy of `value` with every key found in `renames` renamed, in plain objects and arrays
 * at any depth (sets, byte arrays and class instances are left as they are). Whatever
 * holds no such key is returned as it is, not copied: most values have none.
 */
const renameKeys = (value: unknown, renames: ReadonlyMap<string, string>): unknown => {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const renamed = renameKeys(item, renames);
      if (renamed !== item) {
        copy ??= [...value];
        copy[index] = renamed;
      }
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
    const name = renames.get(key) ?? key;
    const renamed = renameKeys(item, renames);
    if (name !== key || renamed !== item) changed = true;
    return [name, renamed];
  });
  // `Object.fromEntries` defines own properties, so `__proto__` becomes a key like any other.
  return changed ? Object.fromEntries(entries) : value;
};

/**
 * `value` with the keys `__proto__` and `constructor` replaced by stand-ins, at any depth.
 *
 * @example
 * ```ts
 * const hidden = hideSpecialKeys(JSON.parse('{"__proto__":{"a":1}}'));
 * restoreSpecialKeys(hidden); // { ['__proto__']: { a: 1 } }, an own key
 * ```
 */
export const hideSpecialKeys = <T>(value: T): T => renameKeys(value, STAND_IN_OF) as T;

/** The inverse of {@link hideSpecialKeys}: stand-ins back to `__proto__` and `constructor`. */
export const restoreSpecialKeys = <T>(value: T): T => renameKeys(value, KEY_OF) as T;

/**
 * Sets an own property even for the name `__proto__` (a legal attribute name), which a
 * plain assignment would turn into a prototype change, losing the attribute.
 */
export const setOwn = <T>(target: Record<string, T>, name: string, value: T): void => {
  Object.defineProperty(target, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
};
