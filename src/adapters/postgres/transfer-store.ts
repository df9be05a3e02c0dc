/**
 * The {@link TransferStore} of export and import over PostgreSQL: the same lines of
 * DynamoDB JSON as the DynamoDB store reads and writes, converted to and from the `item
 * jsonb` column without loss (`item-text.ts`), so an organisation moves from one engine
 * to the other and back with every item equal (DESIGN: the migration path).
 */
import type { TransferStore } from '../../ops/transfer/store.ts';
import { type TableDefinition, type TableName, tables } from '../../tables/definitions.ts';
import { ItemLineError, itemFromLine } from '../dynamodb/item-json.ts';
import { itemToJsonbText, jsonbTextToLine } from './item-text.ts';
import { ITEM, keyAttributes } from './layout.ts';
import { existingTables, migrate } from './migrations.ts';
import type { Pg } from './pg.ts';
import { ident, Params, qualified, type Statement, schemaFor } from './sql.ts';

/**
 * Rows per page of an export: as the repository's page, a few megabytes at most even of
 * the largest items, and few enough statements for a table of millions.
 */
export const EXPORT_PAGE_ROWS = 500;

/**
 * Lines per upsert statement of an import (the repository's write chunk): a round trip per
 * 500 items instead of per 25, DynamoDB's batch, with a parameter of a few megabytes at most.
 */
export const IMPORT_BATCH_LINES = 500;

export interface PostgresTransferStoreSettings {
  readonly pg: Pg;
  /** `LMS_TABLE_PREFIX`: the schema is `schemaFor(prefix)`. */
  readonly prefix: string;
  /** The database URL without its password, for the checkpoint key and messages. */
  readonly location: string;
  readonly pageRows?: number;
}

/**
 * One page of a table in key order, after `after` (the key of the previous page's last
 * row): the item as text (`jsonb`'s rendering: numbers as PostgreSQL keeps them, which a
 * parsed value would round) and the key columns, the cursor.
 *
 * @example
 * ```ts
 * exportPageStatement('public', tables.answers, 500, ['s-1', 'm-1#a-9']);
 * // SELECT item::text AS item, "student_id" AS k0, "answer_key" AS k1 FROM ... WHERE ("student_id", "answer_key") > ($1, $2) ORDER BY ... LIMIT $3::int
 * ```
 */
export const exportPageStatement = (
  schema: string,
  table: TableDefinition,
  rows: number,
  after: readonly string[] | undefined,
): Statement => {
  const params = new Params();
  const keys = keyAttributes(table).map(ident);
  const where =
    after === undefined
      ? ''
      : ` WHERE (${keys.join(', ')}) > (${after.map((value) => params.add(value)).join(', ')})`;
  return params.statement(
    `SELECT ${ITEM}::text AS item, ${keys.map((key, i) => `${key} AS k${i}`).join(', ')} FROM ${qualified(schema, table.name)}${where} ORDER BY ${keys.join(', ')} LIMIT ${params.add(rows)}::int`,
  );
};

/**
 * Items written in one statement, as `jsonb` texts: inserted, or replacing the stored item
 * of their key (a put, as BatchWriteItem's).
 */
export const upsertStatement = (
  schema: string,
  table: TableDefinition,
  items: readonly string[],
): Statement => {
  const params = new Params();
  // The array is assembled from texts that are each one JSON object; going through
  // JSON.parse/JSON.stringify would round the numbers this text keeps exactly.
  const array = `${params.add(`[${items.join(',')}]`)}::jsonb`;
  return params.statement(
    `INSERT INTO ${qualified(schema, table.name)} (${ITEM}) SELECT value FROM jsonb_array_elements(${array}) ON CONFLICT (${keyAttributes(table).map(ident).join(', ')}) DO UPDATE SET ${ITEM} = EXCLUDED.${ITEM}`,
  );
};

/**
 * The item of a line as `jsonb` text and its key; throws {@link ItemLineError} unless the
 * line is an item of the table whose key attributes are non-empty strings (the key columns
 * are text, and DynamoDB refuses an empty key string).
 */
export const lineToRow = (
  table: TableDefinition,
  line: string,
): { readonly text: string; readonly key: string } => {
  const item = itemFromLine(line);
  const key: string[] = [];
  for (const attribute of keyAttributes(table)) {
    const value = item[attribute]?.S;
    if (value === undefined || value === '') {
      throw new ItemLineError(`Item.${attribute}`, `the key of ${table.name} must be a string`);
    }
    key.push(value);
  }
  return { text: itemToJsonbText(item), key: JSON.stringify(key) };
};

/**
 * @example
 * ```ts
 * const { pg } = connectPostgres({ databaseUrl, tablePrefix: 'dev-' });
 * const store = createPostgresTransferStore({ pg, prefix: 'dev-', location: 'postgres://127.0.0.1:5432/lms' });
 * for await (const lines of store.scanLines('students')) console.log(lines.length);
 * ```
 */
export const createPostgresTransferStore = (
  settings: PostgresTransferStoreSettings,
): TransferStore => {
  const { pg, prefix } = settings;
  const schema = schemaFor(prefix);
  const pageRows = settings.pageRows ?? EXPORT_PAGE_ROWS;
  const name = (table: TableName) => qualified(schema, table);
  return {
    target: `${settings.location} prefix="${prefix}"`,
    prefix,
    tableName: name,
    batchLines: IMPORT_BATCH_LINES,
    // `segments` is DynamoDB's throughput knob; here one walk of the primary key's B-tree
    // is the fast way, and its order makes each page's cursor exact.
    async *scanLines(table) {
      const definition = tables[table];
      let after: string[] | undefined;
      for (;;) {
        const { rows } = await pg.query<Record<string, unknown>>(
          exportPageStatement(schema, definition, pageRows, after),
        );
        if (rows.length > 0) yield rows.map((row) => jsonbTextToLine(String(row.item)));
        const last = rows.at(-1);
        if (rows.length < pageRows || last === undefined) return;
        after = keyAttributes(definition).map((_, i) => String(last[`k${i}`]));
      }
    },
    checkLine(table, line) {
      lineToRow(tables[table], line);
    },
    async putLines(table, lines) {
      if (lines.length === 0) return;
      // One statement may not touch a row twice (ON CONFLICT): of two lines with one key,
      // the later wins, as the later of two puts would.
      const byKey = new Map<string, string>();
      for (const line of lines) {
        const { text, key } = lineToRow(tables[table], line);
        byKey.delete(key);
        byKey.set(key, text);
      }
      await pg.query(upsertStatement(schema, tables[table], [...byKey.values()]));
    },
    async existingTables(names) {
      const present = new Set(await existingTables(pg, schema, names));
      return names.filter((table) => present.has(table));
    },
    // The migrations create every table of the schema at once (and are idempotent).
    async createMissingTables() {
      await migrate(pg, schema);
    },
    async isEmpty(table) {
      const { rows } = await pg.query<{ empty: unknown }>({
        text: `SELECT NOT EXISTS (SELECT 1 FROM ${name(table)}) AS empty`,
        values: [],
      });
      return rows[0]?.empty === true;
    },
    async count(table) {
      const { rows } = await pg.query<{ n: unknown }>({
        text: `SELECT count(*)::int AS n FROM ${name(table)}`,
        values: [],
      });
      return Number(rows[0]?.n ?? 0);
    },
  };
};
