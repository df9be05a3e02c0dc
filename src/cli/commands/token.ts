import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { loadDevKeys } from '../../local/auth/dev-keys.ts';
import { signDevToken } from '../../local/auth/tokens.ts';
import { ROLE_CLAIM, ROLE_NAMES, type Role } from '../../services/access/principal.ts';
import type { Output } from '../context.ts';
import { positiveInteger } from '../parse.ts';

/** `lms token`: a development token the local API (`lms start`) accepts. */
export const registerToken = (program: Command, output: Output): void => {
  program
    .command('token')
    .description('print a signed development token for the local API')
    .addOption(
      new Option('--role <role>', `the ${ROLE_CLAIM} claim`)
        .choices(ROLE_NAMES)
        .makeOptionMandatory(),
    )
    .requiredOption('--sub <id>', 'the sub claim (a teacher, parent or student id, ...)')
    .option('--ttl <seconds>', 'lifetime in seconds', positiveInteger, 12 * 3600)
    .option('--data <dir>', 'the local stack data folder (holds the signing key)', '.data')
    .action(async (options: { role: Role; sub: string; ttl: number; data: string }) => {
      const keys = await loadDevKeys(join(options.data, 'dev-signing-key.json'));
      output.out(
        await signDevToken(keys, { sub: options.sub, role: options.role, ttlSeconds: options.ttl }),
      );
    });
};
