/**
 * Picks how a filter is answered, the same way for every store: the full key reads one
 * item, a partition key queries the table, an indexed attribute queries that index, and
 * anything else is a scan, allowed only when asked for. Pure, so the choice is tested
 * without a database and both repository implementations share it.
 */
import type { IndexDefinition, TableDefinition } from '../tables/definitions.ts';
import type { Scalar } from './condition.ts';
import { InvalidRequestError, ScanRequiredError } from './errors.ts';
import type { SortKeyCondition } from './repository.ts';

export type KeyCondition = SortKeyCondition | { readonly equals: string };

export type AccessPath =
  | { readonly kind: 'get'; readonly key: Readonly<Record<string, Scalar>> }
  | {
      readonly kind: 'query';
      /** Undefined: the table itself. */
      readonly index: IndexDefinition | undefined;
      readonly partition: { readonly attribute: string; readonly value: Scalar };
      readonly sort: { readonly attribute: string; readonly condition: KeyCondition } | undefined;
      /** Equalities left after the key condition (applied as a filter). */
      readonly filter: Readonly<Record<string, Scalar>>;
    }
  | { readonly kind: 'scan'; readonly filter: Readonly<Record<string, Scalar>> };

export interface AccessPathOptions {
  readonly scan?: boolean;
  /** Query this index by name; needed for a local index, whose partition key is the table's. */
  readonly index?: string;
  readonly sortKey?: SortKeyCondition;
  readonly consistent?: boolean;
}

/** Drops `undefined` values: `{ class_code: undefined }` filters on nothing. */
export const definedEntries = (filter: object): Record<string, Scalar> => {
  const out: Record<string, Scalar> = {};
  for (const [attribute, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new InvalidRequestError(
        `filter on ${attribute}: only strings, numbers and booleans can be compared`,
      );
    }
    out[attribute] = value;
  }
  return out;
};

const without = (filter: Record<string, Scalar>, ...attributes: (string | undefined)[]) => {
  const rest = { ...filter };
  for (const attribute of attributes) if (attribute !== undefined) delete rest[attribute];
  return rest;
};

const sortCondition = (
  sortAttribute: string | undefined,
  filter: Record<string, Scalar>,
  option: SortKeyCondition | undefined,
  where: string,
): { attribute: string; condition: KeyCondition } | undefined => {
  if (sortAttribute === undefined) {
    if (option !== undefined) throw new InvalidRequestError(`${where} has no sort key`);
    return undefined;
  }
  const equal = filter[sortAttribute];
  if (equal !== undefined && option !== undefined) {
    throw new InvalidRequestError(`${sortAttribute} is both in the filter and in sortKey`);
  }
  if (equal !== undefined)
    return { attribute: sortAttribute, condition: { equals: String(equal) } };
  if (option !== undefined) return { attribute: sortAttribute, condition: option };
  return undefined;
};

/**
 * @example
 * ```ts
 * chooseAccessPath(tables.students, { class_code: 'c-1' }); // query on index class_code
 * chooseAccessPath(tables.students, { id: 's-1' });         // get
 * chooseAccessPath(tables.students, { name: 'Ann' });       // throws ScanRequiredError
 * ```
 */
/** A query of the index the caller named (a local index is strongly consistent if asked). */
const namedIndexPath = (
  table: TableDefinition,
  filter: Record<string, Scalar>,
  name: string,
  options: AccessPathOptions,
): AccessPath => {
  const local = table.localIndexes?.find((candidate) => candidate.name === name);
  const index: IndexDefinition | undefined =
    local === undefined
      ? table.indexes.find((candidate) => candidate.name === name)
      : { name: local.name, partitionKey: table.partitionKey, sortKey: local.sortKey };
  if (index === undefined) throw new InvalidRequestError(`${table.name} has no index ${name}`);
  if (local === undefined && options.consistent === true) {
    throw new InvalidRequestError(
      `index ${name} of ${table.name} is eventually consistent: a consistent read is not possible`,
    );
  }
  const value = filter[index.partitionKey];
  if (value === undefined) {
    throw new InvalidRequestError(
      `a query of index ${name} needs ${index.partitionKey} in the filter`,
    );
  }
  return {
    kind: 'query',
    index,
    partition: { attribute: index.partitionKey, value },
    sort: sortCondition(index.sortKey, filter, options.sortKey, `index ${index.name}`),
    filter: without(filter, index.partitionKey, index.sortKey),
  };
};

export const chooseAccessPath = (
  table: TableDefinition,
  rawFilter: object,
  options: AccessPathOptions = {},
): AccessPath => {
  const filter = definedEntries(rawFilter);
  const attributes = Object.keys(filter);
  const pk = filter[table.partitionKey];
  if (options.index !== undefined) return namedIndexPath(table, filter, options.index, options);

  if (pk !== undefined) {
    const keyAttributes = [table.partitionKey, table.sortKey].filter((a) => a !== undefined);
    const isFullKey =
      keyAttributes.every((a) => filter[a] !== undefined) &&
      attributes.length === keyAttributes.length &&
      options.sortKey === undefined;
    if (isFullKey) return { kind: 'get', key: filter };
    return {
      kind: 'query',
      index: undefined,
      partition: { attribute: table.partitionKey, value: pk },
      sort: sortCondition(table.sortKey, filter, options.sortKey, `table ${table.name}`),
      filter: without(filter, table.partitionKey, table.sortKey),
    };
  }

  const index = table.indexes.find((candidate) => filter[candidate.partitionKey] !== undefined);
  const indexValue = index === undefined ? undefined : filter[index.partitionKey];
  if (index !== undefined && indexValue !== undefined) {
    if (options.consistent === true) {
      throw new InvalidRequestError(
        `index ${index.name} of ${table.name} is eventually consistent: a consistent read is not possible`,
      );
    }
    return {
      kind: 'query',
      index,
      partition: { attribute: index.partitionKey, value: indexValue },
      sort: sortCondition(index.sortKey, filter, options.sortKey, `index ${index.name}`),
      filter: without(filter, index.partitionKey, index.sortKey),
    };
  }

  if (options.sortKey !== undefined) {
    throw new InvalidRequestError(
      `sortKey needs the partition key ${table.partitionKey} of ${table.name} in the filter`,
    );
  }
  if (options.scan === true) return { kind: 'scan', filter };
  const usable = [table.partitionKey, ...table.indexes.map((i) => i.partitionKey)].join(', ');
  throw new ScanRequiredError(
    `${table.name}: the filter {${attributes.join(', ')}} names no key or indexed attribute (${usable}); pass { scan: true } to read the whole table`,
  );
};
