/**
 * The retry of a batch's unprocessed part, for BatchGetItem and BatchWriteItem through
 * either client (document or low-level). DynamoDB answers a throttled batch with success
 * and hands back what it did not do; the SDK's own retries do not cover that, and
 * lib-dynamodb's `paginatedBatchGet` re-sends at once, without backoff or a limit, and has
 * no counterpart for writes. Hence this one loop, with backoff and jitter from
 * {@link backoffDelay}.
 */
import { backoffDelay, type RetryPolicy } from '../../lib/backoff.ts';
import { UnprocessedItemsError } from '../../repositories/errors.ts';

type Key = Readonly<Record<string, unknown>>;

/** The `RequestItems` of a batch, and the unprocessed part a response hands back. */
export type RequestItems<Request> = Record<string, Request>;

export interface UnprocessedRetry<Request> {
  readonly policy: RetryPolicy;
  readonly operation: 'read' | 'write';
  /** Sends one request; resolves to the part the response left unprocessed. */
  readonly send: (pending: RequestItems<Request>) => Promise<RequestItems<Request> | undefined>;
  /** The keys a table's pending part stands for, as an error names them. */
  readonly keysOf: (request: Request) => readonly Key[];
}

/**
 * Sends `requestItems`, then re-sends whatever is left unprocessed after a backoff, until
 * nothing is left; after `policy.maxAttempts` attempts it throws
 * {@link UnprocessedItemsError} naming the keys still left (of the first table with any).
 *
 * @example
 * ```ts
 * await sendUntilProcessed({ [table]: writes }, {
 *   policy: ddb.retry,
 *   operation: 'write',
 *   send: async (pending) =>
 *     (await client.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems,
 *   keysOf: (writes) => writes.map((w) => ({ id: w.PutRequest?.Item?.id?.S })),
 * });
 * ```
 */
export const sendUntilProcessed = async <Request>(
  requestItems: RequestItems<Request>,
  retry: UnprocessedRetry<Request>,
): Promise<void> => {
  let pending = requestItems;
  for (let attempt = 1; ; attempt++) {
    const unprocessed = await retry.send(pending);
    // A table whose part is empty is done; sending it again would be an invalid request.
    const left = Object.entries(unprocessed ?? {}).filter(
      ([, request]) => retry.keysOf(request).length > 0,
    );
    const [first] = left;
    if (first === undefined) return;
    if (attempt >= retry.policy.maxAttempts) {
      const [table, request] = first;
      throw new UnprocessedItemsError(table, retry.operation, retry.keysOf(request), attempt);
    }
    pending = Object.fromEntries(left);
    await retry.policy.sleep(backoffDelay(retry.policy, attempt));
  }
};
