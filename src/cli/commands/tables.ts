import type { Command } from 'commander';
import type { Db } from '../../repositories/db.ts';
import { type TableName, tableNames } from '../../tables/definitions.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { connectTarget, TableUse } from '../target.ts';

/**
 * What `tables list` says of a table's size. DescribeTable's `ItemCount` is DynamoDB's
 * estimate, refreshed about every six hours, and dynalite never maintains it (always 0):
 * shown as `~N` when it is above 0; a 0 is checked with a one-item read, so that a table
 * with items never shows 0 (`>0`); `--count` counts exactly (a COUNT scan of every table).
 */
export interface ItemCount {
  /** The number shown; null when only "more than 0" is known. */
  readonly items: number | null;
  readonly items_exact: boolean;
  /** DescribeTable's `ItemCount`, as DynamoDB reports it. */
  readonly items_estimate: number | undefined;
}

const hasAnItem = async (db: Db, name: TableName): Promise<boolean> => {
  let found = false;
  // One item is enough; an item that fails validation still counts as one.
  for await (const page of db[name].pages(
    {},
    { scan: true, pageSize: 1, onInvalid: () => (found = true) },
  )) {
    found ||= page.length > 0;
    if (found) break;
  }
  return found;
};

const itemCount = async (
  db: Db,
  name: TableName,
  estimate: number | undefined,
  exact: boolean,
): Promise<ItemCount> => {
  if (exact) {
    return {
      items: await db[name].count({}, { scan: true }),
      items_exact: true,
      items_estimate: estimate,
    };
  }
  if (estimate !== undefined && estimate > 0) {
    return { items: estimate, items_exact: false, items_estimate: estimate };
  }
  return (await hasAnItem(db, name))
    ? { items: null, items_exact: false, items_estimate: estimate }
    : { items: 0, items_exact: true, items_estimate: estimate };
};

const shownCount = ({ items, items_exact }: ItemCount) =>
  items === null ? '>0' : items_exact ? String(items) : `~${items}`;

/** `lms tables create|list`: the tables of the shared definitions at the configured endpoint. */
export const registerTables = (program: Command, output: Output): void => {
  const group = program
    .command('tables')
    .description('create and list the tables (DynamoDB, or PostgreSQL with DATABASE_URL)');

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
        const changes = await connection.admin.createMissing();
        for (const change of changes) {
          output.out(
            change.action === 'index-created'
              ? `${change.table}: index ${change.index} created`
              : change.action === 'migrated'
                ? `${change.table}: migration ${change.migration} applied`
                : `${change.table}: ${change.action}`,
          );
        }
        const created = changes.filter((c) => c.action !== 'exists').length;
        output.err(
          `tables: ${created} created or extended, ${changes.length - created} already there (${connection.admin.location}, prefix "${config.tablePrefix}")`,
        );
      } finally {
        await connection.close();
      }
    });

  group
    .command('list')
    .description('show the defined tables at the endpoint: existence, item count, indexes')
    .option('--all', 'list every table at the endpoint, whatever its prefix')
    .option('--count', 'count the items exactly (a scan of every table) instead of estimates')
    .option('--json', 'print JSON instead of a table')
    .action(
      async (options: { all?: boolean; count?: boolean; json?: boolean }, command: Command) => {
        const { connection } = await connectTarget(
          command.optsWithGlobals<GlobalOptions>(),
          TableUse.Read,
          'lms tables list',
        );
        try {
          if (options.all === true) {
            const names = await connection.admin.listAll();
            output.out(options.json === true ? JSON.stringify(names) : names.join('\n'));
            return;
          }
          const described = await connection.admin.describe();
          const rows = await Promise.all(
            described.map(async ({ items, ...row }, i) => {
              const name = tableNames[i];
              if (!row.exists || name === undefined) return { ...row, items: null };
              return {
                ...row,
                ...(await itemCount(connection.db, name, items, options.count === true)),
              };
            }),
          );
          if (options.json === true) {
            output.out(JSON.stringify(rows, null, 2));
            return;
          }
          const width = Math.max(...rows.map((row) => row.table.length));
          for (const row of rows) {
            output.out(
              'items_exact' in row
                ? `${row.table.padEnd(width)}  ${shownCount(row).padStart(10)} items  ${row.indexes.length > 0 ? `indexes: ${row.indexes.join(', ')}` : ''}`.trimEnd()
                : `${row.table.padEnd(width)}  missing`,
            );
          }
          const missing = rows.filter((row) => !row.exists).length;
          output.err(`tables: ${rows.length - missing} of ${rows.length} exist`);
          if (
            options.count !== true &&
            rows.some((row) => 'items_exact' in row && !row.items_exact)
          ) {
            output.err(
              "~N is the database's estimate (DynamoDB's ItemCount, refreshed about every 6 hours; PostgreSQL's reltuples, from the last ANALYZE); >0: the estimate says 0 but the table has items (dynalite keeps no estimate); --count counts exactly",
            );
          }
        } finally {
          await connection.close();
        }
      },
    );
};
