/**
 * Least privilege, derived from the catalogue: what a function may do to a table becomes
 * exactly these DynamoDB actions, and nothing the catalogue does not list is granted.
 */
import type { FunctionDefinition, TableAccess } from '../src/catalog/functions.ts';
import type { TableName } from '../src/tables/definitions.ts';

/**
 * The IAM actions of each kind of access (the catalogue's `TableAccess` contract).
 * `BatchWriteItem` is one IAM action for both batched puts and batched deletes: IAM cannot
 * tell them apart, so `put` also allows a batch to delete. Accepted: the functions with
 * `put` write only tables of this project that they rebuild anyway.
 */
export const actionsOf = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  update: ['dynamodb:UpdateItem'],
  put: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
  delete: ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
} as const satisfies Record<TableAccess, readonly string[]>;

/** One grant: a set of actions on one table, or on one table and its indexes. */
export interface TableGrant {
  readonly table: TableName;
  /** Sorted, without duplicates. */
  readonly actions: readonly string[];
  /** Reads reach `${tableArn}/index/*` too; writes only ever address the table itself. */
  readonly includesIndexes: boolean;
}

/**
 * The grants of a function, in the catalogue's order: per table, one for its reads (table
 * and indexes) and one for its writes (table only), each present only when needed.
 *
 * @example
 * ```ts
 * grantsOf(functions.calc_class_stats);
 * // [{ table: 'students', actions: [BatchGetItem, GetItem, Query, Scan], includesIndexes: true },
 * //  { table: 'classes', actions: [BatchGetItem, GetItem, Query, Scan], includesIndexes: true },
 * //  { table: 'classes', actions: [UpdateItem], includesIndexes: false }]
 * ```
 */
export const grantsOf = (definition: FunctionDefinition): TableGrant[] =>
  (Object.entries(definition.tables) as [TableName, readonly TableAccess[]][]).flatMap(
    ([table, accesses]) => {
      const actions = (kinds: readonly TableAccess[]): string[] =>
        [
          ...new Set(
            kinds.filter((kind) => accesses.includes(kind)).flatMap((kind) => actionsOf[kind]),
          ),
        ].sort();
      const reads = actions(['read']);
      const writes = actions(['update', 'put', 'delete']);
      return [
        ...(reads.length > 0 ? [{ table, actions: reads, includesIndexes: true }] : []),
        ...(writes.length > 0 ? [{ table, actions: writes, includesIndexes: false }] : []),
      ];
    },
  );
