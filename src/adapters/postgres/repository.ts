import { chunk } from '../../lib/chunk.ts';
import { isRecord } from '../../lib/is-record.ts';
import { textKey } from '../../lib/text-key.ts';
import {
  BaseRepository,
  type RawItem,
  type RawKey,
  type RawReadOptions,
} from '../../repositories/base-repository.ts';
import type { Codec } from '../../repositories/codec.ts';
import { type Condition, holds, type Scalar } from '../../repositories/condition.ts';
import {
  ConditionFailedError,
  InvalidRequestError,
  InvalidStoredItemError,
} from '../../repositories/errors.ts';
import type { PageKey, PageOptions } from '../../repositories/repository.ts';
import type { TableDefinition } from '../../tables/definitions.ts';
import { keyAttributes } from './layout.ts';
import { type Pg, PostgresError } from './pg.ts';
import {
  countStatement,
  deleteManyStatement,
  deleteStatement,
  effectiveProjection,
  getManyStatement,
  getStatement,
  itemColumns,
  type ListPath,
  orderColumns,
  pageStatement,
  projectedRow,
  putManyStatement,
  putStatement,
  type Target,
  target,
  updateStatement,
} from './statements.ts';

/**
 * Rows per page when the caller sets none: about DynamoDB's 1 MB page for the small items
 * most reads page through (a student's answers in a module: one statement, as one Query),
 * and a few megabytes at most for the largest (a student's state parts).
 */
const DEFAULT_PAGE_SIZE = 2_000;

/** Items per write statement (one `jsonb` parameter each): large enough to be cheap, small enough to keep a statement short. */
const WRITE_CHUNK = 500;

/** Keys per read statement of {@link PostgresRepository.findMany}. */
const READ_CHUNK = 1_000;

/** SQLSTATEs of a value that is not a number where a number is needed (ADD to a string). */
const NOT_A_NUMBER = new Set(['22023', '22P02']);

/**
 * A table behind the repository port, stored in PostgreSQL (layout: `layout.ts`). Every
 * read is consistent: PostgreSQL has no eventually consistent index, so `consistent` asks
 * for nothing more.
 *
 * @example
 * ```ts
 * const students = new PostgresRepository(pg, 'public', tables.students, codec);
 * await students.get({ class_code: 'c-1' }, { project: ['id'] }); // index students_class_code
 * ```
 */
export class PostgresRepository<
  T extends object,
  K extends keyof T & string,
