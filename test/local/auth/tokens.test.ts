import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerToken } from '../../../src/cli/commands/token.ts';
import { createDevKeys } from '../../../src/local/auth/dev-keys.ts';
import { signDevToken, verifyDevToken } from '../../../src/local/auth/tokens.ts';
import { principalFromClaims, ROLE_NAMES } from '../../../src/services/access/principal.ts';

describe('development tokens', () => {
  it('carry every role of the policy to a principal', async () => {
    const keys = await createDevKeys();
    for (const role of ROLE_NAMES) {
      const verified = await verifyDevToken(keys, await signDevToken(keys, { sub: 'x-1', role }));
      if (!verified.ok) throw new Error(`the ${role} token did not verify: ${verified.reason}`);
      expect(principalFromClaims(verified.claims)).toEqual({ sub: 'x-1', role });
    }
  });

  it('are issued by `lms token` for every role of the policy, and only those', () => {
    const program = new Command();
    registerToken(program, { out: () => {}, err: () => {} });
    const option = program.commands
      .find((command) => command.name() === 'token')
      ?.options.find((o) => o.long === '--role');
    expect(option?.argChoices).toEqual([...ROLE_NAMES]);
  });
});
