import type { Command } from 'commander';
import { connectDynamo } from '../../adapters/dynamodb/connect.ts';
import { transferStoreFor } from '../../adapters/dynamodb/transfer-store.ts';
import { importTables, loadManifest } from '../../ops/transfer/import.ts';
import { manifestTables } from '../../ops/transfer/manifest.ts';
import { importSummaryLine } from '../../ops/transfer/summary.ts';
import { splitTableNames, unknownTablesMessage } from '../../ops/transfer/tables.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { UsageError } from '../errors.ts';
import { positiveInteger } from '../parse.ts';
import { createProgress } from '../progress.ts';
import { TableUse, targetConfig } from '../target.ts';
import { transferProgressListener } from './export.ts';

/** `lms import --from DIR [table ...]`: an export into the configured tables, resumable. */
export const registerImport = (program: Command, output: Output): void => {
  program
    .command('import')
    .description(
      'write an export (lms export) into the configured tables; verified first, resumable',
    )
    .argument('[tables...]', 'only these tables of the export (default: all of them)')
    .requiredOption('--from <dir>', 'the export directory (it also keeps the checkpoint)')
    .option('--restart', 'ignore the checkpoint and write every line again')
    .option('--concurrency <n>', 'batches of 25 in flight at once', positiveInteger, 4)
    .option('--json', 'print the summary as JSON on stdout')
    .action(
      async (
        names: string[],
        options: { from: string; restart?: boolean; concurrency: number; json?: boolean },
        command: Command,
      ) => {
        const { tables, unknown } = splitTableNames(names);
        if (unknown.length > 0) throw new UsageError(unknownTablesMessage(unknown));
        const config = await targetConfig(
          command.optsWithGlobals<GlobalOptions>(),
          TableUse.Write,
          'lms import',
        );
        if (tables.length > 0) {
          const exported = manifestTables((await loadManifest(options.from)).manifest);
          const absent = tables.filter((table) => !exported.includes(table));
          if (absent.length > 0) {
            throw new UsageError(
              `not in the export in ${options.from}: ${absent.join(', ')} (it holds: ${exported.join(', ')})`,
            );
          }
        }
        const connection = connectDynamo(config);
        const progress = createProgress({
          interactive: output.interactive ?? false,
          log: output.err,
        });
        try {
          const summary = await importTables(transferStoreFor(connection, config), {
            from: options.from,
            ...(tables.length > 0 ? { tables } : {}),
            restart: options.restart === true,
            concurrency: options.concurrency,
            onProgress: transferProgressListener(progress),
            onNote: (message) => output.err(message),
          });
          progress.stop();
          if (options.json === true) output.out(JSON.stringify(summary, null, 2));
          output.err(importSummaryLine(summary));
        } finally {
          progress.stop();
          connection.close();
        }
      },
    );
};
