/**
 * The schema of a PostgreSQL database, as numbered migrations: `lms tables create` applies
 * those a schema has not had yet, in order, each in its own transaction, and records them
 * in `lms_migrations`. A released migration never changes; a later change to the tables is
 * a new migration, so an existing database is upgraded, not recreated. A test holds the
 * result of all of them equal to `tables/definitions.ts` (every table, key and index).
 */
import type { TableDefinition } from '../../tables/definitions.ts';
import { createTableDdl } from './layout.ts';
import type { Pg } from './pg.ts';
import { ident, Params, qualified } from './sql.ts';

export interface Migration {
  readonly id: number;
  readonly name: string;
  /** The DDL, for the schema it runs in. */
  readonly statements: (schema: string) => string[];
}

/** The table of applied migrations, in each schema. */
export const MIGRATIONS_TABLE = 'lms_migrations';

const index = (attribute: string) => ({ name: attribute, partitionKey: attribute });
const owned = 'lms-lambdas' as const;
const app = 'lms-app' as const;

/**
 * The tables as they were when PostgreSQL was added (issue 22): a copy, not an import of
 * the definitions, because this migration must create the same tables forever.
 */
const INITIAL_TABLES: readonly TableDefinition[] = [
  { name: 'groups', partitionKey: 'code', indexes: [], owner: app },
  { name: 'schools', partitionKey: 'code', indexes: [index('group_code')], owner: app },
  { name: 'teachers', partitionKey: 'id', indexes: [index('school_code')], owner: app },
  {
    name: 'classes',
    partitionKey: 'code',
    indexes: [index('teacher_id'), index('school_code')],
    owner: app,
  },
  { name: 'students', partitionKey: 'id', indexes: [index('class_code')], owner: app },
  { name: 'parents', partitionKey: 'id', indexes: [], owner: app },
  { name: 'modules', partitionKey: 'id', indexes: [], owner: app },
  {
    name: 'answers',
    partitionKey: 'student_id',
    sortKey: 'answer_key',
    indexes: [],
    localIndexes: [{ name: 'recorded_key', sortKey: 'recorded_key' }],
    owner: owned,
  },
  { name: 'student_progress', partitionKey: 'student_id', indexes: [], owner: owned },
  { name: 'parent_summaries', partitionKey: 'parent_id', indexes: [], owner: owned },
  { name: 'jobs', partitionKey: 'name', indexes: [], owner: owned },
  {
    name: 'student_state',
    partitionKey: 'student_id',
    sortKey: 'part',
    indexes: [
      {
        name: 'module_id',
        partitionKey: 'module_id',
        sortKey: 'student_id',
        projection: 'KEYS_ONLY',
      },
    ],
    owner: owned,
  },
  { name: 'student_marks', partitionKey: 'student_id', indexes: [], owner: owned },
  {
    name: 'answer_batches',
    partitionKey: 'student_id',
    sortKey: 'batch_id',
    indexes: [],
    owner: owned,
  },
  { name: 'parent_marks', partitionKey: 'parent_id', indexes: [], owner: owned },
  {
    name: 'answer_rates',
    partitionKey: 'student_id',
    sortKey: 'window_start',
    indexes: [],
    owner: owned,
  },
];

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'initial tables',
    statements: (schema) => INITIAL_TABLES.flatMap((table) => createTableDdl(schema, table)),
  },
];

export interface MigrationReport {
  readonly schema: string;
  /** The migrations this call applied (none: the schema was up to date). */
  readonly applied: readonly Migration[];
}

/**
 * Applies the migrations a schema lacks. Two callers at once (two `lms tables create`, a
 * test run's workers) are serialised by an advisory lock on the schema's name, so each
 * migration runs once.
 *
 * @example
 * ```ts
 * const { applied } = await migrate(pg, 'dev-'); // [] when already up to date
 * ```
 */
export const migrate = async (
  pg: Pg,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> => {
  const table = qualified(schema, MIGRATIONS_TABLE);
  const applied: Migration[] = [];
  for (const migration of migrations) {
    const done = await pg.transaction(async (run) => {
      const lock = new Params();
      await run(lock.statement(`SELECT pg_advisory_xact_lock(hashtext(${lock.add(schema)}))`));
      await run({ text: `CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`, values: [] });
      await run({
        text: `CREATE TABLE IF NOT EXISTS ${table} (id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        values: [],
      });
      const seen = new Params();
      const found = await run(
        seen.statement(`SELECT 1 FROM ${table} WHERE id = ${seen.add(migration.id)}`),
      );
      if (isRowCount(found) && found.rowCount > 0) return false;
      for (const text of migration.statements(schema)) await run({ text, values: [] });
      const record = new Params();
      await run(
        record.statement(
          `INSERT INTO ${table} (id, name) VALUES (${record.add(migration.id)}, ${record.add(migration.name)})`,
        ),
      );
      return true;
    });
    if (done) applied.push(migration);
  }
  return { schema, applied };
};

const isRowCount = (result: unknown): result is { rowCount: number } =>
  typeof result === 'object' &&
  result !== null &&
  'rowCount' in result &&
  typeof result.rowCount === 'number';

/** The ids of the migrations a schema has had (none: not created). */
export const appliedMigrations = async (pg: Pg, schema: string): Promise<number[]> => {
  const exists = new Params();
  const { rows } = await pg.query<{ present: unknown }>(
    exists.statement(
      `SELECT to_regclass(${exists.add(`${ident(schema)}.${ident(MIGRATIONS_TABLE)}`)}) IS NOT NULL AS present`,
    ),
  );
  if (rows[0]?.present !== true) return [];
  const ids = await pg.query<{ id: unknown }>({
    text: `SELECT id FROM ${qualified(schema, MIGRATIONS_TABLE)} ORDER BY id`,
    values: [],
  });
  return ids.rows.map((row) => Number(row.id));
};

/** The tables of `names` that exist in a schema. */
export const existingTables = async (
  pg: Pg,
  schema: string,
  names: readonly string[],
): Promise<string[]> => {
  const params = new Params();
  const { rows } = await pg.query<{ name: unknown }>(
    params.statement(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${params.add(schema)} AND table_name = ANY(${params.texts(names)}) ORDER BY table_name`,
    ),
  );
  return rows.map((row) => String(row.name));
};

/** Drops a schema and everything in it (a test file's tables, a stage torn down). */
export const dropSchema = async (pg: Pg, schema: string): Promise<void> => {
  await pg.query({ text: `DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`, values: [] });
};
