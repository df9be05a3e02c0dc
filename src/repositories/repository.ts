/**
 * The repository port: what services see of a table. Nothing here mentions DynamoDB, so a
 * service works unchanged over the DynamoDB adapter or the in-memory store, and one
 * contract test suite holds both to the same behaviour.
 */
import type { Condition, Scalar } from './condition.ts';
import type { InvalidStoredItemError } from './errors.ts';

/** Attributes whose values are scalars: the only ones an equality filter can name. */
export type ScalarAttribute<T> = {
  [A in keyof T]-?: NonNullable<T[A]> extends Scalar ? A : never;
}[keyof T] &
  string;

/** Equality on scalar attributes, all of which must hold (`{ class_code: 'c-1' }`). */
export type Filter<T> = { readonly [A in ScalarAttribute<T>]?: T[A] };

/** A condition on the sort key of a query (for example a key prefix). */
export type SortKeyCondition =
  | { readonly beginsWith: string }
  | { readonly between: readonly [string, string] }
  | { readonly gte: string }
  | { readonly lte: string };

export interface ReadOptions<P extends string = string> {
  /** Attributes to read; only these are fetched and returned. */
  readonly project?: readonly P[];
  /** Allows a full scan when the filter names no key and no indexed attribute. */
  readonly scan?: boolean;
  /** With `scan`: read the table in this many parallel segments. */
  readonly segments?: number;
  /** Narrows a query on the table's sort key (tables with a sort key only). */
  readonly sortKey?: SortKeyCondition;
  /** Query this index (by name); a local index's partition key is the table's own. */
  readonly index?: string;
  /** Strongly consistent read (the table or a local index: a global index is eventually consistent). */
  readonly consistent?: boolean;
  /** Items read per request (a page may hold fewer after filtering). */
  readonly pageSize?: number;
  /**
   * Called for every stored item that fails validation; the item is skipped. Without it,
   * the first invalid item throws {@link InvalidStoredItemError}.
   */
  readonly onInvalid?: (error: InvalidStoredItemError) => void;
}

export type CountOptions = Omit<ReadOptions, 'project' | 'onInvalid'>;

/** Where a page read ended: the key to start the next one from (plain JSON, all strings). */
export type PageKey = Readonly<Record<string, string>>;

export interface PageOptions<P extends string = string> extends ReadOptions<P> {
  /** One segment of a parallel scan (`index` of `total`), read on its own. */
  readonly segment?: { readonly index: number; readonly total: number };
  /** The `next` of the previous page; absent for the first. */
  readonly startKey?: PageKey;
}

/** One page of a read and where the next one starts (`undefined`: there is none). */
export interface Page<T> {
  readonly items: T[];
  readonly next: PageKey | undefined;
}

export interface WriteOptions {
  /** The write happens only if this holds for the stored item (absent item: no attributes). */
  readonly condition?: Condition;
}

export interface UpdateChanges<T> {
  /** Attributes to set; every other attribute of the stored item is left as it is. */
  readonly set?: { readonly [A in keyof T]?: T[A] };
  /** Attributes to remove. */
  readonly remove?: readonly (keyof T & string)[];
  /**
   * Numbers added to number attributes by the store itself (a missing one counts as 0), so
   * a counter takes one request and no read; with a condition on the stored value, a
   * capped counter.
   */
  readonly add?: { readonly [A in NumberAttribute<T>]?: number };
}

/** Attributes whose values are numbers. */
export type NumberAttribute<T> = {
  [A in keyof T]-?: NonNullable<T[A]> extends number ? A : never;
}[keyof T] &
  string;

/**
 * One table, typed by its entity `T` and its primary-key attributes `K`.
 *
 * @example
 * ```ts
 * const students = await db.students.get({ class_code: 'c-001' }, { project: ['id', 'name'] });
 * const one = await db.students.find({ id: 's-001' });
 * await db.classes.update({ code: 'c-001' }, { set: { stats } }, { condition: when.exists('code') });
 * ```
 */
export interface Repository<T extends object, K extends keyof T & string> {
  /** The table's logical name (`students`). */
  readonly table: string;

  /**
   * One page of a query or scan, resumable from `startKey`: a job that must stop before its
   * time runs out keeps `next` as its cursor and goes on from it in another invocation.
   */
  readPage<P extends keyof T & string>(
    filter: Filter<T>,
    options: PageOptions<P> & { readonly project: readonly P[] },
  ): Promise<Page<Pick<T, P>>>;
  readPage(filter: Filter<T>, options?: PageOptions): Promise<Page<T>>;

  /**
   * Every item matching `filter`. The access path follows the filter: the full key reads
   * one item, a partition key or an indexed attribute queries the table or that index,
   * anything else needs `{ scan: true }` (otherwise {@link ScanRequiredError}).
   */
  get<P extends keyof T & string>(
    filter: Filter<T>,
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): Promise<Pick<T, P>[]>;
  get(filter: Filter<T>, options?: ReadOptions): Promise<T[]>;

  /** The same items as {@link get}, page by page, without holding them all. */
  pages<P extends keyof T & string>(
    filter: Filter<T>,
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): AsyncIterable<Pick<T, P>[]>;
  pages(filter: Filter<T>, options?: ReadOptions): AsyncIterable<T[]>;

  /** How many items match `filter` (same access-path rules as {@link get}). */
  count(filter: Filter<T>, options?: CountOptions): Promise<number>;

  /** One item by its full key, or `undefined`. */
  find<P extends keyof T & string>(
    key: Pick<T, K>,
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): Promise<Pick<T, P> | undefined>;
  find(key: Pick<T, K>, options?: ReadOptions): Promise<T | undefined>;

  /** The items with these keys (missing ones are left out; order not guaranteed). */
  findMany<P extends keyof T & string>(
    keys: readonly Pick<T, K>[],
    options: ReadOptions<P> & { readonly project: readonly P[] },
  ): Promise<Pick<T, P>[]>;
  findMany(keys: readonly Pick<T, K>[], options?: ReadOptions): Promise<T[]>;

  /** Writes the whole item (validated first). */
  put(item: T, options?: WriteOptions): Promise<void>;

  /** Writes many items in batches; every item is written or an error names those that were not. */
  putMany(items: readonly T[]): Promise<void>;

  /**
   * Sets and removes only the given attributes. Without a condition a missing item is
   * created from its key and the set attributes, as DynamoDB's UpdateItem does.
   */
  update(
    key: Pick<T, K>,
    changes: UpdateChanges<Omit<T, K>>,
    options?: WriteOptions,
  ): Promise<void>;

  delete(key: Pick<T, K>, options?: WriteOptions): Promise<void>;

  deleteMany(keys: readonly Pick<T, K>[]): Promise<void>;
}
