import * as z from 'zod';
import { hideSpecialKeys, restoreSpecialKeys } from '../lib/own-keys.ts';

/** A non-empty string identifier (every key of the system is a string). */
export const id = z.string().min(1);

/** A UTC timestamp as `Date.prototype.toISOString()` writes it. */
export const utcTimestamp = z.iso.datetime({ offset: false, precision: 3 });

export const count = z.number().int().nonnegative();

const isId = (value: unknown): value is string => id.safeParse(value).success;

/**
 * A list of ids. The LMS app has written both lists and string sets over the years; a set
 * arrives from the document client as a `Set`, and is read as a list in stored order.
 * An entry that is not an id (an empty string, a number) links to nothing: it is left
 * out, rather than making the whole record unreadable (a parent with `""` among its
 * `student_ids` still has its other children, on every route and in every job).
 */
export const idList = z
  .union([z.array(z.unknown()), z.set(z.unknown())])
  .transform((value) => [...value].filter(isId))
  .default([]);

export const accuracy = z.number().min(0).max(1).nullable();

/**
 * A map whose keys are data (module ids, dates): `z.record`, except that a key named
 * `__proto__` is kept. zod drops that key from a record's output on purpose (an object
 * built by assignment would change its prototype instead); here it is renamed to a
 * stand-in for the record's validation and back after (`lib/own-keys.ts`), so a module
 * whose id is `__proto__` is a module like any other. Published like `z.record`: the
 * renaming is no part of the shape.
 *
 * @example
 * ```ts
 * dataKeyedRecord(id, count).parse(JSON.parse('{"__proto__":1}')); // own key __proto__
 * ```
 */
export const dataKeyedRecord = <K extends z.core.$ZodRecordKey, V extends z.ZodType>(
  key: K,
  value: V,
) => {
  const schema = z.pipe(
    z.transform((input: unknown) => hideSpecialKeys(input)),
    z.record(key, value).overwrite((record) => restoreSpecialKeys(record)),
  );
  dataKeyed.add(schema);
  return schema;
};

const dataKeyed = new WeakSet<z.core.$ZodType>();

// By its `_zod` member, not `instanceof z.core.$ZodType`: a reference to `z.core` keeps the
// whole of zod (its locales too) in every bundle, over twice the budget.
const isSchema = (value: unknown): value is z.core.$ZodType =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** The schemas a schema is made of: its shape's fields, element, options, inner type... */
const partsOf = (schema: z.core.$ZodType): z.core.$ZodType[] =>
  Object.values(schema._zod.def).flatMap((value: unknown) => {
    if (isSchema(value)) return [value];
    if (Array.isArray(value)) return value.filter(isSchema);
    if (typeof value === 'object' && value !== null) return Object.values(value).filter(isSchema);
    return [];
  });

/**
 * Whether a schema has a {@link dataKeyedRecord} at any depth: the items of such a table
 * are the only ones whose map keys may be `__proto__` or `constructor`, and so the only
 * ones the DynamoDB adapter renames around lib-dynamodb (`adapters/dynamodb/db.ts`).
 */
export const holdsDataKeyedRecord = (
  schema: z.core.$ZodType,
  seen: Set<z.core.$ZodType> = new Set(),
): boolean => {
  if (dataKeyed.has(schema)) return true;
  if (seen.has(schema)) return false;
  seen.add(schema);
  return partsOf(schema).some((part) => holdsDataKeyedRecord(part, seen));
};
