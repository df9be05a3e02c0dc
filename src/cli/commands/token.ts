import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { loadDevKeys } from '../../local/aws/auth/dev-keys.ts';
import { signDevToken, withLocalIdClaim } from '../../local/aws/auth/tokens.ts';
import { ROLE_CLAIM, ROLE_NAMES, type Role } from '../../services/access/principal.ts';
import { commandConfig, type GlobalOptions, type Output } from '../context.ts';
import { positiveInteger } from '../parse.ts';

interface TokenFlags {
  role: Role;
  id?: string;
  sub?: string;
  ttl: number;
  data: string;
}

/**
 * `lms token`: a development token the local API (`lms start`) accepts, shaped as a
 * Cognito ID token of the deployed stack: `sub` a UUID, the LMS id in `cognito:username`
 * (and in the claim `LMS_ID_CLAIM` names, when it names another).
 */
export const registerToken = (program: Command, output: Output): void => {
  program
    .command('token')
    .description('print a signed development token for the local API')
    .addOption(
      new Option('--role <role>', `the ${ROLE_CLAIM} claim`)
        .choices(ROLE_NAMES)
        .makeOptionMandatory(),
    )
    .option('--id <id>', 'the LMS id: a teacher, parent or student id, ... (cognito:username)')
    .option('--sub <id>', 'the same as --id (its former name)')
    .option('--ttl <seconds>', 'lifetime in seconds', positiveInteger, 12 * 3600)
    .option('--data <dir>', 'the local stack data folder (holds the signing key)', '.data')
    .action(async (flags: TokenFlags, command: Command) => {
      if (flags.id !== undefined && flags.sub !== undefined && flags.id !== flags.sub) {
        command.error('error: --id and --sub name the same thing; give one');
      }
      const id = flags.id ?? flags.sub;
      if (id === undefined) command.error("error: required option '--id <id>' not specified");
      const config = commandConfig(
        command.optsWithGlobals<GlobalOptions>(),
        withLocalIdClaim(process.env),
      );
      const keys = await loadDevKeys(join(flags.data, 'dev-signing-key.json'));
      output.out(
        await signDevToken(keys, {
          id,
          role: flags.role,
          idClaim: config.idClaim,
          ttlSeconds: flags.ttl,
        }),
      );
    });
};
