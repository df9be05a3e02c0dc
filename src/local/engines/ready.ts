import { setTimeout as delay } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EngineStartError } from './errors.ts';

/**
 * Credentials for talking to an emulator. The SDK refuses to sign without some, and reading
 * the real chain (profiles, IMDS) would be slow and could point at a real account.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** A region name no real endpoint has, so a misrouted client fails instead of hitting AWS. */
export const LOCAL_REGION = 'local';

/** How {@link waitForDynamoDb} polls. */
export interface WaitForDynamoDbOptions {
  /** Give up (with {@link EngineStartError}) once this much time has passed. */
  readonly timeoutMs: number;
  /** Pause between two failed attempts. Defaults to 100 ms. */
  readonly intervalMs?: number;
  /**
   * Ends the wait early, rejecting with `signal.reason`: a child that exited will never answer,
   * so waiting out the whole deadline would only delay the error.
   */
  readonly signal?: AbortSignal;
  /**
   * Checked after each answer; false keeps polling. An answer alone does not prove that the
   * server we started is the one answering (another may hold the port).
   */
  readonly confirm?: () => boolean | Promise<boolean>;
}

// A cap on one attempt, so that a server that accepts the connection but never answers
// (a JVM still warming up) cannot eat the whole deadline in one request.
const MAX_ATTEMPT_MS = 5_000;

/**
 * Resolves once `endpoint` answers a `ListTables` request, polling until the deadline.
 * Any answer counts, as the question is whether DynamoDB is up, not what it holds.
 *
 * @throws {EngineStartError} when the deadline passes; `cause` is the last attempt's error.
 *
 * @example
 * ```ts
 * await waitForDynamoDb('http://127.0.0.1:8000', { timeoutMs: 60_000 });
 * ```
 */
export async function waitForDynamoDb(
  endpoint: string,
  options: WaitForDynamoDbOptions,
): Promise<void> {
  const { timeoutMs, intervalMs = 100, signal, confirm } = options;
  const deadline = Date.now() + timeoutMs;
  // One attempt per poll: the SDK's own retries would hide how long we have waited.
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  let lastError: unknown;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const attemptSignal = AbortSignal.timeout(Math.min(remaining, MAX_ATTEMPT_MS));
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), {
          abortSignal: signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal,
        });
        if (!confirm || (await confirm())) return;
        lastError = new Error(`${endpoint} answered, but not from the expected server`);
      } catch (error) {
        signal?.throwIfAborted();
        lastError = error;
      }
      const pause = Math.min(intervalMs, deadline - Date.now());
      if (pause > 0) {
        await delay(pause, undefined, signal ? { signal } : undefined).catch(() => {
          // An abort is reported by throwIfAborted at the top of the loop, with its reason.
        });
      }
    }
  } finally {
    client.destroy();
  }
  throw new EngineStartError(
    `DynamoDB at ${endpoint} did not answer within ${timeoutMs} ms: ${describeError(lastError)}`,
    { cause: lastError },
  );
}

/** A one-line description of an error for messages; SDK errors often have an empty message. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message || error.name;
    return code && !text.includes(code) ? `${code}: ${text}` : text;
  }
  return error === undefined ? 'no attempt was made' : String(error);
}
