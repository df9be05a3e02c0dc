/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): the delay before retry n is uniform in [0, min(cap, base * 2^n)]. The SDK's
 * own retry strategy covers throttled requests, not the unprocessed part of a successful
 * batch response, which is what this is for; the formula is three lines, not worth a
 * dependency.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Injectable for tests and benchmarks. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * @example
 * ```ts
 * backoffDelay(defaultRetryPolicy, 3); // somewhere in [0, 400] ms
 * ```
 */
export const backoffDelay = (policy: RetryPolicy, retry: number): number =>
  Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
