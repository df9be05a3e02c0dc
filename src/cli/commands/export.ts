import type { Command } from 'commander';
import { exportTables } from '../../ops/transfer/export.ts';
import { exportSummaryLine } from '../../ops/transfer/summary.ts';
import { tableNames } from '../../tables/definitions.ts';
import type { Output } from '../context.ts';
import { positiveInteger } from '../parse.ts';
import { TableUse } from '../target.ts';
import { knownTables, runTransfer } from '../transfer-command.ts';

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
        const tables = knownTables(names);
        await runTransfer(
          command,
          output,
          TableUse.Read,
          options.json,
          ({ config, store, onProgress, onNote }) =>
            exportTables(store, {
              out: options.out,
              tables: names.length > 0 ? tables : tableNames,
              explicit: names.length > 0,
              source: {
                endpoint: config.dynamodbEndpoint ?? null,
                region: config.awsRegion ?? null,
              },
              segments: options.segments,
              onProgress,
              onNote,
            }),
          exportSummaryLine,
        );
      },
    );
};
