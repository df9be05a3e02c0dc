import type { Command } from 'commander';
import { redactedUrl } from '../../adapters/connect.ts';
import { exportTables } from '../../ops/transfer/export.ts';
import { exportSummaryLine } from '../../ops/transfer/summary.ts';
import { tableNames } from '../../tables/definitions.ts';
import type { Output } from '../context.ts';
import { positiveInteger } from '../parse.ts';
import { TableUse } from '../target.ts';
import { type TransferRequest, transferAction } from '../transfer-command.ts';

interface ExportCommandOptions {
  readonly out: string;
  readonly segments: number;
  readonly json?: boolean;
}

const runExport = ({
  names,
  tables,
  options,
  config,
  store,
  onProgress,
  onNote,
}: TransferRequest<ExportCommandOptions>) =>
  exportTables(store, {
    out: options.out,
    tables: names.length > 0 ? tables : tableNames,
    explicit: names.length > 0,
    // A PostgreSQL source is named by its URL, without the password (null means AWS).
    source:
      config.databaseUrl === undefined
        ? { endpoint: config.dynamodbEndpoint ?? null, region: config.awsRegion ?? null }
        : { endpoint: redactedUrl(config.databaseUrl), region: null },
    segments: options.segments,
    onProgress,
    onNote,
  });

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
    .action(transferAction(output, TableUse.Read, runExport, exportSummaryLine));
};
