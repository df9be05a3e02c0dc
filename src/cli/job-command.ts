/**
 * What the job commands (`stats`, `aggregate`, `check`, ...) share: a connection and a
 * progress display that are closed whatever happens, and the way a summary is printed.
 */
import type { Command } from 'commander';
import { connectDynamo, type DynamoConnection } from '../adapters/dynamodb/connect.ts';
import type { Config } from '../config/config.ts';
import type { ListedWarnings } from '../services/warning-log.ts';
import { commandConfig, type GlobalOptions, type Output } from './context.ts';
import { createProgress, type Progress } from './progress.ts';

export interface JobCommandContext {
  readonly config: Config;
  readonly connection: DynamoConnection;
  readonly progress: Progress;
}

/**
 * @example
 * ```ts
 * .action((options, command) => withJobContext(command, output, async ({ connection, progress }) => { ... }))
 * ```
 */
export const withJobContext = async <T>(
  command: Command,
  output: Output,
  run: (context: JobCommandContext) => Promise<T>,
): Promise<T> => {
  const config = commandConfig(command.optsWithGlobals<GlobalOptions>());
  const connection = connectDynamo(config);
  const progress = createProgress({ interactive: output.interactive ?? false, log: output.err });
  try {
    return await run({ config, connection, progress });
  } finally {
    progress.stop();
    connection.close();
  }
};

export type PrintableSummary = ListedWarnings<{ readonly message: string }>;

/** Warnings on stderr (listed, then counted), the JSON on stdout if asked, the one-line summary last. */
export const printSummary = (
  output: Output,
  summary: PrintableSummary,
  line: string,
  json: boolean | undefined,
): void => {
  for (const warning of summary.warnings) output.err(`warning: ${warning.message}`);
  if (summary.warnings_total > summary.warnings.length) {
    output.err(`warning: … and ${summary.warnings_total - summary.warnings.length} more`);
  }
  if (json === true) output.out(JSON.stringify(summary, null, 2));
  output.err(line);
};
