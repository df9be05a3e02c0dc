import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDynamoClient } from '../../src/adapters/dynamodb/client.ts';
import { deleteTables, listTables } from '../../src/adapters/dynamodb/tables.ts';
import { connectPostgres } from '../../src/adapters/postgres/connect.ts';
import { dropSchema } from '../../src/adapters/postgres/migrations.ts';
import { main } from '../../src/cli/main.ts';
import { tables } from '../../src/tables/definitions.ts';
import { onPostgres, uniquePrefix } from '../support/test-db.ts';

const endpoint = inject('dynamodbEndpoint');
const databaseUrl = inject('databaseUrl');
const prefix = uniquePrefix(import.meta.url);
const AWS_VARIABLES = [
  'DYNAMODB_ENDPOINT',
  // Not AWS's, but it names a database too: a bare shell has neither.
  'DATABASE_URL',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
];
// No profile either: the SDK reads these files for a region and credentials.
const nowhere = join(tmpdir(), `lms-no-aws-config-${process.pid}`);
const bareShell = { AWS_CONFIG_FILE: nowhere, AWS_SHARED_CREDENTIALS_FILE: nowhere };
const saved = { ...process.env };

const setEnv = (env: Record<string, string>) => {
  for (const name of AWS_VARIABLES) delete process.env[name];
  Object.assign(process.env, bareShell, env);
};

const lms = async (...args: string[]) => {
  const err: string[] = [];
  const code = await main(['node', 'lms', '--prefix', prefix, ...args], {
    out: () => {},
    err: (line) => err.push(line),
  });
  return { code, err: err.join('\n') };
};

beforeEach(() => setEnv({}));
afterEach(() => {
  process.env = { ...saved };
});
afterAll(async () => {
  if (onPostgres()) {
    const { pg, schema, close } = connectPostgres({ databaseUrl, tablePrefix: prefix });
    await dropSchema(pg, schema);
    await close();
  } else {
    const client = createDynamoClient({ endpoint });
    await deleteTables(client, prefix, Object.values(tables));
    client.destroy();
  }
});

describe('lms without DYNAMODB_ENDPOINT', () => {
  it.each([
    ['tables', 'list'],
    ['check'],
    ['export', '--out', join(tmpdir(), 'lms-never-written')],
    ['seed'],
  ])(
    'exits 2 naming DYNAMODB_ENDPOINT and AWS_REGION when no region is set either: lms %s',
    async (...args) => {
      const { code, err } = await lms(...args);
      expect(code).toBe(2);
      expect(err).toMatch(/DYNAMODB_ENDPOINT is not set and no AWS_REGION either/);
      expect(err).toContain('export DYNAMODB_ENDPOINT=');
      expect(err).not.toMatch(/Region is missing|Could not load credentials/);
    },
  );

  it.each([
    ['lms seed', ['seed']],
    ['lms import', ['import', '--from', join(tmpdir(), 'lms-no-export')]],
    ['lms tables create', ['tables', 'create']],
    ['lms stats', ['stats']],
    ['lms aggregate', ['aggregate', 'students', '--dry-run']],
    ['lms invoke record_answers', ['invoke', 'record_answers', '--event', '{}']],
    ['lms invoke calc_all_stats', ['invoke', 'calc_all_stats']],
  ])(
    'refuses to let %s write to real AWS tables without --aws (exit 2, saying how)',
    async (what, args) => {
      setEnv({ AWS_REGION: 'eu-west-1' });
      const { code, err } = await lms(...args);
      expect(code).toBe(2);
      expect(err).toContain(
        `${what} writes, and DYNAMODB_ENDPOINT is not set, so it would write to real AWS tables (region eu-west-1, prefix "${prefix}"): add --aws`,
      );
    },
  );

  // DynamoDB's: the SDK's own endpoint variable needs a DynamoDB to point at.
  it.runIf(!onPostgres())('lets a command that writes reach AWS with --aws', async () => {
    // The SDK's own endpoint variable stands in for AWS: for lms this is "no endpoint".
    setEnv({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    expect((await lms('tables', 'create')).code).toBe(2);
    const { code, err } = await lms('--aws', 'tables', 'create');
    expect(code).toBe(0);
    expect(err).toContain('(AWS eu-west-1,');
    const client = createDynamoClient({ endpoint });
    expect(await listTables(client, prefix)).toHaveLength(Object.keys(tables).length);
    client.destroy();
  });

  it.runIf(onPostgres())(
    'needs neither a region nor --aws with a DATABASE_URL: it names the database outright',
    async () => {
      setEnv({ DATABASE_URL: databaseUrl });
      const created = await lms('tables', 'create');
      expect(created.code).toBe(0);
      expect(created.err).not.toMatch(/AWS_REGION|--aws/);
      const { code, err } = await lms('tables', 'list');
      expect(code).toBe(0);
      const count = Object.keys(tables).length;
      expect(err).toContain(`tables: ${count} of ${count} exist`);
    },
  );

  it('takes the region from a profile, as the SDK does', async () => {
    const home = join(tmpdir(), `lms-profile-${process.pid}`);
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'config'), '[default]\nregion = ap-east-1\n');
    setEnv({ AWS_CONFIG_FILE: join(home, 'config') });
    const { code, err } = await lms('seed');
    expect(code).toBe(2);
    expect(err).toContain('(region ap-east-1,');
  });
});

describe('lms as a process in a bare shell', () => {
  it('exits 2 naming DYNAMODB_ENDPOINT, as the README promises', async () => {
    const env: Record<string, string | undefined> = { ...process.env, ...bareShell };
    for (const name of AWS_VARIABLES) if (!(name in bareShell)) delete env[name];
    const failed = await promisify(execFile)(process.execPath, ['bin/lms.mjs', 'tables', 'list'], {
      env,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(
      /^lms: DYNAMODB_ENDPOINT is not set and no AWS_REGION either.*\[INVALID_CONFIG\]$/m,
    );
  });
});
