/**
 * What every store shares: the choice of access path, validation of what is read and
 * written, and the typed surface of {@link Repository}. A store implements only the raw
 * primitives below, so the DynamoDB adapter and the in-memory store cannot drift apart in
 * anything but storage itself.
 */
import type { TableDefinition } from '../tables/definitions.ts';
import { type AccessPath, chooseAccessPath } from './access-path.ts';
import type { Codec } from './codec.ts';
import type { Condition, Scalar } from './condition.ts';
import { InvalidRequestError, InvalidStoredItemError } from './errors.ts';
import type {
  CountOptions,
  Filter,
  Page,
  PageKey,
  PageOptions,
  ReadOptions,
  Repository,
  UpdateChanges,
  WriteOptions,
} from './repository.ts';

export type RawItem = Record<string, unknown>;
export type RawKey = Record<string, Scalar>;

export interface RawReadOptions {
  readonly project: readonly string[] | undefined;
  readonly consistent: boolean | undefined;
  readonly pageSize: number | undefined;
  readonly segments: number | undefined;
}

export abstract class BaseRepository<T extends object, K extends keyof T & string>
  implements Repository<T, K>
{
  readonly table: string;

  constructor(
    protected readonly definition: TableDefinition,
    protected readonly codec: Codec<T>,
  ) {
    this.table = definition.name;
  }

  /** The stored item with this key, projected, or undefined. */
  protected abstract rawGet(key: RawKey, options: RawReadOptions): Promise<RawItem | undefined>;
  /** Pages of stored items along a query or scan path, projected. */
  protected abstract rawPages(
    path: Exclude<AccessPath, { kind: 'get' }>,
    options: RawReadOptions,
  ): AsyncIterable<RawItem[]>;
  /** One page along a query or scan path, from `startKey`, of one scan segment if given. */
  protected abstract rawPage(
    path: Exclude<AccessPath, { kind: 'get' }>,
    options: RawReadOptions,
    at: { readonly segment?: PageOptions['segment']; readonly startKey?: PageKey },
  ): Promise<{ items: RawItem[]; next: PageKey | undefined }>;
  protected abstract rawCount(
    path: Exclude<AccessPath, { kind: 'get' }>,
    options: RawReadOptions,
  ): Promise<number>;
  protected abstract rawGetMany(
    keys: readonly RawKey[],
    options: RawReadOptions,
  ): Promise<RawItem[]>;
  protected abstract rawPut(item: RawItem, condition: Condition | undefined): Promise<void>;
  protected abstract rawPutMany(items: readonly RawItem[]): Promise<void>;
  protected abstract rawUpdate(
    key: RawKey,
    set: RawItem,
    remove: readonly string[],
    condition: Condition | undefined,
    add: Readonly<Record<string, number>>,
  ): Promise<void>;
  protected abstract rawDelete(key: RawKey, condition: Condition | undefined): Promise<void>;
  protected abstract rawDeleteMany(keys: readonly RawKey[]): Promise<void>;

  get<P extends keyof T & string>(
    filter: Filter<T>,
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): Promise<Pick<T, P>[]>;
  get(filter: Filter<T>, options?: ReadOptions): Promise<T[]>;
  async get(filter: Filter<T>, options: ReadOptions = {}): Promise<Partial<T>[]> {
    const all: Partial<T>[] = [];
    for await (const page of this.#pages(filter, options)) all.push(...page);
    return all;
  }

  pages<P extends keyof T & string>(
    filter: Filter<T>,
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): AsyncIterable<Pick<T, P>[]>;
  pages(filter: Filter<T>, options?: ReadOptions): AsyncIterable<T[]>;
  pages(filter: Filter<T>, options: ReadOptions = {}): AsyncIterable<Partial<T>[]> {
    return this.#pages(filter, options);
  }

  async count(filter: Filter<T>, options: CountOptions = {}): Promise<number> {
    const path = chooseAccessPath(this.definition, filter, options);
    const raw = rawOptions(options);
    if (path.kind === 'get') return (await this.rawGet(path.key, raw)) === undefined ? 0 : 1;
    return this.rawCount(path, raw);
  }

  find<P extends keyof T & string>(
    key: Pick<T, K>,
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): Promise<Pick<T, P> | undefined>;
  find(key: Pick<T, K>, options?: ReadOptions): Promise<T | undefined>;
  async find(key: Pick<T, K>, options: ReadOptions = {}): Promise<Partial<T> | undefined> {
    const raw = await this.rawGet(this.#key(key), rawOptions(options));
    if (raw === undefined) return undefined;
    return this.#decodeAll([raw], options)[0];
  }

  findMany<P extends keyof T & string>(
    keys: readonly Pick<T, K>[],
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): Promise<Pick<T, P>[]>;
  findMany(keys: readonly Pick<T, K>[], options?: ReadOptions): Promise<T[]>;
  async findMany(keys: readonly Pick<T, K>[], options: ReadOptions = {}): Promise<Partial<T>[]> {
    if (keys.length === 0) return [];
    const raw = await this.rawGetMany(
      keys.map((key) => this.#key(key)),
      rawOptions(options),
    );
    return this.#decodeAll(raw, options);
  }

  async put(item: T, options: WriteOptions = {}): Promise<void> {
    await this.rawPut(this.codec.encode(item), options.condition);
  }

  async putMany(items: readonly T[]): Promise<void> {
    // Everything is validated before anything is written: one bad item writes nothing.
    const encoded = items.map((item) => this.codec.encode(item));
    if (encoded.length > 0) await this.rawPutMany(encoded);
  }

  async update(
    key: Pick<T, K>,
    changes: UpdateChanges<Omit<T, K>>,
    options: WriteOptions = {},
  ): Promise<void> {
    const set = this.codec.encodeChanges(changes.set ?? {});
    const remove = [...new Set(changes.remove ?? [])];
    this.codec.checkRemovals(remove);
    const add = this.#additions(changes.add ?? {});
    const touched = [...Object.keys(set), ...remove, ...Object.keys(add)];
    const twice = touched.filter((attribute, i) => touched.indexOf(attribute) !== i);
    if (twice.length > 0) {
      throw new InvalidRequestError(
        `${this.table}: ${[...new Set(twice)].join(', ')} changed twice in one update`,
      );
    }
    if (touched.length === 0) {
      throw new InvalidRequestError(`${this.table}: an update must set or remove something`);
    }
    await this.rawUpdate(this.#key(key), set, remove, options.condition, add);
  }

  async delete(key: Pick<T, K>, options: WriteOptions = {}): Promise<void> {
    await this.rawDelete(this.#key(key), options.condition);
  }

  async deleteMany(keys: readonly Pick<T, K>[]): Promise<void> {
    if (keys.length > 0) await this.rawDeleteMany(keys.map((key) => this.#key(key)));
  }

  readPage<P extends keyof T & string>(
    filter: Filter<T>,
    options: PageOptions<P> & { readonly project: readonly P[] },
  ): Promise<Page<Pick<T, P>>>;
  readPage(filter: Filter<T>, options?: PageOptions): Promise<Page<T>>;
  async readPage(filter: Filter<T>, options: PageOptions = {}): Promise<Page<Partial<T>>> {
    const path = chooseAccessPath(this.definition, filter, options);
    const raw = rawOptions(options);
    if (path.kind === 'get') {
      const item = await this.rawGet(path.key, raw);
      return { items: item === undefined ? [] : this.#decodeAll([item], options), next: undefined };
    }
    if (options.segment !== undefined && path.kind !== 'scan') {
      throw new InvalidRequestError(`${this.table}: only a scan reads one segment`);
    }
    const page = await this.rawPage(path, raw, {
      segment: options.segment,
      startKey: options.startKey,
    });
    return { items: this.#decodeAll(page.items, options), next: page.next };
  }

  async *#pages(filter: Filter<T>, options: ReadOptions): AsyncGenerator<Partial<T>[]> {
    const path = chooseAccessPath(this.definition, filter, options);
    const raw = rawOptions(options);
    if (path.kind === 'get') {
      const item = await this.rawGet(path.key, raw);
      yield item === undefined ? [] : this.#decodeAll([item], options);
      return;
    }
    for await (const page of this.rawPages(path, raw)) yield this.#decodeAll(page, options);
  }

  #decodeAll(items: readonly RawItem[], options: ReadOptions): Partial<T>[] {
    const out: Partial<T>[] = [];
    for (const item of items) {
      try {
        out.push(
          options.project !== undefined && options.project.length > 0
            ? this.codec.decodeProjected(item, options.project)
            : this.codec.decode(item),
        );
      } catch (error) {
        if (error instanceof InvalidStoredItemError && options.onInvalid !== undefined) {
          options.onInvalid(error);
          continue;
        }
        throw error;
      }
    }
    return out;
  }

  /**
   * The numbers of an update's `add`, each finite and none a key. What the sum becomes is
   * not validated here: it is computed by the store (that is the point of an ADD).
   */
  #additions(add: Readonly<Record<string, number | undefined>>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [attribute, value] of Object.entries(add)) {
      if (value === undefined) continue;
      if (attribute === this.definition.partitionKey || attribute === this.definition.sortKey) {
        throw new InvalidRequestError(
          `${this.table}: key attribute ${attribute} cannot be added to`,
        );
      }
      if (!Number.isFinite(value)) {
        throw new InvalidRequestError(`${this.table}: ADD ${attribute} needs a finite number`);
      }
      out[attribute] = value;
    }
    return out;
  }

  /** Exactly the key attributes of a key object, each a non-empty scalar. */
  #key(key: Pick<T, K>): RawKey {
    const out: RawKey = {};
    const source: Record<string, unknown> = { ...key };
    for (const attribute of [this.definition.partitionKey, this.definition.sortKey]) {
      if (attribute === undefined) continue;
      const value = source[attribute];
      if (typeof value !== 'string' || value === '') {
        throw new InvalidRequestError(
          `${this.table}: key attribute ${attribute} must be a non-empty string, got ${JSON.stringify(value)}`,
        );
      }
      out[attribute] = value;
    }
    return out;
  }
}

const rawOptions = (options: CountOptions & { project?: readonly string[] }): RawReadOptions => ({
  project: options.project,
  consistent: options.consistent,
  pageSize: options.pageSize,
  segments: options.segments,
});
