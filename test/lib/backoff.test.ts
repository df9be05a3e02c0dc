import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from '../../src/lib/backoff.ts';

const policy = (random: () => number, overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  ...defaultRetryPolicy,
  baseDelayMs: 50,
  maxDelayMs: 1_000,
  sleep: async () => {},
  random,
  ...overrides,
});

describe('backoffDelay', () => {
  it('doubles the upper bound per retry with random() = 1', () => {
    const p = policy(() => 1);
    expect([0, 1, 2, 3, 4].map((retry) => backoffDelay(p, retry))).toEqual([
      50, 100, 200, 400, 800,
    ]);
  });

  it('caps the delay at maxDelayMs', () => {
    const p = policy(() => 1);
    expect(backoffDelay(p, 5)).toBe(1_000);
    expect(backoffDelay(p, 20)).toBe(1_000);
    // 2 ** 2000 is Infinity: still the cap, not Infinity or NaN.
    expect(backoffDelay(p, 2_000)).toBe(1_000);
  });

  it('is 0 with random() = 0', () => {
    const p = policy(() => 0);
    for (const retry of [0, 1, 5, 50]) expect(backoffDelay(p, retry)).toBe(0);
  });

  it('scales with random() (full jitter) and returns whole milliseconds', () => {
    expect(
      backoffDelay(
        policy(() => 0.5),
        3,
      ),
    ).toBe(200);
    expect(
      backoffDelay(
        policy(() => 0.333),
        0,
      ),
    ).toBe(16);
  });

  it('stays within [0, min(cap, base * 2^retry)] for the default policy', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const p: RetryPolicy = { ...defaultRetryPolicy, random };
    for (let retry = 0; retry < 30; retry++) {
      for (let i = 0; i < 20; i++) {
        const delay = backoffDelay(p, retry);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** retry));
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('has sensible defaults', () => {
    expect(defaultRetryPolicy.maxAttempts).toBeGreaterThan(1);
    expect(defaultRetryPolicy.baseDelayMs).toBeGreaterThan(0);
    expect(defaultRetryPolicy.maxDelayMs).toBeGreaterThanOrEqual(defaultRetryPolicy.baseDelayMs);
  });
});
