import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLocalEngine, isProcessAlive } from '../../src/local/aws/engines/index.ts';

// DynamoDB Local as the AWS CLI tutorials run it: without -sharedDb it keeps one database
// per access key id and region, so only a client that signs as the shell does sees its tables.
const folder = mkdtempSync(join(tmpdir(), 'lms-ddb-local-'));
const engine = new DynamoDbLocalEngine({ path: folder, sharedDb: false });
const TABLE = 'tutorial-Music';
const shell = {
  AWS_ACCESS_KEY_ID: 'AKIATUTORIAL',
  AWS_SECRET_ACCESS_KEY: 'tutorial-secret',
  AWS_REGION: 'us-west-2',
};

beforeAll(async () => {
  await engine.start();
  const client = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: shell.AWS_REGION,
    credentials: {
      accessKeyId: shell.AWS_ACCESS_KEY_ID,
      secretAccessKey: shell.AWS_SECRET_ACCESS_KEY,
    },
  });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
}, 90_000);

afterAll(async () => {
  const pid = engine.pid;
  await engine.stop();
  rmSync(folder, { recursive: true, force: true });
  // No JVM outlives the test.
  if (pid !== undefined) expect(isProcessAlive(pid)).toBe(false);
});

const listAll = async (env: Record<string, string>) => {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_REGION']) {
    delete base[name];
  }
  const nowhere = join(folder, 'no-such-file');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['bin/lms.mjs', 'tables', 'list', '--all', '--json'],
    {
      env: {
        ...base,
        AWS_CONFIG_FILE: nowhere,
        AWS_SHARED_CREDENTIALS_FILE: nowhere,
        DYNAMODB_ENDPOINT: engine.endpoint,
        ...env,
      },
    },
  );
  return JSON.parse(stdout) as string[];
};

describe('lms against DynamoDB Local without -sharedDb', () => {
  it("signs with the shell's credentials and region, so it sees the shell's tables", async () => {
    expect(await listAll(shell)).toEqual([TABLE]);
  });

  it('signs as local/local in a shell without credentials (a database of its own)', async () => {
    expect(await listAll({})).toEqual([]);
  });
});
