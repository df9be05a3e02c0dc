/**
 * What `lms export` and `lms import` share: the table names they are given, a connection
 * and progress display closed whatever happens, and the way a summary is printed.
 */
import type { Command } from 'commander';
import { transferStoreFor } from '../adapters/transfer-store.ts';
import type { Config } from '../config/config.ts';
import type { TransferListener, TransferProgress } from '../ops/transfer/progress.ts';
import type { TransferStore } from '../ops/transfer/store.ts';
import { splitTableNames, unknownTablesMessage } from '../ops/transfer/tables.ts';
import type { TableName } from '../tables/definitions.ts';
import type { Output } from './context.ts';
import { UsageError } from './errors.ts';
import { withJobContext } from './job-command.ts';
import type { Progress } from './progress.ts';
import type { TableUse } from './target.ts';

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

/**
 * The logical tables named on the command line, each once; a usage error (exit 2) names
 * the unknown ones before anything is connected.
 */
export const knownTables = (names: readonly string[]): TableName[] => {
  const { tables, unknown } = splitTableNames(names);
  if (unknown.length > 0) throw new UsageError(unknownTablesMessage(unknown));
  return tables;
};

/** What a transfer is handed: the command line, the database as lines, where it reports. */
export interface TransferRequest<O> {
  /** The table names as given (none: every table). */
  readonly names: readonly string[];
  /** Those names as logical tables, each once. */
  readonly tables: TableName[];
  readonly options: O;
  readonly config: Config;
  readonly store: TransferStore;
  readonly onProgress: TransferListener;
  readonly onNote: (message: string) => void;
}

/**
 * The commander action of a transfer command (`lms export`, `lms import`): the tables
 * checked before anything is connected, then the transfer against the command's target
 * with notes and progress on stderr, the summary as JSON on stdout if asked, and its one
 * line on stderr last.
 *
 * @example
 * ```ts
 * .action(transferAction(output, TableUse.Read,
 *   ({ store, tables, options, onProgress, onNote }) => exportTables(store, { ... }), exportSummaryLine));
 * ```
 */
export const transferAction =
  <O extends { readonly json?: boolean }, S>(
    output: Output,
    use: TableUse,
    transfer: (request: TransferRequest<O>) => Promise<S>,
    summaryLine: (summary: S) => string,
  ) =>
  async (names: string[], options: O, command: Command): Promise<void> => {
    const tables = knownTables(names);
    await withJobContext(command, output, use, async ({ config, connection, progress }) => {
      const summary = await transfer({
        names,
        tables,
        options,
        config,
        store: transferStoreFor(connection, config),
        onProgress: transferProgressListener(progress),
        onNote: (message) => output.err(message),
      });
      progress.stop();
      if (options.json === true) output.out(JSON.stringify(summary, null, 2));
      output.err(summaryLine(summary));
    });
  };
