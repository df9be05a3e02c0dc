/**
 * Every statement the repository sends, built by pure functions from a table definition
 * and the request (as `adapters/dynamodb/params.ts` builds DynamoDB's requests), so that
 * what reaches the server is tested without one. Values only ever travel as parameters.
 */

import { setOwn } from '../../lib/own-keys.ts';
import type { AccessPath, KeyCondition } from '../../repositories/access-path.ts';
import type { RawItem, RawKey } from '../../repositories/base-repository.ts';
import type { Condition, Scalar } from '../../repositories/condition.ts';
import type { PageKey } from '../../repositories/repository.ts';
import { projectionOf, type TableDefinition } from '../../tables/definitions.ts';
import { ITEM, keyAttributes } from './layout.ts';
import { ident, Params, qualified, type Statement } from './sql.ts';
import { fromJsonText } from './values.ts';

export type ListPath = Exclude<AccessPath, { kind: 'get' }>;

/** The alias of the table in every statement (`t.item`, `t."id"`). */
const T = 't';
const column = (attribute: string): string => `${T}.${ident(attribute)}`;
const ITEM_COLUMN = `${T}.${ITEM}`;

/** A table as the statements see it: its definition and its qualified name. */
export interface Target {
  readonly table: TableDefinition;
  /** `"schema"."table"`. */
  readonly name: string;
}

export const target = (schema: string, table: TableDefinition): Target => ({
  table,
  name: qualified(schema, table.name),
});

/** The whole item (a read without a projection). */
const SELECT_ITEM = `${ITEM_COLUMN} AS item`;

/**
 * A projected read's select list: each projected attribute as one text column `p<i>`, the
 * first three letters of its JSON type then its text (`->>`: a string as it is, any other
 * value as JSON), SQL NULL for an attribute the item lacks. Only the projected attributes
 * leave the server, and a string, a number or a boolean is read without a JSON parse
 * ({@link projectedRow}). Measured on the nightly stats' scan of 10,000 students
 * (`class_code` asked): 7 ms against 15 for the item less its unasked declared attributes
 * (`item - text[]`), which still sent the keys and every undeclared attribute as `jsonb`,
 * parsed whole. Short on purpose: the server parses and plans the text of every statement,
 * and a `CASE` per attribute made a batch read of 500 keys 0.2 ms slower.
 */
const selectProjected = (params: Params, project: readonly string[]): string =>
  project
    .map((attribute, i) => {
      const name = `${params.add(attribute)}::text`;
      return `left(jsonb_typeof(${ITEM_COLUMN} -> ${name}), 3) || coalesce(${ITEM_COLUMN} ->> ${name}, '') AS p${i}`;
    })
    .join(', ');

const projects = (project: readonly string[] | undefined): project is readonly string[] =>
  project !== undefined && project.length > 0;

/** What a read selects: the whole item, or the projected attributes only. */
const selectItem = (params: Params, project: readonly string[] | undefined): string =>
  projects(project) ? selectProjected(params, project) : SELECT_ITEM;

/** The columns {@link selectItem} takes at the start of a row: those after it start here. */
export const itemColumns = (project: readonly string[] | undefined): number =>
  projects(project) ? project.length : 1;

/** One value of {@link selectProjected}'s columns. */
const projectedValue = (text: string): unknown => {
  const rest = text.slice(3);
  switch (text.slice(0, 3)) {
    case 'str':
      return rest;
    case 'num': // a JSON number's text is a JavaScript number's: `Number` reads it as `JSON.parse` does
      return Number(rest);
    case 'boo':
      return rest === 'true';
    case 'nul':
      return null;
    default: // `obj`, `arr`: JSON (a set's tag among them)
      return fromJsonText(rest);
  }
};

/**
 * The item of a projected read's row (its columns in order): the attributes of `project`
 * that the item has (one it lacks is left out, as a DynamoDB projection leaves it out).
 *
 * @example
 * ```ts
 * projectedRow(['id', 'class_code'], ['strs-1', null]); // { id: 's-1' }
 * ```
 */
