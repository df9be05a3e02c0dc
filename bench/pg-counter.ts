/**
 * The PostgreSQL side of the bench's request counter: the adapter's own `Pg`, whose
 * `counters` already count statements and rows, with every statement also tallied by
 * command and table (`SELECT answers`, `UPDATE classes`), what the DynamoDB rows show by
 * command. The repositories and the hand-written floors go through the same instance, so
 * both are counted the same way.
 */
import { Pg, type QueryResult } from '../src/adapters/postgres/pg.ts';
import type { Statement } from '../src/adapters/postgres/sql.ts';
import type { Counter } from './counter.ts';

const WRITE = new Set(['INSERT', 'UPDATE', 'DELETE']);

/**
 * `SELECT answers`: the statement's main verb (after a leading `WITH ... AS (...)`, the
 * verb that follows the last CTE; a SELECT over a CTE that writes, as the repository's
 * conditional delete, counts as that write) and the first table it names.
 */
export const classify = (text: string): string => {
  const withCtes = /^\s*WITH\b/i.test(text);
  const main = withCtes
    ? (text.match(/\)\s*(SELECT|INSERT|UPDATE|DELETE)\b/gi)?.at(-1) ?? '')
    : text;
  let verb = /(SELECT|INSERT|UPDATE|DELETE)\b/i.exec(main)?.[1]?.toUpperCase() ?? 'OTHER';
  // Only a statement that starts with CTEs can have one that writes: the others' texts (a
  // projected read's runs to kilobytes) are not scanned for it.
  if (withCtes && verb === 'SELECT') {
    const writingCte = /\bAS\s*\(\s*(INSERT|UPDATE|DELETE)\b/i.exec(text)?.[1];
    if (writingCte !== undefined) verb = writingCte.toUpperCase();
  }
  const table = /"[^"]+"\."([^"]+)"/.exec(text)?.[1] ?? '?';
  return `${verb} ${table}`;
};

export class CountingPg extends Pg {
  readonly byCommand: Record<string, number> = {};

  override async query<R = Record<string, unknown>>(statement: Statement): Promise<QueryResult<R>> {
    const key = classify(statement.text);
    this.byCommand[key] = (this.byCommand[key] ?? 0) + 1;
    return super.query<R>(statement);
  }

  override resetCounters(): void {
    super.resetCounters();
    for (const key of Object.keys(this.byCommand)) delete this.byCommand[key];
  }

  /** This executor as the bench's {@link Counter}. */
  counter(): Counter {
    const writes = () =>
      Object.entries(this.byCommand)
        .filter(([key]) => WRITE.has(key.split(' ')[0] ?? ''))
        .reduce((sum, [, n]) => sum + n, 0);
    return {
      total: () => this.counters.statements,
      writes,
      reset: () => this.resetCounters(),
      snapshot: () => ({
        requests: this.counters.statements,
        writes: writes(),
        byCommand: { ...this.byCommand },
        readCapacity: 0,
        writeCapacity: 0,
        rowsRead: this.counters.rowsRead,
        rowsWritten: this.counters.rowsWritten,
      }),
    };
  }
}
