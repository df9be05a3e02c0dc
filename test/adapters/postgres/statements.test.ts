import { describe, expect, it } from 'vitest';
import { createTableDdl } from '../../../src/adapters/postgres/layout.ts';
import { ident, Params } from '../../../src/adapters/postgres/sql.ts';
import {
  conditionSql,
  getManyStatement,
  getStatement,
  pageStatement,
  putStatement,
  target,
  updateStatement,
} from '../../../src/adapters/postgres/statements.ts';
import { chooseAccessPath } from '../../../src/repositories/access-path.ts';
import { when } from '../../../src/repositories/condition.ts';
import { tables } from '../../../src/tables/definitions.ts';

const students = target('dev-', tables.students);
const answers = target('dev-', tables.answers);

describe('PostgreSQL statements', () => {
  it('never puts a value in the text: every value is a parameter', () => {
    const hostile = "x'); DROP TABLE students; --";
    const path = chooseAccessPath(tables.students, { class_code: hostile, name: hostile });
    if (path.kind === 'get') throw new Error('expected a query');
    const statement = pageStatement(students, path, { project: [hostile], limit: 10 });
    expect(statement.text).not.toContain('DROP TABLE');
    expect(statement.values).toContain(hostile);
    const put = putStatement(students, { id: hostile, name: hostile }, when.absent('id'), true);
    expect(put.text).not.toContain('DROP TABLE');
    // A projected attribute is a parameter in every read, not a column name.
    expect(statement.text).toMatch(/SELECT left\(jsonb_typeof\(t\.item -> \$\d+::text\), 3\)/);
    const get = getStatement(students, { id: 's-1' }, [hostile]);
    expect(get.text).not.toContain('DROP TABLE');
    expect(get.values).toContain(hostile);
    const many = getManyStatement(students, [{ id: 's-1' }], [hostile]);
    expect(many.text).not.toContain('DROP TABLE');
    expect(many.values).toContain(hostile);
  });

  it('quotes identifiers and refuses one PostgreSQL would truncate', () => {
    expect(ident('dev-"x')).toBe('"dev-""x"');
    expect(() => ident('p'.repeat(64))).toThrow(/1 to 63 bytes/);
  });

  it('asks for one row beyond the page, in key order, from after the cursor', () => {
    const path = chooseAccessPath(
      tables.answers,
      { student_id: 's-1' },
      {
        sortKey: { beginsWith: 'm_1%' },
      },
    );
    if (path.kind === 'get') throw new Error('expected a query');
    const statement = pageStatement(answers, path, {
      project: undefined,
      limit: 25,
      startKey: { student_id: 's-1', answer_key: 'm_1%#a' },
    });
    // The partition is fixed: the sort key orders, the table's key breaks no tie but is the cursor.
    expect(statement.text).toContain('ORDER BY t."answer_key", t."student_id"');
    expect(statement.text).toContain('(t."answer_key", t."student_id") > (');
    // LIKE's own characters in a prefix match only themselves.
    expect(statement.values).toContain('m\\_1\\%%');
    expect(statement.values.at(-1)).toBe(26);
  });

  it('reads a missing attribute as DynamoDB does: never equal, always unequal, never a number', () => {
    const params = new Params();
    expect(conditionSql(when.equals('token', 'a'), params)).toMatch(/^coalesce\(.* = .*, false\)$/);
    expect(conditionSql(when.notEquals('token', 'a'), params)).toContain('IS DISTINCT FROM');
    expect(conditionSql(when.atMost('count', 3), params)).toContain('jsonb_typeof');
    expect(conditionSql(when.all(), params)).toBe('true');
    expect(conditionSql(when.any(), params)).toBe('false');
  });

  it('creates an item an update finds absent from its key, unless the condition needs one', () => {
    const changes = { key: { id: 's-1' }, set: { name: 'Ann' }, remove: [], add: {} };
    expect(updateStatement(students, changes, undefined, true).text).toMatch(
      /^INSERT .* ON CONFLICT/,
    );
    expect(updateStatement(students, changes, when.exists('id'), false).text).toMatch(/^UPDATE /);
  });

  it('lays a table out as its item, generated key columns and a partial index per index', () => {
    const ddl = createTableDdl('public', tables.student_state).join(';\n');
    expect(ddl).toContain(
      '"student_id" text COLLATE "C" GENERATED ALWAYS AS (item ->> \'student_id\') STORED NOT NULL',
    );
    expect(ddl).toContain('PRIMARY KEY ("student_id", "part")');
    expect(ddl).toContain(
      'CREATE INDEX IF NOT EXISTS "student_state_module_id" ON "public"."student_state" ("module_id", "student_id", "part") WHERE "module_id" IS NOT NULL AND "student_id" IS NOT NULL',
    );
  });
});