export const projectedRow = (
  project: readonly string[],
  row: readonly unknown[],
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < project.length; i++) {
    const text = row[i];
    const attribute = project[i];
    if (typeof text !== 'string' || attribute === undefined) continue;
    // Plain assignment is what keeps this cheap (it runs for every row of a read); only
    // the name `__proto__` needs a defined property to stay an attribute.
    if (attribute === '__proto__') setOwn(out, attribute, projectedValue(text));
    else out[attribute] = projectedValue(text);
  }
  return out;
};

const keyEquals = (table: TableDefinition, key: RawKey, params: Params): string =>
  keyAttributes(table)
    .map((attribute) => `${column(attribute)} = ${params.add(String(key[attribute]))}`)
    .join(' AND ');

/**
 * A write condition on the stored item, as DynamoDB evaluates it: a missing attribute is
 * never equal to a value and always unequal; `atMost` holds for numbers only. Written so
 * that it is never NULL (SQL's unknown would turn `NOT` and `OR` around).
 *
 * @example
 * ```ts
 * conditionSql({ attribute: 'token', equals: 'a' }, params); // coalesce(t.item -> $1 = $2::jsonb, false)
 * ```
 */
export const conditionSql = (condition: Condition, params: Params): string => {
  if ('and' in condition) {
    return condition.and.length === 0
      ? 'true'
      : `(${condition.and.map((c) => conditionSql(c, params)).join(' AND ')})`;
  }
  if ('or' in condition) {
    return condition.or.length === 0
      ? 'false'
      : `(${condition.or.map((c) => conditionSql(c, params)).join(' OR ')})`;
  }
  const value = `${ITEM_COLUMN} -> ${params.add(condition.attribute)}`;
  if ('exists' in condition) {
    return `(${value} IS ${condition.exists ? 'NOT ' : ''}NULL)`;
  }
  if ('equals' in condition) return `coalesce(${value} = ${params.json(condition.equals)}, false)`;
  if ('notEquals' in condition)
    return `(${value} IS DISTINCT FROM ${params.json(condition.notEquals)})`;
  return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric <= ${params.add(condition.atMost)}::numeric ELSE false END)`;
};

/** Equality filters on attributes inside the item (never NULL-valued: a miss is false). */
const filterSql = (filter: Readonly<Record<string, Scalar>>, params: Params): string[] =>
  Object.entries(filter).map(
    ([attribute, value]) =>
      `coalesce(${ITEM_COLUMN} -> ${params.add(attribute)} = ${params.json(value)}, false)`,
  );

/** `LIKE` special characters escaped, so a prefix matches only itself. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const keyConditionSql = (attribute: string, condition: KeyCondition, params: Params): string => {
  const c = column(attribute);
  if ('equals' in condition) return `${c} = ${params.add(condition.equals)}`;
  // Under COLLATE "C" a LIKE prefix is a range of the B-tree (the pattern is a parameter,
  // and `pg` plans each statement with its values, so the planner sees the prefix).
  if ('beginsWith' in condition) return `${c} LIKE ${params.add(likePrefix(condition.beginsWith))}`;
  if ('between' in condition) {
    return `${c} BETWEEN ${params.add(condition.between[0])} AND ${params.add(condition.between[1])}`;
  }
  if ('gte' in condition) return `${c} >= ${params.add(condition.gte)}`;
  return `${c} <= ${params.add(condition.lte)}`;
};

/**
 * The columns a read is ordered by, which are also its cursor: a query in its sort key's
 * order then the table's key (unique), a scan in the table's key order.
 */
export const orderColumns = (table: TableDefinition, path: ListPath): string[] => {
  const keys = keyAttributes(table);
  if (path.kind === 'scan') return keys;
  const sort = path.index === undefined ? table.sortKey : path.index.sortKey;
  return [sort, ...keys].filter(
    (attribute, i, all): attribute is string =>
      attribute !== undefined && all.indexOf(attribute) === i,
  );
};

/** The WHERE clause of a query or scan (a segment: the partition keys hashing to it). */
const whereSql = (
  table: TableDefinition,
  path: ListPath,
  params: Params,
  segment: { readonly index: number; readonly total: number } | undefined,
): string[] => {
  const where: string[] = [];
  if (path.kind === 'query') {
    where.push(`${column(path.partition.attribute)} = ${params.add(String(path.partition.value))}`);
    if (path.sort !== undefined) {
      where.push(keyConditionSql(path.sort.attribute, path.sort.condition, params));
    }
    // An index holds only the items that have its keys (DynamoDB's sparse index).
    if (path.index?.sortKey !== undefined) where.push(`${column(path.index.sortKey)} IS NOT NULL`);
  }
  where.push(...filterSql(path.filter, params));
  if (segment !== undefined) {
    where.push(
      `(hashtext(${column(table.partitionKey)}) & 2147483647) % ${params.add(segment.total)}::int = ${params.add(segment.index)}::int`,
    );
  }
  return where;
};

/**
 * What a read through a keys-only index returns: the table's and the index's keys, as
 * DynamoDB returns from a KEYS_ONLY index.
 */
export const effectiveProjection = (
  table: TableDefinition,
  path: ListPath,
  project: readonly string[] | undefined,
): readonly string[] | undefined => {
  if (project !== undefined && project.length > 0) return project;
  if (
    path.kind === 'query' &&
    path.index !== undefined &&
    projectionOf(path.index) === 'KEYS_ONLY'
  ) {
    return [...keyAttributes(table), path.index.partitionKey, path.index.sortKey].filter(
      (attribute): attribute is string => attribute !== undefined,
    );
  }
  return undefined;
};

export interface PageRequest {
  /** The attributes to read (the effective projection); undefined: the whole item. */
  readonly project: readonly string[] | undefined;
  readonly limit: number;
  readonly segment?: { readonly index: number; readonly total: number };
  readonly startKey?: PageKey;
}

/**
 * One page of a query or scan in key order, from after `startKey`: it asks for one row
 * more than the page, so the caller knows whether another page follows. Rows are arrays:
 * the item (or the projected columns), then the cursor columns (`k0`, `k1`, ...).
 */
export const pageStatement = (target: Target, path: ListPath, request: PageRequest): Statement => {
  const params = new Params();
  const order = orderColumns(target.table, path);
  const where = whereSql(target.table, path, params, request.segment);
  if (request.startKey !== undefined) {
    const from = order.map((attribute) => params.add(request.startKey?.[attribute] ?? ''));
    where.push(`(${order.map(column).join(', ')}) > (${from.join(', ')})`);
  }
  const cursor = order.map((attribute, i) => `${column(attribute)} AS k${i}`).join(', ');
  return params.statement(
    `SELECT ${selectItem(params, request.project)}, ${cursor} FROM ${target.name} AS ${T}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order.map(column).join(', ')} LIMIT ${params.add(request.limit + 1)}::int`,
    'array',
  );
};

export const countStatement = (target: Target, path: ListPath): Statement => {
  const params = new Params();
  const where = whereSql(target.table, path, params, undefined);
  return params.statement(
    `SELECT count(*)::int AS n FROM ${target.name} AS ${T}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`,
  );
};

export const getStatement = (
  target: Target,
  key: RawKey,
  project?: readonly string[],
): Statement => {
  const params = new Params();
  return params.statement(
    `SELECT ${selectItem(params, project)} FROM ${target.name} AS ${T} WHERE ${keyEquals(target.table, key, params)}`,
    'array',
  );
};

/**
 * The keys as one `text[]` per key column, `unnest`ed side by side: no object per key and
 * no JSON to build or parse (measured over 500 keys, `pg`'s own preparation of the values
 * included: 0.17 ms against 0.23 ms).
 */
const keyRecordset = (table: TableDefinition, params: Params, keys: readonly RawKey[]) => {
  const attributes = keyAttributes(table);
  const columns = attributes.map((attribute) =>
    params.texts(keys.map((key) => String(key[attribute]))),
  );
  return {
    from: `unnest(${columns.join(', ')}) AS k(${attributes.map(ident).join(', ')})`,
    on: attributes.map((a) => `${column(a)} = k.${ident(a)}`).join(' AND '),
  };
};

/**
 * One primary-key probe per key, as a BatchGetItem is: each key's row is looked up in a
 * `LATERAL` subquery whose `LIMIT 1` (a key has at most one row) keeps the planner from
 * flattening it into a join. A plain join of the keys with the table let it pick a hash
 * join over a sequential scan of the whole table whenever its statistics were behind the
 * table's growth: measured on a table growing to 25,000 answers, 11 ms for 500 keys against
 * 1 ms; with the probe the cost follows the keys, not the table. A row is the item (or
 * the projected columns), then the key it was found by, as BatchGetItem returns the keys.
 */
export const getManyStatement = (
  target: Target,
  keys: readonly RawKey[],
  project?: readonly string[],
): Statement => {
  const params = new Params();
  const { from, on } = keyRecordset(target.table, params, keys);
  return params.statement(
    `SELECT x.*, ${keyAttributes(target.table)
      .map((attribute) => `k.${ident(attribute)}`)
      .join(
        ', ',
      )} FROM ${from} CROSS JOIN LATERAL (SELECT ${selectItem(params, project)} FROM ${target.name} AS ${T} WHERE ${on} LIMIT 1) AS x`,
    'array',
  );
};

/** The key of an item (its key attributes, as strings). */
const keyOf = (table: TableDefinition, item: RawItem): RawKey =>
  Object.fromEntries(keyAttributes(table).map((attribute) => [attribute, String(item[attribute])]));

const conflictTarget = (table: TableDefinition): string =>
  `(${keyAttributes(table).map(ident).join(', ')})`;

/**
 * DynamoDB's TTL, for a table that has an `expiresAttribute` (`answer_rates`): PostgreSQL
 * has none, so a write to a partition first deletes that partition's items whose time has
 * passed (never the item being written). The work is bounded by what one partition holds
 * and the table stays the size of what is live, with no job to schedule; like DynamoDB's,
 * it is housekeeping only: nothing reads an expired item to decide anything.
 */
const expiredPurge = (target: Target, key: RawKey, params: Params): string => {
  const expires = target.table.expiresAttribute;
  if (expires === undefined) return '';
  const partition = `${column(target.table.partitionKey)} = ${params.add(String(key[target.table.partitionKey]))}`;
  const others = `NOT (${keyEquals(target.table, key, params)})`;
  const value = `${ITEM_COLUMN} -> ${params.add(expires)}`;
  return `WITH expired AS (DELETE FROM ${target.name} AS ${T} WHERE ${partition} AND ${others} AND (CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric < extract(epoch FROM clock_timestamp()) ELSE false END)) `;
};

/**
 * A whole item written. With a condition that an absent item satisfies, an upsert whose
 * update happens only where the stored item satisfies it; with one it does not, an update
 * of an existing item only. Either way: no row changed means the condition failed.
 */
export const putStatement = (
  target: Target,
  item: RawItem,
  condition: Condition | undefined,
  absentSatisfies: boolean,
): Statement => {
  const params = new Params();
  const purge = expiredPurge(target, keyOf(target.table, item), params);
  const value = params.json(item);
  if (condition !== undefined && !absentSatisfies) {
    const keyCondition = keyEquals(target.table, keyOf(target.table, item), params);
    return params.statement(
      `${purge}UPDATE ${target.name} AS ${T} SET ${ITEM} = ${value} WHERE ${keyCondition} AND ${conditionSql(condition, params)}`,
    );
  }
  const where = condition === undefined ? '' : ` WHERE ${conditionSql(condition, params)}`;
  return params.statement(
    `${purge}INSERT INTO ${target.name} AS ${T} (${ITEM}) VALUES (${value}) ON CONFLICT ${conflictTarget(target.table)} DO UPDATE SET ${ITEM} = EXCLUDED.${ITEM}${where}`,
  );
};

/**
 * Items written in one statement (the last of two with one key wins, as in a batch of
 * DynamoDB writes de-duplicated by the DynamoDB adapter).
 */
export const putManyStatement = (target: Target, items: readonly RawItem[]): Statement => {
  const params = new Params();
  return params.statement(
    `INSERT INTO ${target.name} AS ${T} (${ITEM}) SELECT value FROM jsonb_array_elements(${params.json(items)}) ON CONFLICT ${conflictTarget(target.table)} DO UPDATE SET ${ITEM} = EXCLUDED.${ITEM}`,
  );
};

export interface Changes {
  readonly key: RawKey;
  readonly set: RawItem;
  readonly remove: readonly string[];
  readonly add: Readonly<Record<string, number>>;
}

/**
 * The item after the changes, from `base` (the stored item, or the key alone for an item
 * the update creates). `jsonb` to `numeric` fails for anything but a number, so ADD to a
 * string is refused as DynamoDB refuses it; a missing attribute counts as 0.
 */
const changedItem = (base: string, changes: Changes, params: Params): string => {
  let expression = base;
  if (Object.keys(changes.set).length > 0) {
    expression = `(${expression} || ${params.json(changes.set)})`;
  }
  if (changes.remove.length > 0) {
    expression = `(${expression} - ${params.texts(changes.remove)})`;
  }
  for (const [attribute, amount] of Object.entries(changes.add)) {
    const name = params.add(attribute);
    expression = `jsonb_set(${expression}, ARRAY[${name}]::text[], to_jsonb(coalesce((${base} -> ${name})::numeric, 0) + ${params.add(amount)}::numeric))`;
  }
  return expression;
};

/** Set, remove and add on one item; like {@link putStatement}, no row changed is a failed condition. */
export const updateStatement = (
  target: Target,
  changes: Changes,
  condition: Condition | undefined,
  absentSatisfies: boolean,
): Statement => {
  const params = new Params();
  const purge = expiredPurge(target, changes.key, params);
  if (condition !== undefined && !absentSatisfies) {
    const updated = changedItem(ITEM_COLUMN, changes, params);
    return params.statement(
      `${purge}UPDATE ${target.name} AS ${T} SET ${ITEM} = ${updated} WHERE ${keyEquals(target.table, changes.key, params)} AND ${conditionSql(condition, params)}`,
    );
  }
  const created = changedItem(params.json(changes.key), changes, params);
  const updated = changedItem(ITEM_COLUMN, changes, params);
  const where = condition === undefined ? '' : ` WHERE ${conditionSql(condition, params)}`;
  return params.statement(
    `${purge}INSERT INTO ${target.name} AS ${T} (${ITEM}) VALUES (${created}) ON CONFLICT ${conflictTarget(target.table)} DO UPDATE SET ${ITEM} = ${updated}${where}`,
  );
};

/**
 * A delete. With a condition an absent item fails (`exists`, a comparison), the row
 * deleted or not is the answer (`deleted`: 1 or no row). With one an absent item
 * satisfies (`absent`, `not`), `present` and `deleted` tell a failed condition (present,
 * not deleted) from an item already gone.
 */
export const deleteStatement = (
  target: Target,
  key: RawKey,
  condition: Condition | undefined,
  absentSatisfies: boolean,
): Statement => {
  const params = new Params();
  const keyCondition = keyEquals(target.table, key, params);
  if (condition === undefined) {
    return params.statement(`DELETE FROM ${target.name} AS ${T} WHERE ${keyCondition}`);
  }
  if (!absentSatisfies) {
    return params.statement(
      `DELETE FROM ${target.name} AS ${T} WHERE ${keyCondition} AND ${conditionSql(condition, params)} RETURNING 1 AS deleted`,
    );
  }
  return params.statement(
    `WITH present AS (SELECT 1 FROM ${target.name} AS ${T} WHERE ${keyCondition} FOR UPDATE), deleted AS (DELETE FROM ${target.name} AS ${T} WHERE ${keyCondition} AND ${conditionSql(condition, params)} RETURNING 1) SELECT (SELECT count(*) FROM present)::int AS present, (SELECT count(*) FROM deleted)::int AS deleted`,
  );
};

export const deleteManyStatement = (target: Target, keys: readonly RawKey[]): Statement => {
  const params = new Params();
  const { from, on } = keyRecordset(target.table, params, keys);
  return params.statement(`DELETE FROM ${target.name} AS ${T} USING ${from} WHERE ${on}`);
};
