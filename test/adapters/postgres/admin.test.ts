/**
 * `TableAdmin.describe` on PostgreSQL, on an in-process PGlite of this file's own: which
 * tables exist, their indexes and the planner's estimate, read from the catalogue in one
 * statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAdmin } from '../../../src/adapters/postgres/admin.ts';
import {
  connectPostgres,
  type PostgresConnection,
} from '../../../src/adapters/postgres/connect.ts';
import { migrate } from '../../../src/adapters/postgres/migrations.ts';
import {
  createPostgresEngine,
  type LocalPostgresEngine,
} from '../../../src/local/postgres/index.ts';
import { tableNames, tables } from '../../../src/tables/definitions.ts';

let engine: LocalPostgresEngine;
let connection: PostgresConnection;
const schema = 'admin-test-';

beforeAll(async () => {
  engine = createPostgresEngine({ kind: 'pglite' });
  await engine.start();
  connection = connectPostgres({ databaseUrl: engine.databaseUrl, tablePrefix: schema });
});

afterAll(async () => {
  await connection?.close();
  await engine?.stop();
});

/** The description, and how many statements it took. */
const described = async () => {
  const before = connection.pg.counters.statements;
  const rows = await postgresAdmin(connection.pg, connection.schema, 'pglite').describe();
  return { rows, statements: connection.pg.counters.statements - before };
};

const run = (text: string) => connection.pg.query({ text, values: [] });

describe('describe on PostgreSQL', () => {
  it('reads the catalogue once, whatever is there', async () => {
    // No schema yet: every table, none there.
    const absent = await described();
    expect(absent.statements).toBe(1);
    expect(absent.rows.map((row) => row.table)).toEqual(
      tableNames.map((name) => `"${schema}"."${name}"`),
    );
    expect(absent.rows.every((row) => !row.exists && row.indexes.length === 0)).toBe(true);

    await migrate(connection.pg, connection.schema);
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
