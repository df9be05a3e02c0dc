import { fnv1a } from '../../lib/fnv.ts';
import type { AccessPath, KeyCondition } from '../../repositories/access-path.ts';
import {
  BaseRepository,
  type RawItem,
  type RawKey,
  type RawReadOptions,
} from '../../repositories/base-repository.ts';
import type { Codec } from '../../repositories/codec.ts';
import { type Condition, holds } from '../../repositories/condition.ts';
import { ConditionFailedError, InvalidRequestError } from '../../repositories/errors.ts';
import type { PageKey, PageOptions } from '../../repositories/repository.ts';
import type { TableDefinition } from '../../tables/definitions.ts';

type ListPath = Exclude<AccessPath, { kind: 'get' }>;

/** Items per page when the caller sets no page size: small, so paging code is exercised. */
const DEFAULT_PAGE_SIZE = 100;

/** The items of one table, by key identity. Shared with tests that plant raw items. */
export type MemoryTable = Map<string, RawItem>;

/** The identity under which an item (or key) of a table is stored. */
export const memoryIdentity = (
  definition: TableDefinition,
  key: Readonly<Record<string, unknown>>,
): string =>
  JSON.stringify(
    [definition.partitionKey, definition.sortKey].filter((a) => a !== undefined).map((a) => key[a]),
  );

const matchesKey = (value: unknown, condition: KeyCondition): boolean => {
  if (typeof value !== 'string') return false;
  if ('equals' in condition) return value === condition.equals;
  if ('beginsWith' in condition) return value.startsWith(condition.beginsWith);
  if ('between' in condition) return value >= condition.between[0] && value <= condition.between[1];
  if ('gte' in condition) return value >= condition.gte;
  return value <= condition.lte;
};

const project = (item: RawItem, attributes: readonly string[] | undefined): RawItem => {
  if (attributes === undefined || attributes.length === 0) return structuredClone(item);
  const out: RawItem = {};
  for (const attribute of attributes) {
    if (item[attribute] !== undefined) out[attribute] = structuredClone(item[attribute]);
  }
  return out;
};

/**
 * A table behind the repository port, kept in a `Map`: for unit tests of services. It
 * obeys the same contract suite as the DynamoDB adapter (including validation of what it
 * returns), so a test that passes here means the same over DynamoDB.
 */
export class MemoryRepository<T extends object, K extends keyof T & string> extends BaseRepository<
  T,
  K
