/**
 * What export and import need of a database, in terms of lines: every item travels as
 * one line of DynamoDB JSON (`{"Item":{...}}`), produced and understood by the adapter.
 * The file and streaming code of this folder never sees a DynamoDB type, and a test can
 * stand in for the database with a handful of functions.
 */
import type { TableName } from '../../tables/definitions.ts';

export interface TransferStore {
  /**
   * Which database this is, as a checkpoint key: endpoint (or AWS region) and table
   * prefix. Two imports of one export into different targets keep separate progress.
   */
  readonly target: string;
  readonly prefix: string;
  /** The physical table name of a logical one (`dev-` + `students`). */
  tableName(table: TableName): string;
  /** Every item of a table, page by page, as lines; nothing validated, nothing dropped. */
  scanLines(table: TableName, options?: { readonly segments?: number }): AsyncIterable<string[]>;
  /**
   * Throws if the line is not one item of that table in DynamoDB JSON (including its key
   * attributes), so a bad file is refused before anything is written.
   */
  checkLine(table: TableName, line: string): void;
  /**
   * Lines per {@link putLines} call: 25 when unset, DynamoDB's BatchWriteItem limit; a
   * store that writes a batch as one statement takes more per round trip.
   */
  readonly batchLines?: number;
  /** Puts the items of at most `batchLines` lines as one batch (retrying what is left unprocessed). */
  putLines(table: TableName, lines: readonly string[]): Promise<void>;
  /** Those of these tables that exist. */
  existingTables(tables: readonly TableName[]): Promise<TableName[]>;
  /** Creates the missing tables (and indexes) among these. */
  createMissingTables(tables: readonly TableName[]): Promise<void>;
  isEmpty(table: TableName): Promise<boolean>;
  /** Items in the table, counted by a strongly consistent scan. */
  count(table: TableName): Promise<number>;
}
