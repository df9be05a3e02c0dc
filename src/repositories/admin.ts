/**
 * What `lms tables`, `lms aggregate` and the local stack need of a database beyond the
 * repositories: its tables made and described, and its clock. One port, two adapters
 * (`adapters/dynamodb/admin.ts`, `adapters/postgres/admin.ts`).
 */
import type { ClockReading } from '../lib/clock-skew.ts';

/** One change `createMissing` made (or found unneeded). */
export type TableChange =
  | { readonly table: string; readonly action: 'created' | 'exists' }
  | { readonly table: string; readonly action: 'index-created'; readonly index: string }
  | { readonly table: string; readonly action: 'migrated'; readonly migration: string };

/** One defined table as the database has it. */
export interface TableDescription {
  /** The physical name (`dev-students`, `"dev-".students`). */
  readonly table: string;
  readonly exists: boolean;
  /** The database's own estimate of the item count, when it keeps one. */
  readonly items: number | undefined;
  readonly indexes: string[];
}

export interface TableAdmin {
  /** Where the tables are, for messages (`endpoint http://...`, `postgres://host/db`). */
  readonly location: string;
  /** Creates what is missing of every defined table (idempotent). */
  createMissing(): Promise<TableChange[]>;
  /** Every defined table, in definition order. */
  describe(): Promise<TableDescription[]>;
  /** Every table in the database, whatever its prefix. */
  listAll(): Promise<string[]>;
  /** The database's clock, read between two readings of this machine's. */
  readClock(now: () => Date): Promise<ClockReading | undefined>;
}
