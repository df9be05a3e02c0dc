import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { connectTables } from '../../adapters/connect.ts';
import { functions, writesAnyTable } from '../../catalog/functions.ts';
import { localContext } from '../../local/invoke/lambda-context.ts';
import { isFunctionName, loadFunction } from '../../local/invoke/load-function.ts';
import { createRuntime } from '../../runtime/runtime.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { UsageError } from '../errors.ts';
import { TableUse, targetConfig } from '../target.ts';

/** The event given to `--event`: inline JSON, a file, or `-` for standard input. */
export const readEvent = async (value: string | undefined): Promise<unknown> => {
  if (value === undefined) return {};
  let text: string;
  if (value === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    text = Buffer.concat(chunks).toString('utf8');
  } else if (/^\s*[[{"]/.test(value) || !existsSync(value)) {
    text = value;
  } else {
    text = await readFile(value, 'utf8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--event: not JSON and not a readable file: ${value.slice(0, 80)}`, {
      cause: error,
    });
  }
};

/** `lms invoke`: one handler, against the configured endpoint, its return value on stdout. */
export const registerInvoke = (program: Command, output: Output): void => {
  program
    .command('invoke')
    .description('run one function handler now; its result as JSON on stdout, logs on stderr')
    .argument('<function>', 'function name (see src/functions)')
    .option('--event <json|file|->', 'the event: inline JSON, a file, or - for stdin', undefined)
    .action(async (name: string, options: { event?: string }, command: Command) => {
      if (!isFunctionName(name)) {
        throw new UsageError(
          `unknown function ${name}; known: ${Object.keys(functions).join(', ')}`,
        );
      }
      // The catalogue says what the function may do to each table (its IAM grants).
      const writes = writesAnyTable(functions[name]);
      const config = await targetConfig(
        command.optsWithGlobals<GlobalOptions>(),
        writes ? TableUse.Write : TableUse.Read,
        `lms invoke ${name}`,
      );
      const event = await readEvent(options.event);
      const connection = connectTables(config);
      try {
        const handle = await loadFunction(name, createRuntime(name, config, { db: connection.db }));
        const result = await handle(event, localContext(name, functions[name].timeoutSeconds));
        output.out(JSON.stringify(result, null, 2));
      } finally {
        await connection.close();
      }
    });
};
