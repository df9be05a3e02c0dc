/**
 * `TableAdmin.describe` on PostgreSQL, on an in-process PGlite of this file's own: which
 * tables exist, their indexes and the planner's estimate, read from the catalogue in one
 * statement.
 */
import { describe, expect, it } from 'vitest';
import { postgresAdmin } from '../../../src/adapters/postgres/admin.ts';
import { migrate } from '../../../src/adapters/postgres/migrations.ts';
import { tableNames, tables } from '../../../src/tables/definitions.ts';
import { ownPglite } from '../../support/own-pglite.ts';

const schema = 'admin-test-';
const own = ownPglite(schema);

/** The description, and how many statements it took. */
const described = async () => {
  const before = own.connection.pg.counters.statements;
  const rows = await postgresAdmin(own.connection.pg, own.connection.schema, 'pglite').describe();
  return { rows, statements: own.connection.pg.counters.statements - before };
};

const run = (text: string) => own.connection.pg.query({ text, values: [] });

describe('describe on PostgreSQL', () => {
  it('reads the catalogue once, whatever is there', async () => {
    // No schema yet: every table, none there.
    const absent = await described();
    expect(absent.statements).toBe(1);
    expect(absent.rows.map((row) => row.table)).toEqual(
      tableNames.map((name) => `"${schema}"."${name}"`),
    );
    expect(absent.rows.every((row) => !row.exists && row.indexes.length === 0)).toBe(true);

    await migrate(own.connection.pg, own.connection.schema);
    await run(
      `INSERT INTO "${schema}".groups (item) SELECT jsonb_build_object('code', 'g-' || i) FROM generate_series(1, 50) i`,
    );
    await run(`ANALYZE "${schema}".groups`);
    await run(`DROP TABLE "${schema}".schools`);

    const { rows, statements } = await described();
    expect(statements).toBe(1);
    const row = (name: string) => rows.find((r) => r.table === `"${schema}"."${name}"`);
    // Every index of the definition, by its logical name, sorted; the primary key is none.
    expect(row('classes')).toEqual({
      table: `"${schema}"."classes"`,
      exists: true,
      items: undefined,
      indexes: [...tables.classes.indexes.map((index) => index.name)].sort(),
    });
    expect(row('groups')).toEqual({
      table: `"${schema}"."groups"`,
      exists: true,
      items: 50,
      indexes: [],
    });
    expect(row('schools')).toEqual({
      table: `"${schema}"."schools"`,
      exists: false,
      items: undefined,
      indexes: [],
    });
    expect(rows.filter((r) => r.exists)).toHaveLength(tableNames.length - 1);
  });
});
