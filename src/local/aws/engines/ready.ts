import { setTimeout as delay } from 'node:timers/promises';
import { dynamoProbe } from '../../../adapters/dynamodb/probe.ts';
import { EngineStartError } from './errors.ts';

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
  const probe = dynamoProbe(endpoint);
  let lastError: unknown;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const attemptSignal = AbortSignal.timeout(Math.min(remaining, MAX_ATTEMPT_MS));
      try {
        await probe.ping(signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal);
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
    probe.close();
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
