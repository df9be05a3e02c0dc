import type { Command } from 'commander';
import { importTables, loadManifest } from '../../ops/transfer/import.ts';
import { manifestTables } from '../../ops/transfer/manifest.ts';
import { importSummaryLine } from '../../ops/transfer/summary.ts';
import type { TableName } from '../../tables/definitions.ts';
import type { Output } from '../context.ts';
import { UsageError } from '../errors.ts';
import { positiveInteger } from '../parse.ts';
import { TableUse } from '../target.ts';
import { type TransferRequest, transferAction } from '../transfer-command.ts';

interface ImportCommandOptions {
  readonly from: string;
  readonly restart?: boolean;
  readonly concurrency: number;
  readonly json?: boolean;
}

/** A usage error naming the tables asked for that the export in `from` does not hold. */
const assertExported = async (from: string, tables: readonly TableName[]): Promise<void> => {
  if (tables.length === 0) return;
  const exported = manifestTables((await loadManifest(from)).manifest);
  const absent = tables.filter((table) => !exported.includes(table));
  if (absent.length > 0) {
    throw new UsageError(
      `not in the export in ${from}: ${absent.join(', ')} (it holds: ${exported.join(', ')})`,
    );
  }
};

const runImport = async ({
  tables,
  options,
  store,
  onProgress,
  onNote,
}: TransferRequest<ImportCommandOptions>) => {
  await assertExported(options.from, tables);
  return importTables(store, {
    from: options.from,
    ...(tables.length > 0 ? { tables } : {}),
    restart: options.restart === true,
    concurrency: options.concurrency,
    onProgress,
    onNote,
  });
};

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
    .option(
      '--concurrency <n>',
      'batches in flight at once (25 items each on DynamoDB, 500 on PostgreSQL)',
      positiveInteger,
      4,
    )
    .option('--json', 'print the summary as JSON on stdout')
    .action(transferAction(output, TableUse.Write, runImport, importSummaryLine));
};
