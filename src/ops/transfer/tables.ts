import { type TableName, tableNames } from '../../tables/definitions.ts';

/**
 * Table names given on a command line, split into known logical names (deduplicated, in
 * the order given) and unknown ones.
 *
 * @example
 * ```ts
 * splitTableNames(['students', 'pupils']); // { tables: ['students'], unknown: ['pupils'] }
 * ```
 */
export const splitTableNames = (
  names: readonly string[],
): { tables: TableName[]; unknown: string[] } => {
  const tables: TableName[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const table = tableNames.find((candidate) => candidate === name);
    if (table === undefined) {
      if (!unknown.includes(name)) unknown.push(name);
    } else if (!tables.includes(table)) tables.push(table);
  }
  return { tables, unknown };
};

/** The message for unknown table names: they, and every valid one. */
export const unknownTablesMessage = (unknown: readonly string[]): string =>
  `unknown table${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}; valid: ${tableNames.join(', ')}`;
