import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectTables } from '../../src/adapters/connect.ts';
import { createDynamoClient } from '../../src/adapters/dynamodb/client.ts';
import { deleteTables } from '../../src/adapters/dynamodb/tables.ts';
import { connectPostgres } from '../../src/adapters/postgres/connect.ts';
import { dropSchema } from '../../src/adapters/postgres/migrations.ts';
import { qualified, schemaFor } from '../../src/adapters/postgres/sql.ts';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config/config.ts';
import { tables } from '../../src/tables/definitions.ts';
import { lmsEnv, runLms } from '../support/cli.ts';
import { onPostgres, uniquePrefix } from '../support/test-db.ts';

const TABLES = Object.keys(tables).length;

const postgres = onPostgres();
const endpoint = inject('dynamodbEndpoint');
const databaseUrl = inject('databaseUrl');
const prefix = uniquePrefix(import.meta.url);
/** What `lms` needs to reach this file's tables (which it creates itself). */
const env: Record<string, string> = postgres
  ? { DATABASE_URL: databaseUrl, LMS_TABLE_PREFIX: prefix }
  : { DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'local', LMS_TABLE_PREFIX: prefix };
/** A table's name as `lms tables` shows it: prefixed on DynamoDB, schema-qualified on PostgreSQL. */
const shown = (table: string) =>
  postgres ? qualified(schemaFor(prefix), table) : `${prefix}${table}`;

const run = async (...args: string[]) => {
  const { code, out, err } = await runLms({ env, prefix }, ...args);
  return { code, out, err: err.join('\n') };
};

afterAll(async () => {
  if (postgres) {
    const { pg, schema, close } = connectPostgres({ databaseUrl, tablePrefix: prefix });
    await dropSchema(pg, schema);
    await close();
  } else {
    const client = createDynamoClient({ endpoint });
    await deleteTables(client, prefix, Object.values(tables));
    client.destroy();
  }
});

describe('lms tables', () => {
  it('lists every defined table as missing before creation', async () => {
    const { code, out, err } = await run('tables', 'list');
    expect(code).toBe(0);
    expect(out.split('\n').filter((line) => line.endsWith('missing'))).toHaveLength(TABLES);
    expect(err).toContain(`0 of ${TABLES} exist`);
  });

  it('creates what is missing, then nothing on a second run', async () => {
    const first = await run('tables', 'create');
    expect(first.code).toBe(0);
    expect(first.out.split('\n').filter((line) => line.endsWith(': created'))).toHaveLength(TABLES);
    if (postgres) {
      // The tables are the migrations' work: the first, once.
      expect(first.out.split('\n').filter((line) => line.includes(': migration '))).toEqual([
        `${schemaFor(prefix)}: migration 001 initial tables applied`,
      ]);
    }
    expect((await run('tables', 'list')).err).toContain(`${TABLES} of ${TABLES} exist`);
    const second = await run('tables', 'create');
    expect(second.code).toBe(0);
    expect(second.out.split('\n')).toHaveLength(TABLES);
    expect(second.out.split('\n').every((line) => line.endsWith(': exists'))).toBe(true);
    expect(second.err).toContain(`0 created or extended, ${TABLES} already there`);
  });

  it('lists tables as JSON with their indexes', async () => {
    const { out } = await run('tables', 'list', '--json');
    const rows = JSON.parse(out) as { table: string; exists: boolean; indexes: string[] }[];
    expect(rows).toHaveLength(TABLES);
    expect(rows.find((row) => row.table === shown('classes'))).toMatchObject({
      exists: true,
      indexes: ['school_code', 'teacher_id'],
    });
    expect(rows.find((row) => row.table === shown('answers'))).toMatchObject({
      exists: true,
      indexes: expect.arrayContaining(['recorded_key']),
    });
  });

  it.runIf(!postgres)(
    'fails with exit code 2 and names the variable when configuration is wrong (DynamoDB)',
    async () => {
      const err: string[] = [];
      const code = await main(['node', 'lms', '--endpoint', 'not a url', 'tables', 'list'], {
        out: () => {},
        err: (line) => err.push(line),
      });
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(/DYNAMODB_ENDPOINT="not a url" must be an http\(s\) URL/);
    },
  );

  it.runIf(postgres)(
    'fails with exit code 2 and names the variable when configuration is wrong (PostgreSQL)',
    async () => {
      const { code, err } = await runLms(
        { env: { DATABASE_URL: 'not a url' }, prefix },
        'tables',
        'list',
      );
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(/DATABASE_URL=.* must be a postgres:\/\/ URL/);
    },
  );

  it('runs as the installed bin, with results on stdout and the summary on stderr', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/lms.mjs', 'tables', 'list'],
      { env: lmsEnv(env) },
    );
    expect(stdout).toContain(shown('students'));
    expect(stderr.trim()).toBe(`tables: ${TABLES} of ${TABLES} exist`);
  });

  it('never shows a wrong 0: an estimate of 0 is checked, --count counts exactly', async () => {
    const connection = connectTables(loadConfig(env));
    await connection.db.groups.putMany(
      Array.from({ length: 3 }, (_, i) => ({ code: `g-${i}`, name: `Group ${i}` })),
    );
    await connection.close();
    const line = (out: string, table: string) =>
      out.split('\n').find((row) => row.startsWith(`${shown(table)} `)) ?? '';
    const estimated = await run('tables', 'list');
    // dynalite keeps ItemCount at 0 (and PostgreSQL's reltuples is -1 until an ANALYZE);
    // DynamoDB Local and AWS estimate it.
    expect(line(estimated.out, 'groups')).toMatch(/ (>0|~3) items$/);
    expect(line(estimated.out, 'schools')).toMatch(/\s0 items( {2}|$)/);
    expect(line(estimated.out, 'schools')).not.toContain('~');
    const counted = await run('tables', 'list', '--count');
    expect(line(counted.out, 'groups')).toMatch(/ 3 items$/);
    expect(line(counted.out, 'groups')).not.toMatch(/[~>]/);
    const json = await run('tables', 'list', '--count', '--json');
    expect(
      (JSON.parse(json.out) as { table: string }[]).find((row) => row.table === shown('groups')),
    ).toMatchObject({ exists: true, items: 3, items_exact: true });
  });
});
