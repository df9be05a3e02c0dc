/**
 * Scans with the low-level client, so items arrive as DynamoDB stored them
 * (AttributeValue maps): nothing is unmarshalled, hence nothing is lost or refused (a
 * number beyond 2^53, a binary set, an attribute no schema knows). For exports; every
 * other read goes through the repositories.
 *
 * The client is a `DynamoDBClient`, not any object with a `send`: the SDK's `paginateScan`
 * checks `instanceof` (a test that injects faults wraps a real client in a `Proxy`).
 */
import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from './item-json.ts';
import { itemPages, scanInSegments } from './pages.ts';

export interface RawScanOptions {
  /** Items per request (DynamoDB also stops a page at 1 MB). */
  readonly pageSize?: number;
  /** Read the table as this many parallel segments; pages then come in no set order. */
  readonly segments?: number;
  /** Strongly consistent reads (a check before writing, not an export). */
  readonly consistent?: boolean;
}

/**
 * Every page of a table, items exactly as stored.
 *
 * @example
 * ```ts
 * for await (const page of scanRawPages(client, 'dev-students')) {
 *   for (const item of page) console.log(item.id?.S);
 * }
 * ```
 */
export const scanRawPages = (
  client: DynamoDBClient,
  tableName: string,
  options: RawScanOptions = {},
): AsyncGenerator<AttributeMap[]> =>
  itemPages(
    scanInSegments(options.segments ?? 1, (segment) =>
      paginateScan(
        { client, ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}) },
        {
          TableName: tableName,
          ...(options.consistent === true ? { ConsistentRead: true } : {}),
          ...segment,
        },
      ),
    ),
  );

/**
 * Whether a table holds no item at all (reads at most one item, strongly consistent).
 *
 * @example
 * ```ts
 * if (await isTableEmpty(client, 'dev-answers')) console.log('fresh table');
 * ```
 */
export const isTableEmpty = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  // Without a filter a page of one item holds the first item if there is one; the loop
  // only guards against an engine that returns an empty page with a continuation key.
  for await (const page of scanRawPages(client, tableName, { pageSize: 1, consistent: true })) {
    if (page.length > 0) return false;
  }
  return true;
};
