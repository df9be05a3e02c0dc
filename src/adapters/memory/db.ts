import { buildDb, codecFor, type Db } from '../../repositories/db.ts';
import { type TableName, tables } from '../../tables/definitions.ts';
import { MemoryRepository, type MemoryTable, memoryIdentity } from './repository.ts';

export interface MemoryDb {
  readonly db: Db;
  /** The raw stored items of a table. */
  readonly raw: (table: TableName) => MemoryTable;
  /** Stores an item as it is, unvalidated: what the LMS app might have written. */
  readonly plant: (table: TableName, item: Record<string, unknown>) => void;
}

/**
 * A {@link Db} held in memory, for unit tests of services.
 *
 * @example
 * ```ts
 * const { db } = createMemoryDb();
 * await db.students.put({ id: 's-1', name: 'Ann', class_code: 'c-1', parent_ids: [] });
 * ```
 */
export const createMemoryDb = (): MemoryDb => {
  const stores = new Map<TableName, MemoryTable>();
  const raw = (table: TableName): MemoryTable => {
    let store = stores.get(table);
    if (store === undefined) {
      store = new Map();
      stores.set(table, store);
    }
    return store;
  };
  const db = buildDb((name) => new MemoryRepository(tables[name], codecFor(name), raw(name)));
  const plant = (table: TableName, item: Record<string, unknown>) => {
    raw(table).set(memoryIdentity(tables[table], item), structuredClone(item));
  };
  return { db, raw, plant };
};
