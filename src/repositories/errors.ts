import { LmsError } from '../errors.ts';
import { describeIssues, type Issue } from '../lib/zod-issues.ts';

/** One problem found in an item, in the words of the validator. */
export type ItemIssue = Issue;

/**
 * An item read from the store does not match its entity schema. It is reported, never
 * cast: the caller either fails or (with `onInvalid`) skips the item and keeps the report.
 */
export class InvalidStoredItemError extends LmsError {
  readonly code = 'INVALID_STORED_ITEM';

  constructor(
    readonly table: string,
    readonly key: Readonly<Record<string, unknown>>,
    readonly issues: readonly ItemIssue[],
  ) {
    super(`invalid item in ${table} ${JSON.stringify(key)}: ${describeIssues(issues, '(item)')}`);
  }
}

/** An item (or a partial update) given to a repository does not match the entity schema. */
export class InvalidItemError extends LmsError {
  readonly code = 'INVALID_ITEM';

  constructor(
    readonly table: string,
    readonly issues: readonly ItemIssue[],
  ) {
    super(`invalid item for ${table}: ${describeIssues(issues, '(item)')}`);
  }
}

/** A write's condition did not hold (for example: the record was deleted meanwhile). */
export class ConditionFailedError extends LmsError {
  readonly code = 'CONDITION_FAILED';
}

/**
 * A filter names no key and no indexed attribute, so only a full scan could answer it; a
 * scan must be asked for explicitly (`{ scan: true }`), never happen by accident.
 */
export class ScanRequiredError extends LmsError {
  readonly code = 'SCAN_REQUIRED';
}

/** A request the repository cannot express (bad key, key attribute in an update, ...). */
export class InvalidRequestError extends LmsError {
  readonly code = 'INVALID_REQUEST';
}

/**
 * Some items of a batch were still unprocessed after the last retry. Nothing is dropped
 * silently: the error names every key that was not written (or not read).
 */
export class UnprocessedItemsError extends LmsError {
  readonly code = 'UNPROCESSED_ITEMS';

  constructor(
    readonly table: string,
    readonly operation: 'write' | 'read',
    readonly keys: readonly Readonly<Record<string, unknown>>[],
    readonly attempts: number,
  ) {
    super(
      `${keys.length} item(s) of ${table} not ${operation === 'write' ? 'written' : 'read'} after ${attempts} attempts: ${keys
        .slice(0, 20)
        .map((key) => JSON.stringify(key))
        .join(', ')}${keys.length > 20 ? ', …' : ''}`,
    );
  }
}
