/**
 * The `lms` command line (DESIGN section 6). Each command lives in its own file under
 * `commands/`; this file wires them and turns errors into a message and an exit code.
 */

import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.ts';
import { errorMessage, LmsError } from '../errors.ts';
import { ClockSkewError } from '../lib/clock-skew.ts';
import { StackInUseError } from '../local/claim.ts';
import { StartInterruptedError } from '../local/start.ts';
import { registerAggregate } from './commands/aggregate.ts';
import { registerCheck } from './commands/check.ts';
import { registerEvents } from './commands/events.ts';
import { registerExport } from './commands/export.ts';
import { registerImport } from './commands/import.ts';
import { registerInvoke } from './commands/invoke.ts';
import { registerOpenApi } from './commands/openapi.ts';
import { registerSeed } from './commands/seed.ts';
import { registerStart } from './commands/start.ts';
import { registerStats } from './commands/stats.ts';
import { registerTables } from './commands/tables.ts';
import { registerToken } from './commands/token.ts';
import { type Output, processOutput } from './context.ts';
import { UsageError } from './errors.ts';

export const buildProgram = (output: Output = processOutput): Command => {
  const program = new Command('lms')
    .description('lms-lambdas: run, inspect and operate the LMS functions and their tables')
    .option('--endpoint <url>', 'DynamoDB endpoint (default: $DYNAMODB_ENDPOINT, else AWS)')
    .option('--prefix <prefix>', 'table name prefix (default: $LMS_TABLE_PREFIX)')
    .option('--region <region>', "AWS region (default: $AWS_REGION, else the profile's)")
    .option(
      '--aws',
      'let a command that writes (seed, import, tables create, stats, aggregate, invoke) write to real AWS tables when no endpoint is set',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(text.trimEnd()),
    });
  registerTables(program, output);
  registerStats(program, output);
  registerSeed(program, output);
  registerStart(program, output);
  registerToken(program, output);
  registerInvoke(program, output);
  registerEvents(program, output);
  registerExport(program, output);
  registerImport(program, output);
  registerCheck(program, output);
  registerAggregate(program, output);
  registerOpenApi(program, output);
  return program;
};

/**
 * Runs the command line and returns the exit code (never throws).
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv);
 * ```
 */
export const main = async (
  argv: readonly string[],
  output: Output = processOutput,
): Promise<number> => {
  try {
    await buildProgram(output).parseAsync([...argv]);
    return 0;
  } catch (error) {
    // Commander exits 1 on a usage error (an unknown option or command, a missing argument);
    // here a usage error is 2, as the README promises, and help or a version stays 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof LmsError) {
      output.err(`lms: ${error.message} [${error.code}]`);
      // 130 (128 + SIGINT): stopped by Ctrl-C before it was ready.
      if (error instanceof StartInterruptedError) return 130;
      // 2 is a usage error (fix the command, the environment, the clock, or what holds the
      // data folder or a port); 1 a failed run.
      return error instanceof ConfigError ||
        error instanceof ClockSkewError ||
        error instanceof UsageError ||
        error instanceof StackInUseError
        ? 2
        : 1;
    }
    output.err(`lms: ${errorMessage(error)}`);
    return 1;
  }
};
