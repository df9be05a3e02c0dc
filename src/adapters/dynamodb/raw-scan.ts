/**
 * Scans with the low-level client, so items arrive as DynamoDB stored them
 * (AttributeValue maps): nothing is unmarshalled, hence nothing is lost or refused (a
 * number beyond 2^53, a binary set, an attribute no schema knows). For exports; every
 * other read goes through the repositories.
 */
import { type DynamoDBClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { mergeAsync } from '../../lib/merge-async.ts';
import type { AttributeMap } from './item-json.ts';

/** The part of the low-level client these functions use (a test may wrap it). */
export type RawClient = Pick<DynamoDBClient, 'send'>;

export interface RawScanOptions {
  /** Items per request (DynamoDB also stops a page at 1 MB). */
  readonly pageSize?: number;
  /** Read the table as this many parallel segments; pages then come in no set order. */
  readonly segments?: number;
}

async function* scanSegment(client: RawClient, input: ScanCommandInput) {
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    start = page.LastEvaluatedKey;
    yield page.Items ?? [];
  } while (start !== undefined);
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
  client: RawClient,
  tableName: string,
  options: RawScanOptions = {},
): AsyncGenerator<AttributeMap[]> => {
  const input: ScanCommandInput = {
    TableName: tableName,
    ...(options.pageSize !== undefined ? { Limit: options.pageSize } : {}),
  };
  const segments = options.segments ?? 1;
  if (segments <= 1) return scanSegment(client, input);
  return mergeAsync(
    Array.from({ length: segments }, (_, segment) =>
      scanSegment(client, { ...input, Segment: segment, TotalSegments: segments }),
    ),
  );
};

/**
 * Whether a table holds no item at all (reads at most one item, strongly consistent).
 *
 * @example
 * ```ts
 * if (await isTableEmpty(client, 'dev-answers')) console.log('fresh table');
 * ```
 */
export const isTableEmpty = async (client: RawClient, tableName: string): Promise<boolean> => {
  // Without a filter a page of Limit 1 holds the first item if there is one; the loop only
  // guards against an engine that returns an empty page with a continuation key.
  for await (const page of scanSegment(client, {
    TableName: tableName,
    Limit: 1,
    ConsistentRead: true,
  })) {
    if (page.length > 0) return false;
  }
  return true;
};
