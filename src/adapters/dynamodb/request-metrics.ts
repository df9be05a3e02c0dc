/**
 * Counts the DynamoDB requests a client sends and the capacity they consume, by asking
 * every item request for `ReturnConsumedCapacity: TOTAL`. A middleware on the client's
 * stack, so the code being measured runs unchanged. For benchmarks and diagnostics; the
 * deployed functions do not install it.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Operations that accept `ReturnConsumedCapacity`, by the low-level command names the
 * shared middleware stack sees (the document client's commands run through them once).
 */
const CAPACITY_OPERATIONS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
]);

const WRITE_OPERATIONS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);

export interface RequestMetrics {
  /** Requests sent, by low-level command (`QueryCommand`, `UpdateItemCommand`, ...). */
  readonly requests: Record<string, number>;
  readCapacity: number;
  writeCapacity: number;
}

export interface MetricsHandle {
  readonly metrics: RequestMetrics;
  total(): number;
  writes(): number;
  reset(): void;
  snapshot(): {
    requests: number;
    writes: number;
    byCommand: Record<string, number>;
    readCapacity: number;
    writeCapacity: number;
  };
}

const capacityOf = (output: unknown): number => {
  if (typeof output !== 'object' || output === null || !('ConsumedCapacity' in output)) return 0;
  const consumed = output.ConsumedCapacity;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  let sum = 0;
  for (const entry of list) {
    if (
      typeof entry === 'object' &&
      entry !== null &&
      'CapacityUnits' in entry &&
      typeof entry.CapacityUnits === 'number'
    ) {
      sum += entry.CapacityUnits;
    }
  }
  return sum;
};

/**
 * @example
 * ```ts
 * const counter = countRequests(doc);
 * await runStats(db, options);
 * counter.snapshot(); // { requests: 42, writes: 9, readCapacity: 120.5, ... }
 * ```
 */
export const countRequests = (doc: DynamoDBDocumentClient): MetricsHandle => {
  const metrics: RequestMetrics = { requests: {}, readCapacity: 0, writeCapacity: 0 };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      metrics.requests[command] = (metrics.requests[command] ?? 0) + 1;
      const input = args.input;
      if (CAPACITY_OPERATIONS.has(command) && typeof input === 'object' && input !== null) {
        Object.assign(input, { ReturnConsumedCapacity: 'TOTAL' });
      }
      const result = await next(args);
      const units = capacityOf(result.output);
      if (WRITE_OPERATIONS.has(command)) metrics.writeCapacity += units;
      else metrics.readCapacity += units;
      return result;
    },
    { step: 'initialize', name: 'lmsRequestMetrics' },
  );
  const total = () => Object.values(metrics.requests).reduce((a, b) => a + b, 0);
  const writes = () =>
    Object.entries(metrics.requests)
      .filter(([command]) => WRITE_OPERATIONS.has(command))
      .reduce((sum, [, n]) => sum + n, 0);
  return {
    metrics,
    total,
    writes,
    reset: () => {
      for (const key of Object.keys(metrics.requests)) delete metrics.requests[key];
      metrics.readCapacity = 0;
      metrics.writeCapacity = 0;
    },
    snapshot: () => ({
      requests: total(),
      writes: writes(),
      byCommand: { ...metrics.requests },
      readCapacity: metrics.readCapacity,
      writeCapacity: metrics.writeCapacity,
    }),
  };
};