> extends BaseRepository<T, K> {
  readonly #target: Target;
  readonly #keys: string[];

  constructor(
    private readonly pg: Pg,
    schema: string,
    definition: TableDefinition,
    codec: Codec<T>,
  ) {
    super(definition, codec);
    this.#target = target(schema, definition);
    this.#keys = keyAttributes(definition);
  }

  protected async rawGet(key: RawKey, options: RawReadOptions): Promise<RawItem | undefined> {
    const { rows } = await this.pg.query<unknown[]>(
      getStatement(this.#target, key, options.project),
    );
    const row = rows[0];
    return row === undefined ? undefined : this.#item(row, options.project, { key });
  }

  protected async *rawPages(path: ListPath, options: RawReadOptions): AsyncGenerator<RawItem[]> {
    let startKey: PageKey | undefined;
    do {
      const page = await this.rawPage(path, options, startKey === undefined ? {} : { startKey });
      yield page.items;
      startKey = page.next;
    } while (startKey !== undefined);
  }

  protected async rawPage(
    path: ListPath,
    options: RawReadOptions,
    at: { readonly segment?: PageOptions['segment']; readonly startKey?: PageKey },
  ): Promise<{ items: RawItem[]; next: PageKey | undefined }> {
    const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const project = effectiveProjection(this.definition, path, options.project);
    const { rows } = await this.pg.query<unknown[]>(
      pageStatement(this.#target, path, {
        project,
        limit,
        ...(at.segment === undefined ? {} : { segment: at.segment }),
        ...(at.startKey === undefined ? {} : { startKey: at.startKey }),
      }),
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    const order = orderColumns(this.definition, path);
    const from = itemColumns(project);
    // The cursor columns hold the table's key (the order ends with it): it names an item
    // the codec finds invalid even when the projection leaves the key out.
    const keys: KeySource = { at: this.#keys.map((attribute) => from + order.indexOf(attribute)) };
    return {
      items: page.map((row) => this.#item(row, project, keys)),
      next: more && last !== undefined ? cursorOf(order, last, from) : undefined,
    };
  }

  protected async rawCount(path: ListPath): Promise<number> {
    const { rows } = await this.pg.query<{ n: unknown }>(countStatement(this.#target, path));
    const n = rows[0]?.n;
    return typeof n === 'number' ? n : Number(n ?? 0);
  }

  protected async rawGetMany(keys: readonly RawKey[], options: RawReadOptions): Promise<RawItem[]> {
    const found: RawItem[] = [];
    for (const group of chunk(this.#unique(keys), READ_CHUNK)) {
      const { rows } = await this.pg.query<unknown[]>(
        getManyStatement(this.#target, group, options.project),
      );
      // The key columns follow the item's (`getManyStatement`).
      const from = itemColumns(options.project);
      const keys: KeySource = { at: this.#keys.map((_, i) => from + i) };
      for (const row of rows) found.push(this.#item(row, options.project, keys));
    }
    return found;
  }

  protected async rawPut(item: RawItem, condition: Condition | undefined): Promise<void> {
    const absentSatisfies = condition === undefined || holds(condition, undefined);
    const { rowCount } = await this.#write(
      putStatement(this.#target, item, condition, absentSatisfies),
    );
    if (rowCount === 0) this.#conditionFailed();
  }

  protected async rawPutMany(items: readonly RawItem[]): Promise<void> {
    for (const group of chunk(this.#unique(items), WRITE_CHUNK)) {
      await this.#write(putManyStatement(this.#target, group));
    }
  }

  protected async rawUpdate(
    key: RawKey,
    set: RawItem,
    remove: readonly string[],
    condition: Condition | undefined,
    add: Readonly<Record<string, number>>,
  ): Promise<void> {
    const absentSatisfies = condition === undefined || holds(condition, undefined);
    const { rowCount } = await this.#write(
      updateStatement(this.#target, { key, set, remove, add }, condition, absentSatisfies),
    );
    if (rowCount === 0) this.#conditionFailed();
  }

  protected async rawDelete(key: RawKey, condition: Condition | undefined): Promise<void> {
    const absentSatisfies = condition !== undefined && holds(condition, undefined);
    const { rows } = await this.#write(
      deleteStatement(this.#target, key, condition, absentSatisfies),
    );
    if (condition === undefined) return;
    const row = rows[0];
    const deleted = row?.deleted === 1;
    if (!absentSatisfies) {
      if (!deleted) this.#conditionFailed();
      return;
    }
    if (row?.present === 1 && !deleted) this.#conditionFailed();
  }

  protected async rawDeleteMany(keys: readonly RawKey[]): Promise<void> {
    for (const group of chunk(this.#unique(keys), WRITE_CHUNK)) {
      await this.#write(deleteManyStatement(this.#target, group));
    }
  }

  async #write(statement: Parameters<Pg['query']>[0]) {
    try {
      return await this.pg.query(statement);
    } catch (error) {
      if (error instanceof PostgresError && NOT_A_NUMBER.has(error.sqlState ?? '')) {
        throw new InvalidRequestError(
          `${this.table}: ADD to an attribute that is not a number (${error.message})`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  #conditionFailed(): never {
    throw new ConditionFailedError(`${this.table}: the write's condition did not hold`);
  }

  /**
   * The last of several items (or keys) with one key, in first-seen order. Keys are told
   * apart by their text, as the table's key columns are (`layout.ts`): 1 and "1" are one row.
   */
  #unique<I extends Readonly<Record<string, unknown>>>(items: readonly I[]): I[] {
    const byKey = new Map<string, I>();
    for (const item of items) {
      const identity = textKey(this.#keys.map((attribute) => String(item[attribute])));
      byKey.delete(identity);
      byKey.set(identity, item);
    }
    return [...byKey.values()];
  }

  /** One attribute of the table's key (`i`-th), for a row. */
  #keyPart(row: readonly unknown[], keys: KeySource, i: number): Scalar | undefined {
    if ('key' in keys) return keys.key[this.#keys[i] ?? ''];
    const at = keys.at[i];
    return at === undefined ? undefined : String(row[at]);
  }

  /**
   * The item of a row: with a projection, built from its columns (`projectedRow`);
   * without, the stored item, anything but an object reported as an invalid stored item
   * (the key columns' `NOT NULL` already refuses a write of one).
   */
  #item(row: readonly unknown[], project: readonly string[] | undefined, keys: KeySource): RawItem {
    if (project !== undefined && project.length > 0) {
      const item = projectedRow(project, row);
      // The key, even when not projected, so that the codec can name an invalid item (it
      // returns only the projected attributes, as it does with the keys BatchGetItem adds).
      this.#keys.forEach((attribute, i) => {
        if (!Object.hasOwn(item, attribute)) item[attribute] = this.#keyPart(row, keys, i);
      });
      return item;
    }
    const item = row[0];
    // Checked to be an object here; its fields are validated by the codec before any
    // service sees them.
    if (isRecord(item)) return item;
    const key: Record<string, Scalar | undefined> = {};
    this.#keys.forEach((attribute, i) => {
      key[attribute] = this.#keyPart(row, keys, i);
    });
    throw new InvalidStoredItemError(this.table, key, [
      { path: '(item)', message: `the stored item is ${JSON.stringify(item)}, not an object` },
    ]);
  }
}

/**
 * Where the key of a row's item is: known (a read by key), or in the row's key columns at
 * these positions, one per key attribute (a page's cursor, a batch read's keys).
 */
type KeySource = { readonly key: RawKey } | { readonly at: readonly number[] };

/** The cursor of a page: the order columns of its last row (all text), from column `from`. */
const cursorOf = (order: readonly string[], row: readonly unknown[], from: number): PageKey => {
  const key: Record<string, string> = {};
  order.forEach((attribute, i) => {
    key[attribute] = String(row[from + i]);
  });
  return key;
};
