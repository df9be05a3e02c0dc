/**
 * The schema as the numbered migrations build it, on an in-process PGlite of this file's
 * own (so it runs in every run, whatever the run's engine): equal to the table definitions,
 * created once, upgraded by a later migration without touching what is there.
 */
import { describe, expect, it } from 'vitest';
import { indexName, keyAttributes } from '../../../src/adapters/postgres/layout.ts';
import {
  appliedMigrations,
  dropSchema,
  MIGRATIONS,
  migrate,
} from '../../../src/adapters/postgres/migrations.ts';
import { Params } from '../../../src/adapters/postgres/sql.ts';
import { type TableDefinition, tableNames, tables } from '../../../src/tables/definitions.ts';
import { ownPglite } from '../../support/own-pglite.ts';

const schema = 'migrations-test-';
const own = ownPglite(schema);

const catalogue = async (name: string) => {
  const params = new Params();
  const { rows } = await own.connection.pg.query<{
    table: string;
    kind: string;
    name: string;
    definition: string;
  }>(
    params.statement(
      `SELECT table_name AS table, 'column' AS kind, column_name AS name, coalesce(generation_expression, '') AS definition FROM information_schema.columns WHERE table_schema = ${params.add(name)}
       UNION ALL SELECT tablename, 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = ${params.add(name)}`,
    ),
  );
  return rows;
};

describe('PostgreSQL migrations', () => {
  it('build every defined table with its key and one index per index of the definitions', async () => {
    const { applied } = await migrate(own.connection.pg, schema);
    expect(applied.map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
    const rows = await catalogue(schema);
    for (const name of tableNames) {
      const definition: TableDefinition = tables[name];
      const columns = rows.filter((r) => r.table === name && r.kind === 'column');
      expect(columns.map((c) => c.name).sort(), name).toEqual(
        expect.arrayContaining(['item', ...keyAttributes(definition)]),
      );
      for (const key of keyAttributes(definition)) {
        expect(columns.find((c) => c.name === key)?.definition, `${name}.${key}`).toContain(
          `item ->> '${key}'`,
        );
      }
      const indexes = rows.filter((r) => r.table === name && r.kind === 'index');
      const primary = indexes.find((i) => i.name === `${name}_pkey`);
      expect(primary?.definition, name).toContain(`(${keyAttributes(definition).join(', ')})`);
      for (const index of [...definition.indexes, ...(definition.localIndexes ?? [])]) {
        const found = indexes.find((i) => i.name === indexName(definition, index.name));
        expect(found?.definition, `${name} index ${index.name}`).toBeDefined();
      }
    }
    // Nothing else: the migrations' table and the defined tables.
    const made = [...new Set(rows.filter((r) => r.kind === 'column').map((r) => r.table))].sort();
    expect(made).toEqual([...tableNames, 'lms_migrations'].sort());
  });

  it('apply nothing the second time, and a later migration alone on an existing schema', async () => {
    expect((await migrate(own.connection.pg, schema)).applied).toEqual([]);
    await own.connection.db.students.put({
      id: 's-1',
      name: 'Ann',
      class_code: 'c-1',
      parent_ids: [],
    });
    const later = [
      ...MIGRATIONS,
      {
        id: 999,
        name: 'a later change',
        statements: (s: string) => [
          `CREATE INDEX IF NOT EXISTS "students_name" ON "${s}"."students" ((item ->> 'name'))`,
        ],
      },
    ];
    const { applied } = await migrate(own.connection.pg, schema, later);
    expect(applied.map((m) => m.id)).toEqual([999]);
    expect(await appliedMigrations(own.connection.pg, schema)).toEqual([
      ...MIGRATIONS.map((m) => m.id),
      999,
    ]);
    expect(await own.connection.db.students.find({ id: 's-1' })).toMatchObject({ name: 'Ann' });
  });

  it('serialise two callers at once: each migration runs once', async () => {
    const other = 'migrations-race-';
    const results = await Promise.all([
      migrate(own.connection.pg, other),
      migrate(own.connection.pg, other),
    ]);
    expect(results.flatMap((r) => r.applied.map((m) => m.id)).sort()).toEqual(
      MIGRATIONS.map((m) => m.id),
    );
    await dropSchema(own.connection.pg, other);
  });
});
