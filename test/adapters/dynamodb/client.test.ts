import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDynamoClient,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from '../../../src/adapters/dynamodb/client.ts';

const saved = { ...process.env };
const endpoint = 'http://127.0.0.1:8000';
const VARIABLES = [
  'AWS_REGION',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];
let folder: string;

beforeEach(() => {
  for (const name of VARIABLES) delete process.env[name];
  folder = mkdtempSync(join(tmpdir(), 'lms-aws-'));
  process.env.AWS_CONFIG_FILE = join(folder, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(folder, 'credentials');
});
afterEach(() => {
  process.env = { ...saved };
});

const resolved = async () => {
  const client = createDynamoClient({ endpoint });
  try {
    const credentials = await client.config.credentials();
    return {
      region: await client.config.region(),
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
    };
  } finally {
    client.destroy();
  }
};

describe('createDynamoClient against an endpoint', () => {
  it('signs with dummy credentials and region local only when the machine has none', async () => {
    expect(await resolved()).toEqual({ region: LOCAL_REGION, ...LOCAL_CREDENTIALS });
  });

  it("uses the environment's credentials and region when there are some", async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAENVEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_REGION: 'eu-west-1',
    });
    expect(await resolved()).toEqual({
      region: 'eu-west-1',
      accessKeyId: 'AKIAENVEXAMPLE',
      secretAccessKey: 'env-secret',
    });
  });

  it("uses the profile's credentials and region (what `aws configure` writes)", async () => {
    writeFileSync(join(folder, 'config'), '[default]\nregion = us-west-2\n');
    writeFileSync(
      join(folder, 'credentials'),
      '[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profile-secret\n',
    );
    expect(await resolved()).toEqual({
      region: 'us-west-2',
      accessKeyId: 'AKIAPROFILE',
      secretAccessKey: 'profile-secret',
    });
  });

  it('keeps an explicit region over the chain', async () => {
    process.env.AWS_REGION = 'eu-west-1';
    const client = createDynamoClient({ endpoint, region: 'local' });
    expect(await client.config.region()).toBe('local');
    client.destroy();
  });
});
