import * as z from 'zod';

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
