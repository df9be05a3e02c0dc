/**
 * The bench's network round trip: the test-support fault proxy (`test/support/fault-proxy.ts`)
 * in its latency mode, which holds every request `delayMs` before passing it on, so a local
 * engine answers with something like DynamoDB's in-region round trip (a few milliseconds)
 * and a run's time shows how well it overlaps its requests. One proxy for the tests' faults
 * and the bench's latency; here it keeps no request and parses none (`record: false`, no
 * rules), so it adds little processor time to the bench's own.
 */
import { FaultProxy } from '../test/support/fault-proxy.ts';

export interface LatencyProxy {
  readonly endpoint: string;
  /** Requests forwarded so far. */
  readonly forwarded: () => number;
  stop(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const proxy = await startLatencyProxy(engine.endpoint, 5);
 * const client = createDynamoClient({ endpoint: proxy.endpoint });
 * ```
 */
export const startLatencyProxy = async (target: string, delayMs: number): Promise<LatencyProxy> => {
  const proxy = await new FaultProxy({ target, latencyMs: delayMs, record: false }).start();
  return {
    endpoint: proxy.endpoint,
    forwarded: () => proxy.forwarded,
    stop: () => proxy.stop(),
  };
};
