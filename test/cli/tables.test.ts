import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDynamoClient } from '../../src/adapters/dynamodb/client.ts';
import { connectDynamo } from '../../src/adapters/dynamodb/connect.ts';
import { deleteTables, listTables } from '../../src/adapters/dynamodb/tables.ts';
import { main } from '../../src/cli/main.ts';
import { tables } from '../../src/tables/definitions.ts';
import { uniquePrefix } from '../support/test-db.ts';

const TABLES = Object.keys(tables).length;

const endpoint = inject('dynamodbEndpoint');
const prefix = uniquePrefix(import.meta.url);
const client = createDynamoClient({ endpoint });

const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'lms', '--endpoint', endpoint, '--prefix', prefix, ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

afterAll(async () => {
  await deleteTables(client, prefix, Object.values(tables));
  client.destroy();
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
    expect(await listTables(client, prefix)).toHaveLength(TABLES);
    const second = await run('tables', 'create');
    expect(second.out.split('\n').every((line) => line.endsWith(': exists'))).toBe(true);
    expect(second.err).toContain(`0 created or extended, ${TABLES} already there`);
  });

  it('lists tables as JSON with their indexes', async () => {
    const { out } = await run('tables', 'list', '--json');
    const rows = JSON.parse(out) as { table: string; exists: boolean; indexes: string[] }[];
    expect(rows.find((row) => row.table === `${prefix}classes`)).toMatchObject({
      exists: true,
      indexes: ['school_code', 'teacher_id'],
    });
  });

  it('fails with exit code 2 and names the variable when configuration is wrong', async () => {
    const err: string[] = [];
    const code = await main(['node', 'lms', '--endpoint', 'not a url', 'tables', 'list'], {
      out: () => {},
      err: (line) => err.push(line),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/DYNAMODB_ENDPOINT="not a url" must be an http\(s\) URL/);
  });

  it('runs as the installed bin, with results on stdout and the summary on stderr', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/lms.mjs', 'tables', 'list'],
      { env: { ...process.env, DYNAMODB_ENDPOINT: endpoint, LMS_TABLE_PREFIX: prefix } },
    );
    expect(stdout).toContain(`${prefix}students`);
    expect(stderr.trim()).toBe(`tables: ${TABLES} of ${TABLES} exist`);
  });

  it('never shows a wrong 0: an estimate of 0 is checked, --count counts exactly', async () => {
    const connection = connectDynamo({
      dynamodbEndpoint: endpoint,
      awsRegion: 'local',
      tablePrefix: prefix,
    });
    await connection.db.groups.putMany(
      Array.from({ length: 3 }, (_, i) => ({ code: `g-${i}`, name: `Group ${i}` })),
    );
    connection.close();
    const line = (out: string, table: string) =>
      out.split('\n').find((row) => row.startsWith(`${prefix}${table} `)) ?? '';
    const estimated = await run('tables', 'list');
    // dynalite keeps ItemCount at 0; DynamoDB Local and AWS estimate it.
    expect(line(estimated.out, 'groups')).toMatch(/ (>0|~3) items$/);
    expect(line(estimated.out, 'schools')).toMatch(/\s0 items( {2}|$)/);
    expect(line(estimated.out, 'schools')).not.toContain('~');
    const counted = await run('tables', 'list', '--count');
    expect(line(counted.out, 'groups')).toMatch(/ 3 items$/);
    expect(line(counted.out, 'groups')).not.toMatch(/[~>]/);
    const json = await run('tables', 'list', '--count', '--json');
    expect(
      (JSON.parse(json.out) as { table: string }[]).find((row) => row.table === `${prefix}groups`),
    ).toMatchObject({ exists: true, items: 3, items_exact: true });
  });
});
