import * as z from 'zod';

/** A non-empty string identifier (every key of the system is a string). */
export const id = z.string().min(1);

/** A UTC timestamp as `Date.prototype.toISOString()` writes it. */
export const utcTimestamp = z.iso.datetime({ offset: false, precision: 3 });

export const count = z.number().int().nonnegative();

/**
 * A list of ids. The LMS app has written both lists and string sets over the years; a set
 * arrives from the document client as a `Set`, and is read as a list in stored order.
 */
export const idList = z
  .union([z.array(id), z.set(id)])
  .transform((value) => [...value])
  .default([]);

export const accuracy = z.number().min(0).max(1).nullable();