> {
  constructor(
    definition: TableDefinition,
    codec: Codec<T>,
    private readonly items: MemoryTable,
  ) {
    super(definition, codec);
  }

  identity(key: Readonly<Record<string, unknown>>): string {
    return memoryIdentity(this.definition, key);
  }

  protected async rawGet(key: RawKey, options: RawReadOptions): Promise<RawItem | undefined> {
    const item = this.items.get(this.identity(key));
    return item === undefined ? undefined : project(item, options.project);
  }

  protected async *rawPages(path: ListPath, options: RawReadOptions): AsyncGenerator<RawItem[]> {
    const matching = this.#select(path);
    const size = options.pageSize ?? DEFAULT_PAGE_SIZE;
    for (let i = 0; i < matching.length || i === 0; i += size) {
      yield matching.slice(i, i + size).map((item) => project(item, options.project));
    }
  }

  protected async rawPage(
    path: ListPath,
    options: RawReadOptions,
    at: { readonly segment?: PageOptions['segment']; readonly startKey?: PageKey },
  ): Promise<{ items: RawItem[]; next: PageKey | undefined }> {
    // A scan in key order here (DynamoDB's is its own, but stable too); a segment holds the
    // items whose partition key hashes to it, as DynamoDB splits a table.
    let matching = this.#select(path);
    if (path.kind === 'scan') {
      matching = [...matching].sort((a, b) => compareText(this.identity(a), this.identity(b)));
    }
    const { segment } = at;
    if (segment !== undefined) {
      matching = matching.filter(
        (item) =>
          fnv1a(String(item[this.definition.partitionKey])) % segment.total === segment.index,
      );
    }
    const startKey = at.startKey;
    if (startKey !== undefined) {
      const from = matching.findIndex((item) => this.identity(item) === this.identity(startKey));
      matching = matching.slice(from + 1);
    }
    const size = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const items = matching.slice(0, size);
    const last = items.at(-1);
    const more = matching.length > size && last !== undefined;
    return {
      items: items.map((item) => project(item, options.project)),
      next: more ? this.#keyOf(last) : undefined,
    };
  }

  #keyOf(item: RawItem): PageKey {
    const key: Record<string, string> = {};
    for (const attribute of [this.definition.partitionKey, this.definition.sortKey]) {
      if (attribute !== undefined) key[attribute] = String(item[attribute]);
    }
    return key;
  }

  protected async rawCount(path: ListPath): Promise<number> {
    return this.#select(path).length;
  }

  protected async rawGetMany(keys: readonly RawKey[], options: RawReadOptions): Promise<RawItem[]> {
    const unique = new Set(keys.map((key) => this.identity(key)));
    const found: RawItem[] = [];
    for (const identity of unique) {
      const item = this.items.get(identity);
      if (item !== undefined) found.push(project(item, options.project));
    }
    return found;
  }

  protected async rawPut(item: RawItem, condition: Condition | undefined): Promise<void> {
    const identity = this.identity(item);
    this.#check(condition, this.items.get(identity));
    this.items.set(identity, structuredClone(item));
  }

  protected async rawPutMany(items: readonly RawItem[]): Promise<void> {
    for (const item of items) this.items.set(this.identity(item), structuredClone(item));
  }

  protected async rawUpdate(
    key: RawKey,
    set: RawItem,
    remove: readonly string[],
    condition: Condition | undefined,
    add: Readonly<Record<string, number>>,
  ): Promise<void> {
    const identity = this.identity(key);
    const existing = this.items.get(identity);
    this.#check(condition, existing);
    const next: RawItem = { ...structuredClone(existing ?? {}), ...key, ...structuredClone(set) };
    for (const attribute of remove) delete next[attribute];
    for (const [attribute, value] of Object.entries(add)) {
      const stored = next[attribute] ?? 0;
      if (typeof stored !== 'number') {
        throw new InvalidRequestError(`${this.table}: ADD to ${attribute}, which is not a number`);
      }
      next[attribute] = stored + value;
    }
    this.items.set(identity, next);
  }

  protected async rawDelete(key: RawKey, condition: Condition | undefined): Promise<void> {
    const identity = this.identity(key);
    this.#check(condition, this.items.get(identity));
    this.items.delete(identity);
  }

  protected async rawDeleteMany(keys: readonly RawKey[]): Promise<void> {
    for (const key of keys) this.items.delete(this.identity(key));
  }

  #check(condition: Condition | undefined, existing: RawItem | undefined): void {
    if (condition !== undefined && !holds(condition, existing)) {
      throw new ConditionFailedError(`${this.table}: the write's condition did not hold`);
    }
  }

  #select(path: ListPath): RawItem[] {
    const equalities = Object.entries(path.filter);
    const selected = [...this.items.values()].filter((item) => {
      if (path.kind === 'query') {
        if (item[path.partition.attribute] !== path.partition.value) return false;
        if (
          path.sort !== undefined &&
          !matchesKey(item[path.sort.attribute], path.sort.condition)
        ) {
          return false;
        }
      }
      return equalities.every(([attribute, value]) => item[attribute] === value);
    });
    // A query returns items in sort-key order, as DynamoDB does; a scan's order is unspecified.
    const sortAttribute =
      path.kind === 'query'
        ? path.index === undefined
          ? this.definition.sortKey
          : path.index.sortKey
        : undefined;
    if (sortAttribute !== undefined) {
      // Plain code-unit order, as DynamoDB compares string keys (byte order of UTF-8 agrees
      // with it for everything outside the surrogate range).
      selected.sort((a, b) => {
        const x = String(a[sortAttribute]);
        const y = String(b[sortAttribute]);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
    return selected;
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
