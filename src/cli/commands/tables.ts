import type { Command } from 'commander';
import { createMissingTables, describeTables, listTables } from '../../adapters/dynamodb/tables.ts';
import { tables } from '../../tables/definitions.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { connectTarget, TableUse } from '../target.ts';

const definitions = Object.values(tables);

/** `lms tables create|list`: the tables of the shared definitions at the configured endpoint. */
export const registerTables = (program: Command, output: Output): void => {
  const group = program.command('tables').description('create and list the DynamoDB tables');

  group
    .command('create')
    .description('create every missing table and index (idempotent)')
    .action(async (_options: unknown, command: Command) => {
      const { config, connection } = await connectTarget(
        command.optsWithGlobals<GlobalOptions>(),
        TableUse.Write,
        'lms tables create',
      );
      try {
        const changes = await createMissingTables(
          connection.client,
          config.tablePrefix,
          definitions,
        );
        for (const change of changes) {
          output.out(
            change.action === 'index-created'
              ? `${change.table}: index ${change.index} created`
              : `${change.table}: ${change.action}`,
          );
        }
        const created = changes.filter((c) => c.action !== 'exists').length;
        output.err(
          `tables: ${created} created or extended, ${changes.length - created} already there (endpoint ${config.dynamodbEndpoint ?? 'AWS'}, prefix "${config.tablePrefix}")`,
        );
      } finally {
        connection.close();
      }
    });

  group
    .command('list')
    .description('show the defined tables at the endpoint: existence, item count, indexes')
    .option('--all', 'list every table at the endpoint, whatever its prefix')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      const { config, connection } = await connectTarget(
        command.optsWithGlobals<GlobalOptions>(),
        TableUse.Read,
        'lms tables list',
      );
      try {
        if (options.all === true) {
          const names = await listTables(connection.client);
          output.out(options.json === true ? JSON.stringify(names) : names.join('\n'));
          return;
        }
        const rows = await describeTables(connection.client, config.tablePrefix, definitions);
        if (options.json === true) {
          output.out(JSON.stringify(rows, null, 2));
          return;
        }
        const width = Math.max(...rows.map((row) => row.table.length));
        for (const row of rows) {
          output.out(
            row.exists
              ? `${row.table.padEnd(width)}  ~${String(row.items ?? '?').padStart(9)} items  ${row.indexes.length > 0 ? `indexes: ${row.indexes.join(', ')}` : ''}`.trimEnd()
              : `${row.table.padEnd(width)}  missing`,
          );
        }
        const missing = rows.filter((row) => !row.exists).length;
        output.err(`tables: ${rows.length - missing} of ${rows.length} exist`);
      } finally {
        connection.close();
      }
    });
};
