/**
 * The pool of a deployed function authenticates with IAM tokens: each new connection asks
 * the signer for one, made for the URL's host, port and user. The signer is injected, and
 * the one test of the real signer gives it credentials in the environment: signing is
 * local, so nothing here calls AWS.
 */
import { describe, expect, it } from 'vitest';
import { poolOptions } from '../../../src/adapters/postgres/connect.ts';
import {
  type CreateSigner,
  iamPassword,
  type TokenTarget,
  tokenTarget,
} from '../../../src/adapters/postgres/iam-auth.ts';

const PROXY_URL =
  'postgres://lms_admin@lms-dev.proxy-abc.eu-west-1.rds.amazonaws.com/lms?sslmode=verify-full';

/** A signer that records what it was made for and hands out numbered tokens. */
const recordingSigner = () => {
  const made: TokenTarget[] = [];
  let issued = 0;
  const create: CreateSigner = async (target) => {
    made.push(target);
    return { getAuthToken: async () => `token-${++issued}` };
  };
  return { made, create };
};

describe('IAM authentication of the PostgreSQL pool', () => {
  it("signs for the URL's host, the default port, the user and the region", () => {
    expect(tokenTarget(PROXY_URL, 'eu-west-1')).toEqual({
      hostname: 'lms-dev.proxy-abc.eu-west-1.rds.amazonaws.com',
      port: 5432,
      username: 'lms_admin',
      region: 'eu-west-1',
    });
    expect(tokenTarget('postgres://a%40b@h:6432/x', undefined)).toMatchObject({
      port: 6432,
      username: 'a@b',
      region: undefined,
    });
  });

  it('gives every new connection a fresh token from one signer', async () => {
    const signer = recordingSigner();
    const password = iamPassword(PROXY_URL, 'eu-west-1', signer.create);
    expect(signer.made).toEqual([]);
    expect(await password()).toBe('token-1');
    expect(await password()).toBe('token-2');
    expect(signer.made).toHaveLength(1);
  });

  it('makes the signer again after it failed (credentials not there yet)', async () => {
    let attempts = 0;
    const password = iamPassword(PROXY_URL, undefined, async () => {
      attempts++;
      if (attempts === 1) throw new Error('Could not load credentials from any providers');
      return { getAuthToken: async () => 'token' };
    });
    await expect(password()).rejects.toThrow(/Could not load credentials/);
    expect(await password()).toBe('token');
  });

  it("the real signer presigns an rds-db connect token locally (the environment's credentials, no AWS call)", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'session',
    });
    try {
      const token = await iamPassword(PROXY_URL, 'eu-west-1')();
      const signed = new URL(`https://${token}`);
      expect(signed.host).toBe('lms-dev.proxy-abc.eu-west-1.rds.amazonaws.com:5432');
      expect(Object.fromEntries(signed.searchParams)).toMatchObject({
        Action: 'connect',
        DBUser: 'lms_admin',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Expires': '900',
        'X-Amz-Security-Token': 'session',
      });
      expect(signed.searchParams.get('X-Amz-Credential')).toMatch(
        /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/,
      );
    } finally {
      process.env = saved;
    }
  });

  it('poolOptions: a password function with LMS_DATABASE_AUTH=iam, none otherwise', async () => {
    const signer = recordingSigner();
    const iam = poolOptions(
      { databaseUrl: PROXY_URL, tablePrefix: 'dev-', databaseAuth: 'iam', awsRegion: 'eu-west-1' },
      { AWS_LAMBDA_FUNCTION_NAME: 'dev-record_answers' },
      signer.create,
    );
    expect(iam).toMatchObject({ connectionString: PROXY_URL, max: 2 });
    expect(await iam.password?.()).toBe('token-1');
    expect(signer.made[0]?.region).toBe('eu-west-1');
    const withPassword = poolOptions(
      { databaseUrl: 'postgres://u:p@127.0.0.1/lms', tablePrefix: '', databaseAuth: 'password' },
      {},
    );
    expect(withPassword).toEqual({ connectionString: 'postgres://u:p@127.0.0.1/lms', max: 10 });
  });
});
