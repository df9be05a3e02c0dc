/**
 * What a read route says about the stored records it could not read as they are, and
 * served partially (DESIGN allows added fields): which record, what is wrong, what the
 * reply did about it. Logical table names only (`students`), as DESIGN names them.
 */
import { describeIssues } from '../../lib/zod-issues.ts';
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
export const resultWarning = (error: InvalidStoredItemError, served: string): ResultWarning => ({
  table: error.table,
  key: Object.fromEntries(
    Object.entries(error.key).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, String(value)]],
    ),
  ),
  message: `${describeIssues(error.issues, '(item)')}; ${served}`,
});
