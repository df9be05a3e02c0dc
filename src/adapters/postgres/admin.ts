import type { TableAdmin, TableDescription } from '../../repositories/admin.ts';
import { type TableDefinition, tableNames, tables } from '../../tables/definitions.ts';
import { indexName } from './layout.ts';
import { existingTables, migrate } from './migrations.ts';
import type { Pg } from './pg.ts';
import { Params, qualified } from './sql.ts';

/**
 * The {@link TableAdmin} of PostgreSQL: tables made by the numbered migrations
 * (`migrations.ts`), described from the catalogue, the clock read with `now()`.
 */
export const postgresAdmin = (pg: Pg, schema: string, location: string): TableAdmin => ({
  location,
  createMissing: async () => {
    const before = new Set(await existingTables(pg, schema, tableNames));
    const { applied } = await migrate(pg, schema);
    return [
      ...tableNames.map((name) => ({
        table: qualified(schema, name),
        action: before.has(name) ? ('exists' as const) : ('created' as const),
      })),
      ...applied.map((migration) => ({
        table: schema,
        action: 'migrated' as const,
        migration: `${String(migration.id).padStart(3, '0')} ${migration.name}`,
      })),
    ];
  },
  describe: async (): Promise<TableDescription[]> => {
    // One statement: a table of the schema is a row per index of it (one row with no index
    // when it has none), a table that is not there has no row. Which tables exist is read
    // from information_schema, as `existingTables` (and so `createMissing`) reads it: the
    // relations it calls tables, those this role may see. Indexes and the planner's estimate
    // are those of a plain table only (relkind 'r'): a view or a partitioned table of a
    // table's name exists and has neither.
    const params = new Params();
    const { rows } = await pg.query<{ table: unknown; index: unknown; estimate: unknown }>(
      params.statement(
        `SELECT t.table_name AS table, i.relname AS index, CASE WHEN c.relkind = 'r' THEN c.reltuples END AS estimate FROM information_schema.tables t JOIN pg_namespace n ON n.nspname = t.table_schema JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name LEFT JOIN pg_index x ON x.indrelid = c.oid AND c.relkind = 'r' AND NOT x.indisprimary LEFT JOIN pg_class i ON i.oid = x.indexrelid WHERE t.table_schema = ${params.add(schema)} AND t.table_name = ANY(${params.texts(tableNames)})`,
      ),
    );
    const present = new Set(rows.map((row) => row.table));
    return tableNames.map((name) => {
      const own = rows.filter((row) => row.table === name);
      const estimate = Number(own[0]?.estimate ?? -1);
      const definition: TableDefinition = tables[name];
      const indexes = [...definition.indexes, ...(definition.localIndexes ?? [])]
        .filter((index) => own.some((row) => row.index === indexName(definition, index.name)))
        .map((index) => index.name)
        .sort();
      return {
        table: qualified(schema, name),
        exists: present.has(name),
        // -1 (never analysed) and 0 are no estimate: `lms tables list` then looks.
        items: estimate > 0 ? Math.round(estimate) : undefined,
        indexes,
      };
    });
  },
  listAll: async () => {
    const { rows } = await pg.query<{ name: unknown }>({
      text: `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
      values: [],
    });
    return rows.map((row) => String(row.name));
  },
  readClock: async (now) => {
    const sentAt = now().getTime();
    const { rows } = await pg.query<{ server: unknown }>({
      text: 'SELECT clock_timestamp() AS server',
      values: [],
    });
    const receivedAt = now().getTime();
    const server = rows[0]?.server;
    return server instanceof Date ? { sentAt, receivedAt, server: server.getTime() } : undefined;
  },
});
