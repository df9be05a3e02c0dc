/**
 * BatchWriteItem of items that are already AttributeValue maps (an import writes exactly
 * what an export read). `Ddb.batchWrite` cannot carry them: it goes through the document
 * client, which would marshal the maps as nested maps. The retry of unprocessed items is
 * the one `Ddb` uses ({@link sendUntilProcessed}): same policy and backoff, and the same
 * failure (`UnprocessedItemsError` naming every key left).
 */
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { RetryPolicy } from '../../lib/backoff.ts';
import { InvalidRequestError } from '../../repositories/errors.ts';
import type { AttributeMap } from './item-json.ts';
import { BATCH_WRITE_LIMIT } from './params.ts';
import { sendUntilProcessed } from './unprocessed.ts';

export interface RawWriteOptions {
  readonly retry: RetryPolicy;
  /** The key attributes of the table: an error names unwritten items by these. */
  readonly keyAttributes: readonly string[];
}

/** A key as an error message shows it: each key attribute's string or number. */
const keyOf = (item: AttributeMap, keyAttributes: readonly string[]) =>
  Object.fromEntries(
    keyAttributes.map((attribute) => {
      const value = item[attribute];
      return [attribute, value?.S ?? value?.N ?? (value === undefined ? undefined : '(binary)')];
    }),
  );

/**
 * Puts up to 25 items in one BatchWriteItem request, retrying the unprocessed part with
 * backoff until nothing is left or the policy's attempts are spent.
 *
 * @example
 * ```ts
 * await putRawBatch(client, 'dev-students', [{ id: { S: 's-1' }, name: { S: 'Ann' } }], {
 *   retry: ddb.retry, keyAttributes: ['id'],
 * });
 * ```
 */
export const putRawBatch = async (
  client: DynamoDBClient,
  tableName: string,
  items: readonly AttributeMap[],
  options: RawWriteOptions,
): Promise<void> => {
  if (items.length === 0) return;
  if (items.length > BATCH_WRITE_LIMIT) {
    throw new InvalidRequestError(
      `${tableName}: a batch holds at most ${BATCH_WRITE_LIMIT} items, got ${items.length}`,
    );
  }
  await sendUntilProcessed<WriteRequest[]>(
    { [tableName]: items.map((item) => ({ PutRequest: { Item: item } })) },
    {
      policy: options.retry,
      operation: 'write',
      send: async (pending) => {
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
        return result.UnprocessedItems;
      },
      keysOf: (writes) =>
        writes.map((write) => keyOf(write.PutRequest?.Item ?? {}, options.keyAttributes)),
    },
  );
};
