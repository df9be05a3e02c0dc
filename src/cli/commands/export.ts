import type { Command } from 'commander';
import { connectDynamo } from '../../adapters/dynamodb/connect.ts';
import { transferStoreFor } from '../../adapters/dynamodb/transfer-store.ts';
import { exportTables } from '../../ops/transfer/export.ts';
import type { TransferProgress } from '../../ops/transfer/progress.ts';
import { exportSummaryLine } from '../../ops/transfer/summary.ts';
import { splitTableNames, unknownTablesMessage } from '../../ops/transfer/tables.ts';
import { tableNames } from '../../tables/definitions.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { UsageError } from '../errors.ts';
import { positiveInteger } from '../parse.ts';
import { createProgress, type Progress } from '../progress.ts';
import { TableUse, targetConfig } from '../target.ts';

/** Shows export and import progress: a counter or bar per table and phase. */
export const transferProgressListener = (progress: Progress) => (event: TransferProgress) => {
  if (event.phase === 'export') {
    progress.update(`${event.table} exported`, event.items);
    if (event.done) progress.finish(`${event.table} exported`);
    return;
  }
  const task = `${event.table} ${event.phase === 'verify' ? 'verified' : 'imported'}`;
  progress.update(task, event.lines, event.total);
  if (event.lines === event.total) progress.finish(task);
};

/** `lms export [table ...] --out DIR`: tables to JSON Lines files and a manifest. */
export const registerExport = (program: Command, output: Output): void => {
  program
    .command('export')
    .description(
      'write tables, as stored, to JSON Lines files with a manifest (all tables by default)',
    )
    .argument('[tables...]', `logical table names (${tableNames.join(', ')})`)
    .requiredOption('--out <dir>', 'directory to write (created if needed)')
    .option('--segments <n>', 'parallel scan segments per table', positiveInteger, 1)
    .option('--json', 'print the summary, manifest included, as JSON on stdout')
    .action(
      async (
        names: string[],
        options: { out: string; segments: number; json?: boolean },
        command: Command,
      ) => {
        const { tables, unknown } = splitTableNames(names);
        if (unknown.length > 0) throw new UsageError(unknownTablesMessage(unknown));
        const config = await targetConfig(
          command.optsWithGlobals<GlobalOptions>(),
          TableUse.Read,
          'lms export',
        );
        const connection = connectDynamo(config);
        const progress = createProgress({
          interactive: output.interactive ?? false,
          log: output.err,
        });
        try {
          const summary = await exportTables(transferStoreFor(connection, config), {
            out: options.out,
            tables: names.length > 0 ? tables : tableNames,
            explicit: names.length > 0,
            source: { endpoint: config.dynamodbEndpoint ?? null, region: config.awsRegion ?? null },
            segments: options.segments,
            onProgress: transferProgressListener(progress),
            onNote: (message) => output.err(message),
          });
          progress.stop();
          if (options.json === true) output.out(JSON.stringify(summary, null, 2));
          output.err(exportSummaryLine(summary));
        } finally {
          progress.stop();
          connection.close();
        }
      },
    );
};
