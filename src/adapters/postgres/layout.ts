/**
 * How a table of `tables/definitions.ts` is laid out in PostgreSQL.
 *
 * An item is kept whole in one `item jsonb` column: attributes the LMS app writes and we
 * do not know are in it and survive our updates (which merge into it), and a read returns
 * it as it was written, with no mapping per table. Every key attribute and every index
 * attribute is also a generated column (`GENERATED ALWAYS AS (item ->> 'id') STORED`): the
 * primary key and the indexes are plain B-trees on text columns, ordered byte-wise
 * (`COLLATE "C"`, DynamoDB's order of string keys), the item stays the one source of its
 * values (a write cannot make a key column disagree with the item), and hand-written SQL
 * reads `WHERE class_code = $1` like any other schema.
 *
 * A global index becomes a partial index (`WHERE attribute IS NOT NULL`): like DynamoDB's
 * sparse index, it holds only the items that have the attribute. A local index is the
 * table's partition key and its own sort key.
 */
import type { TableDefinition } from '../../tables/definitions.ts';
import { ident, qualified } from './sql.ts';

/** The column that holds the whole item. */
export const ITEM = 'item';

/** The primary-key attributes of a table, partition key first. */
export const keyAttributes = (table: TableDefinition): string[] =>
  [table.partitionKey, table.sortKey].filter((attribute) => attribute !== undefined);

/** Every attribute that is also a column: the keys, then each index's keys. */
export const columnAttributes = (table: TableDefinition): string[] => {
  const columns = keyAttributes(table);
  const extra = [
    ...table.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ...(table.localIndexes ?? []).map((index) => index.sortKey),
  ];
  for (const attribute of extra) {
    if (attribute !== undefined && !columns.includes(attribute)) columns.push(attribute);
  }
  if (columns.includes(ITEM)) {
    throw new Error(`${table.name}: an attribute named ${ITEM} would clash with the item column`);
  }
  return columns;
};

/** A string literal of DDL (attribute names come from the definitions, never from data). */
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The name of the SQL index for one DynamoDB index (`students_class_code`). */
export const indexName = (table: TableDefinition, index: string): string =>
  `${table.name}_${index}`;

/**
 * The DDL that creates a table and its indexes, idempotently (`IF NOT EXISTS`).
 *
 * @example
 * ```ts
 * createTableDdl('public', tables.students);
 * // CREATE TABLE IF NOT EXISTS "public"."students" (item jsonb NOT NULL, "id" text ...
 * ```
 */
export const createTableDdl = (schema: string, table: TableDefinition): string[] => {
  const keys = keyAttributes(table);
  const columns = columnAttributes(table).map(
    (attribute) =>
      `${ident(attribute)} text COLLATE "C" GENERATED ALWAYS AS (${ITEM} ->> ${literal(attribute)}) STORED${keys.includes(attribute) ? ' NOT NULL' : ''}`,
  );
  const name = qualified(schema, table.name);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${name} (${ITEM} jsonb NOT NULL, ${columns.join(', ')}, PRIMARY KEY (${keys.map(ident).join(', ')}))`,
  ];
  for (const index of table.indexes) {
    const columns = [index.partitionKey, index.sortKey, ...keys].filter(
      (attribute, i, all): attribute is string =>
        attribute !== undefined && all.indexOf(attribute) === i,
    );
    const present = [index.partitionKey, index.sortKey]
      .filter((attribute) => attribute !== undefined)
      .map((attribute) => `${ident(attribute)} IS NOT NULL`)
      .join(' AND ');
    statements.push(
      `CREATE INDEX IF NOT EXISTS ${ident(indexName(table, index.name))} ON ${name} (${columns.map(ident).join(', ')}) WHERE ${present}`,
    );
  }
  for (const index of table.localIndexes ?? []) {
    const columns = [table.partitionKey, index.sortKey, ...keys].filter(
      (attribute, i, all) => all.indexOf(attribute) === i,
    );
    statements.push(
      `CREATE INDEX IF NOT EXISTS ${ident(indexName(table, index.name))} ON ${name} (${columns.map(ident).join(', ')}) WHERE ${ident(index.sortKey)} IS NOT NULL`,
    );
  }
  return statements;
};
