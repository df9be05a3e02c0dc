/**
 * The low-level DynamoDB layer, successor of the seed's `LambdaDDB`: paginated reads as
 * async iterators, batches that retry their unprocessed part until nothing is left (or
 * fail naming what was left), and writes whose failed condition becomes a
 * {@link ConditionFailedError}. It executes requests; {@link ./params.ts} builds them.
 */
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  paginateQuery,
  paginateScan,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { defaultRetryPolicy, type RetryPolicy } from '../../lib/backoff.ts';
import { ConditionFailedError, UnprocessedItemsError } from '../../repositories/errors.ts';
import { countOf, itemPages, scanInSegments } from './pages.ts';
import { keepSpecialKeys } from './special-keys.ts';
import { sendUntilProcessed } from './unprocessed.ts';

export type Item = Record<string, unknown>;

export interface DdbOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Batch requests in flight at once. */
  readonly batchConcurrency?: number;
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * @example
 * ```ts
 * const ddb = new Ddb(createDocumentClient({ endpoint }));
 * for await (const page of ddb.query(queryParams('students', path, { project: ['id'] }))) {
 *   console.log(page.length);
 * }
 * ```
 */
export class Ddb {
  readonly retry: RetryPolicy;
  readonly #batchConcurrency: number;

  constructor(
    readonly client: DynamoDBDocumentClient,
    options: DdbOptions = {},
  ) {
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.#batchConcurrency = options.batchConcurrency ?? 4;
  }

  /**
   * The same Ddb over a view of its client that keeps `__proto__` and `constructor` map
   * keys (`special-keys.ts`): for the tables whose items hold data-keyed maps.
   */
  keepingSpecialKeys(): Ddb {
    return new Ddb(keepSpecialKeys(this.client), {
      retry: this.retry,
      batchConcurrency: this.#batchConcurrency,
    });
  }

  async get(params: GetCommandInput): Promise<Item | undefined> {
    const result = await this.client.send(new GetCommand(params));
    return result.Item;
  }

  /** Every page of a query, following `LastEvaluatedKey` until the end. */
  query(params: QueryCommandInput): AsyncGenerator<Item[]> {
    return itemPages<Item>(this.#queryResponses(params));
  }

  /**
   * Every page of a scan. With `segments > 1` the table is read as that many parallel
   * segments and pages are yielded as they arrive (in no particular order).
   */
  scan(params: ScanCommandInput, segments = 1): AsyncGenerator<Item[]> {
    return itemPages<Item>(this.#scanResponses(params, segments));
  }

  /**
   * One page of a query (one request), from the `ExclusiveStartKey` in `params`: the
   * resumable read of a job that checks its remaining time between pages.
   */
  async queryPage(params: QueryCommandInput): Promise<{ items: Item[]; next: Item | undefined }> {
    const result = await this.client.send(new QueryCommand(params));
    return { items: result.Items ?? [], next: result.LastEvaluatedKey };
  }

  /** One page of a scan (or of one scan segment), as {@link queryPage}. */
  async scanPage(params: ScanCommandInput): Promise<{ items: Item[]; next: Item | undefined }> {
    const result = await this.client.send(new ScanCommand(params));
    return { items: result.Items ?? [], next: result.LastEvaluatedKey };
  }

  /** Sums `Count` over every page of a `Select: 'COUNT'` query. */
  countQuery(params: QueryCommandInput): Promise<number> {
    return countOf(this.#queryResponses(params));
  }

  /** Sums `Count` over every page (of every segment) of a `Select: 'COUNT'` scan. */
  countScan(params: ScanCommandInput, segments = 1): Promise<number> {
    return countOf(this.#scanResponses(params, segments));
  }

  async put(params: PutCommandInput): Promise<void> {
    await this.#conditional(() => this.client.send(new PutCommand(params)), params.TableName);
  }

  async update(params: UpdateCommandInput): Promise<void> {
    await this.#conditional(() => this.client.send(new UpdateCommand(params)), params.TableName);
  }

  async delete(params: DeleteCommandInput): Promise<void> {
    await this.#conditional(() => this.client.send(new DeleteCommand(params)), params.TableName);
  }

  /**
   * Runs BatchGetItem requests (built by `batchGetParams`), retrying unprocessed keys with
   * backoff; throws {@link UnprocessedItemsError} if keys are left after the last attempt.
   */
  async batchGet(requests: readonly BatchGetCommandInput[]): Promise<Item[]> {
    const pages = await pMap(requests, (request) => this.#batchGetOne(request), {
      concurrency: this.#batchConcurrency,
    });
    return pages.flat();
  }

  /**
   * Runs BatchWriteItem requests (built by `batchWriteParams`), retrying unprocessed items
   * with backoff. Every batch is tried to the end even when one fails, so one error can
   * name every item that was not written (by its key, given `keyAttributes`).
   */
  async batchWrite(
    requests: readonly BatchWriteCommandInput[],
    keyAttributes?: readonly string[],
  ): Promise<void> {
    const results = await pMap(
      requests,
      async (request) => {
        try {
          await this.#batchWriteOne(request, keyAttributes);
          return undefined;
        } catch (error) {
          return error;
        }
      },
      { concurrency: this.#batchConcurrency },
    );
    const failures = results.filter((r) => r !== undefined);
    if (failures.length === 0) return;
    const unprocessed = failures.filter((f) => f instanceof UnprocessedItemsError);
    if (unprocessed.length === failures.length && unprocessed[0] !== undefined) {
      throw new UnprocessedItemsError(
        unprocessed[0].table,
        'write',
        unprocessed.flatMap((f) => f.keys),
        this.retry.maxAttempts,
      );
    }
    throw failures.find((f) => !(f instanceof UnprocessedItemsError));
  }

  // The paginators write `ExclusiveStartKey` (and `Limit`) into the input they are given,
  // so each gets its own copy: the caller's params stay as built, and reusable.
  #queryResponses(params: QueryCommandInput) {
    return paginateQuery({ client: this.client }, { ...params });
  }

  #scanResponses(params: ScanCommandInput, segments: number) {
    return scanInSegments(segments, (segment) =>
      paginateScan({ client: this.client }, { ...params, ...segment }),
    );
  }

  async #batchGetOne(request: BatchGetCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    await sendUntilProcessed(request.RequestItems ?? {}, {
      policy: this.retry,
      operation: 'read',
      send: async (pending) => {
        const result = await this.client.send(
          new BatchGetCommand({ ...request, RequestItems: pending }),
        );
        for (const tableItems of Object.values(result.Responses ?? {})) items.push(...tableItems);
        return result.UnprocessedKeys;
      },
      keysOf: (keys) => keys.Keys ?? [],
    });
    return items;
  }

  async #batchWriteOne(
    request: BatchWriteCommandInput,
    keyAttributes: readonly string[] | undefined,
  ): Promise<void> {
    await sendUntilProcessed(request.RequestItems ?? {}, {
      policy: this.retry,
      operation: 'write',
      send: async (pending) => {
        const result = await this.client.send(
          new BatchWriteCommand({ ...request, RequestItems: pending }),
        );
        return result.UnprocessedItems;
      },
      keysOf: (writes) =>
        writes.map((w) => {
          const item: Item = w.PutRequest?.Item ?? w.DeleteRequest?.Key ?? {};
          if (keyAttributes === undefined) return item;
          return Object.fromEntries(keyAttributes.map((attribute) => [attribute, item[attribute]]));
        }),
    });
  }

  async #conditional<R>(send: () => Promise<R>, table: string | undefined): Promise<R> {
    try {
      return await send();
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConditionFailedError(`${table ?? 'table'}: the write's condition did not hold`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
