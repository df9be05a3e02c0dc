import type { AccessPath } from '../../repositories/access-path.ts';
import {
  BaseRepository,
  type RawItem,
  type RawKey,
  type RawReadOptions,
} from '../../repositories/base-repository.ts';
import type { Codec } from '../../repositories/codec.ts';
import type { Condition } from '../../repositories/condition.ts';
import { InvalidRequestError } from '../../repositories/errors.ts';
import type { PageKey, PageOptions } from '../../repositories/repository.ts';
import type { TableDefinition } from '../../tables/definitions.ts';
import type { Ddb } from './ddb.ts';
import {
  batchGetParams,
  batchWriteParams,
  deleteParams,
  getParams,
  putParams,
  queryParams,
  scanParams,
  updateParams,
} from './params.ts';

type ListPath = Exclude<AccessPath, { kind: 'get' }>;

/**
 * A table behind the repository port, stored in DynamoDB.
 *
 * @example
 * ```ts
 * const students = new DynamoRepository(ddb, tables.students, 'dev-students', codec);
 * await students.get({ class_code: 'c-1' }, { project: ['id'] }); // Query on index class_code
 * ```
 */
export class DynamoRepository<T extends object, K extends keyof T & string> extends BaseRepository<
  T,
  K
> {
  readonly #keyAttributes: string[];

  constructor(
    private readonly ddb: Ddb,
    definition: TableDefinition,
    /** The physical table name (with the configured prefix). */
    readonly tableName: string,
    codec: Codec<T>,
  ) {
    super(definition, codec);
    this.#keyAttributes = [definition.partitionKey, definition.sortKey].filter(
      (attribute) => attribute !== undefined,
    );
  }

  protected rawGet(key: RawKey, options: RawReadOptions): Promise<RawItem | undefined> {
    return this.ddb.get(getParams(this.tableName, key, options));
  }

  protected rawPages(path: ListPath, options: RawReadOptions): AsyncIterable<RawItem[]> {
    if (path.kind === 'query') return this.ddb.query(queryParams(this.tableName, path, options));
    return this.ddb.scan(scanParams(this.tableName, path.filter, options), options.segments);
  }

  protected async rawPage(
    path: ListPath,
    options: RawReadOptions,
    at: { readonly segment?: PageOptions['segment']; readonly startKey?: PageKey },
  ): Promise<{ items: RawItem[]; next: PageKey | undefined }> {
    const start = at.startKey === undefined ? {} : { ExclusiveStartKey: { ...at.startKey } };
    const page =
      path.kind === 'query'
        ? await this.ddb.queryPage({ ...queryParams(this.tableName, path, options), ...start })
        : await this.ddb.scanPage({
            ...scanParams(this.tableName, path.filter, options),
            ...start,
            ...(at.segment === undefined
              ? {}
              : { Segment: at.segment.index, TotalSegments: at.segment.total }),
          });
    return { items: page.items, next: page.next === undefined ? undefined : pageKey(page.next) };
  }

  protected rawCount(path: ListPath, options: RawReadOptions): Promise<number> {
    const counting = { ...options, project: undefined, countOnly: true };
    if (path.kind === 'query') {
      return this.ddb.countQuery(queryParams(this.tableName, path, counting));
    }
    return this.ddb.countScan(scanParams(this.tableName, path.filter, counting), options.segments);
  }

  protected async rawGetMany(keys: readonly RawKey[], options: RawReadOptions): Promise<RawItem[]> {
    const items = await this.ddb.batchGet(
      batchGetParams(this.tableName, keys, this.#keyAttributes, options),
    );
    if (options.project === undefined || options.project.length === 0) return items;
    // Key attributes were fetched to match items to keys; return only what was asked for.
    const wanted = new Set(options.project);
    return items.map((item) =>
      Object.fromEntries(Object.entries(item).filter(([attribute]) => wanted.has(attribute))),
    );
  }

  protected rawPut(item: RawItem, condition: Condition | undefined): Promise<void> {
    return this.ddb.put(putParams(this.tableName, item, condition));
  }

  protected rawPutMany(items: readonly RawItem[]): Promise<void> {
    return this.ddb.batchWrite(
      batchWriteParams(
        this.tableName,
        items.map((item) => ({ put: item })),
        this.#keyAttributes,
      ),
      this.#keyAttributes,
    );
  }

  protected rawUpdate(
    key: RawKey,
    set: RawItem,
    remove: readonly string[],
    condition: Condition | undefined,
    add: Readonly<Record<string, number>>,
  ): Promise<void> {
    return this.ddb.update(updateParams(this.tableName, key, set, remove, condition, add));
  }

  protected rawDelete(key: RawKey, condition: Condition | undefined): Promise<void> {
    return this.ddb.delete(deleteParams(this.tableName, key, condition));
  }

  protected rawDeleteMany(keys: readonly RawKey[]): Promise<void> {
    return this.ddb.batchWrite(
      batchWriteParams(
        this.tableName,
        keys.map((key) => ({ delete: key })),
        this.#keyAttributes,
      ),
      this.#keyAttributes,
    );
  }
}

/** A `LastEvaluatedKey` as a cursor: every key of this system is a string (DESIGN). */
const pageKey = (key: Readonly<Record<string, unknown>>): PageKey => {
  const out: Record<string, string> = {};
  for (const [attribute, value] of Object.entries(key)) {
    if (typeof value !== 'string') {
      throw new InvalidRequestError(`a page key attribute ${attribute} is not a string`);
    }
    out[attribute] = value;
  }
  return out;
};
