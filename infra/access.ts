/**
 * Least privilege, derived from the catalogue: each access kind a function lists for a
 * table becomes exactly one DynamoDB action, on the table itself or on the one index it
 * queries, and nothing the catalogue does not list is granted (no `index/*`, no Scan
 * unless the code scans).
 *
 * On a stage deployed on PostgreSQL these grants are not rendered: IAM can name no table of
 * a database, so a function with tables gets `rds-db:connect` on the proxy's user instead
 * (`constructs/database.ts`, `accessFor`). The catalogue stays the contract the code is
 * held to (`test/infra/access-recorded.test.ts` records the PostgreSQL adapter's statements
 * as the DynamoDB requests they stand for).
 */
import {
  type FunctionDefinition,
  type ItemAccess,
  indexOf,
  isIndexQuery,
  type TableAccess,
} from '../src/catalog/functions.ts';
import type { TableName } from '../src/tables/definitions.ts';

/**
 * The IAM action of each item access (the catalogue's `TableAccess` contract).
 * `BatchWriteItem` is one IAM action for both batched puts and batched deletes: IAM cannot
 * tell them apart, so `batch-write` also allows a batch to delete. Accepted: the functions
 * with `batch-write` write only tables of this project that they rebuild anyway.
 */
export const actionOf = {
  get: 'dynamodb:GetItem',
  'batch-get': 'dynamodb:BatchGetItem',
  query: 'dynamodb:Query',
  scan: 'dynamodb:Scan',
  update: 'dynamodb:UpdateItem',
  put: 'dynamodb:PutItem',
  'batch-write': 'dynamodb:BatchWriteItem',
  delete: 'dynamodb:DeleteItem',
} as const satisfies Record<ItemAccess, string>;

/** The one action an index allows: the repositories only ever query an index. */
export const INDEX_ACTION = actionOf.query;

/** One grant: actions on one table itself, or a query of some of its indexes. */
export interface TableGrant {
  readonly table: TableName;
  /** Sorted, without duplicates. */
  readonly actions: readonly string[];
  /** Undefined: the table's own ARN. Otherwise exactly these indexes (`<table ARN>/index/<name>`). */
  readonly indexes?: readonly string[];
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * The grants of a function, in the catalogue's order: per table, one for what it does to
 * the table's items and one for the indexes it queries, each present only when needed.
 *
 * @example
 * ```ts
 * grantsOf(functions.module_results);
 * // [{ table: 'classes', actions: ['dynamodb:GetItem'] }, ...,
 * //  { table: 'students', actions: ['dynamodb:Query'], indexes: ['class_code'] }, ...]
 * ```
 */
export const grantsOf = (definition: FunctionDefinition): TableGrant[] =>
  (Object.entries(definition.tables) as [TableName, readonly TableAccess[]][]).flatMap(
    ([table, accesses]) => {
      const indexes = sorted(accesses.flatMap((access) => indexOf(access) ?? []));
      const actions = sorted(
        accesses.flatMap((access) => (isIndexQuery(access) ? [] : [actionOf[access]])),
      );
      return [
        ...(actions.length > 0 ? [{ table, actions }] : []),
        ...(indexes.length > 0 ? [{ table, actions: [INDEX_ACTION], indexes }] : []),
      ];
    },
  );
