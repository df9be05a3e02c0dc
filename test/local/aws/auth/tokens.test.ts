import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerToken } from '../../../../src/cli/commands/token.ts';
import { loadConfig } from '../../../../src/config/config.ts';
import { createDevKeys, loadDevKeys } from '../../../../src/local/aws/auth/dev-keys.ts';
import {
  devSub,
  signDevToken,
  verifyDevToken,
  withLocalIdClaim,
} from '../../../../src/local/aws/auth/tokens.ts';
import { principalFromClaims, ROLE_NAMES } from '../../../../src/services/access/principal.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('development tokens', () => {
  it('carry every role of the policy to a principal, the LMS id in cognito:username', async () => {
    const keys = await createDevKeys();
    for (const role of ROLE_NAMES) {
      const verified = await verifyDevToken(keys, await signDevToken(keys, { id: 'x-1', role }));
      if (!verified.ok) throw new Error(`the ${role} token did not verify: ${verified.reason}`);
      expect(principalFromClaims(verified.claims, 'cognito:username')).toEqual({
        sub: 'x-1',
        role,
      });
    }
  });

  it('are shaped as Cognito ID tokens: a UUID sub, the username, token_use id, auth_time', async () => {
    const keys = await createDevKeys();
    const token = await signDevToken(keys, { id: 's-000001', role: 'student' });
    const verified = await verifyDevToken(keys, token);
    if (!verified.ok) throw new Error(verified.reason);
    const { claims } = verified;
    expect(claims).toMatchObject({
      sub: devSub('s-000001'),
      'cognito:username': 's-000001',
      'custom:role': 'student',
      token_use: 'id',
      iss: 'https://lms-local.dev',
      aud: 'lms-local',
    });
    expect(claims.sub).toMatch(UUID);
    for (const claim of ['auth_time', 'iat', 'exp', 'jti']) expect(claims[claim]).toBeDefined();
    expect(claims.auth_time).toBe(claims.iat);
    // The same user always gets the same sub, another user another.
    expect(devSub('s-000001')).toBe(claims.sub);
    expect(devSub('s-000002')).not.toBe(claims.sub);
    // Without LMS_ID_CLAIM the functions would read the UUID: no LMS id.
    expect(principalFromClaims(claims).sub).toBe(devSub('s-000001'));
  });

  it('carry the id in the claim the stack reads when LMS_ID_CLAIM names another', async () => {
    const keys = await createDevKeys();
    for (const idClaim of ['sub', 'custom:lms_id']) {
      const verified = await verifyDevToken(
        keys,
        await signDevToken(keys, { id: 't-1', role: 'teacher', idClaim }),
      );
      if (!verified.ok) throw new Error(verified.reason);
      expect(principalFromClaims(verified.claims, idClaim)).toEqual({
        sub: 't-1',
        role: 'teacher',
      });
      expect(verified.claims['cognito:username']).toBe('t-1');
    }
  });

  it('the local stack reads cognito:username unless LMS_ID_CLAIM is set; the default stays sub', () => {
    expect(loadConfig({}).idClaim).toBe('sub');
    expect(loadConfig(withLocalIdClaim({})).idClaim).toBe('cognito:username');
    expect(loadConfig(withLocalIdClaim({ LMS_ID_CLAIM: '' })).idClaim).toBe('cognito:username');
    expect(loadConfig(withLocalIdClaim({ LMS_ID_CLAIM: 'sub' })).idClaim).toBe('sub');
  });
});

describe('lms token', () => {
  let data: string;
  beforeEach(() => {
    data = mkdtempSync(join(tmpdir(), 'lms-token-'));
  });
  afterEach(() => rmSync(data, { recursive: true, force: true }));

  const run = async (args: string[]): Promise<string[]> => {
    const lines: string[] = [];
    const program = new Command().exitOverride();
    program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerToken(program, { out: (line) => lines.push(line), err: () => {} });
    await program.parseAsync(['token', ...args, '--data', data], { from: 'user' });
    return lines;
  };

  it('issues tokens for every role of the policy, and only those', () => {
    const program = new Command();
    registerToken(program, { out: () => {}, err: () => {} });
    const option = program.commands
      .find((command) => command.name() === 'token')
      ?.options.find((o) => o.long === '--role');
    expect(option?.argChoices).toEqual([...ROLE_NAMES]);
  });

  it.each([['--id'], ['--sub']])(
    '%s <id> prints a token the local API verifies, the id as username',
    async (flag) => {
      const [token] = await run(['--role', 'parent', flag, 'p-000001']);
      const keys = await loadDevKeys(join(data, 'dev-signing-key.json'));
      const verified = await verifyDevToken(keys, token ?? '');
      if (!verified.ok) throw new Error(verified.reason);
      expect(decodeJwt(token ?? '')).toMatchObject({
        'cognito:username': 'p-000001',
        'custom:role': 'parent',
        token_use: 'id',
      });
      expect(principalFromClaims(verified.claims, 'cognito:username')).toEqual({
        sub: 'p-000001',
        role: 'parent',
      });
    },
  );

  it('refuses no id, or --id and --sub that differ', async () => {
    await expect(run(['--role', 'parent'])).rejects.toThrow(/--id/);
    await expect(run(['--role', 'parent', '--id', 'p-1', '--sub', 'p-2'])).rejects.toThrow(
      /--id and --sub/,
    );
  });
});
