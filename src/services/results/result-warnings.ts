/**
 * What a read route says about the stored records it could not read as they are, and
 * served partially (DESIGN allows added fields): which record, what is wrong, what the
 * reply did about it. Logical table names only (`students`), as DESIGN names them.
 */
import { describeIssues } from '../../lib/zod-issues.ts';
import type { Logger } from '../../observability/logger.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';

export interface ResultWarning {
  readonly table: string;
  /** The record's key attributes, as strings. */
  readonly key: Readonly<Record<string, string>>;
  /** What is wrong with it and what the reply did instead. */
  readonly message: string;
}

/**
 * @example
 * ```ts
 * resultWarning(error, 'listed with name null');
 * // { table: 'students', key: { id: 's-7' }, message: 'name: is required; listed with name null' }
 * ```
 */
/**
 * Reads one record that a route serves whole; an invalid stored one is logged at WARN
 * (table, key, what is wrong) and handed to `unreadable`, which throws the route's error.
 *
 * @example
 * ```ts
 * const summary = await findOrUnreadable(logger,
 *   (onInvalid) => db.parent_summaries.find({ parent_id }, { onInvalid }),
 *   (error) => new ParentSummaryUnreadableError(parentId, { cause: error }));
 * ```
 */
export const findOrUnreadable = async <T>(
  logger: Logger,
  find: (onInvalid: (error: InvalidStoredItemError) => void) => Promise<T | undefined>,
  unreadable: (error: InvalidStoredItemError) => Error,
): Promise<T | undefined> => {
  let invalid: InvalidStoredItemError | undefined;
  const item = await find((error) => {
    invalid = error;
  });
  if (invalid !== undefined) {
    const warning = resultWarning(invalid, 'not served');
    logger.warn('invalid stored record not served', { ...warning });
    throw unreadable(invalid);
  }
  return item;
};

export const resultWarning = (error: InvalidStoredItemError, served: string): ResultWarning => ({
  table: error.table,
  key: Object.fromEntries(
    Object.entries(error.key).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, String(value)]],
    ),
  ),
  message: `${describeIssues(error.issues, '(item)')}; ${served}`,
});
