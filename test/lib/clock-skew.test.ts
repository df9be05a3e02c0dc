import { describe, expect, it } from 'vitest';
import { assertClockAgrees, leastSkewMs, MAX_CLOCK_SKEW_MS } from '../../src/lib/clock-skew.ts';

describe('leastSkewMs', () => {
  it("allows for the Date header's whole seconds and the request's time on the wire", () => {
    // The server wrote 10:00:00 (true time in [0, 1000)); the local clock read 500..700.
    expect(leastSkewMs({ sentAt: 500, receivedAt: 700, server: 0 })).toBe(0);
    expect(leastSkewMs({ sentAt: 7_000, receivedAt: 7_100, server: 0 })).toBe(6_000);
    expect(leastSkewMs({ sentAt: -9_000, receivedAt: -8_000, server: 0 })).toBe(-8_000);
  });
});

describe('assertClockAgrees', () => {
  it(`passes up to ${MAX_CLOCK_SKEW_MS} ms either way, refuses beyond, and refuses without a Date`, () => {
    const at = (sentAt: number) => ({ sentAt, receivedAt: sentAt + 50, server: 0 });
    expect(() => assertClockAgrees(at(1_000 + MAX_CLOCK_SKEW_MS), 'x')).not.toThrow();
    expect(() => assertClockAgrees(at(1_001 + MAX_CLOCK_SKEW_MS), 'x')).toThrow(/ahead of AWS's/);
    expect(() => assertClockAgrees(at(-MAX_CLOCK_SKEW_MS - 50), 'x')).not.toThrow();
    expect(() => assertClockAgrees(at(-MAX_CLOCK_SKEW_MS - 51), 'x')).toThrow(/behind AWS's/);
    expect(() => assertClockAgrees(undefined, 'x')).toThrow(/no Date header/);
  });
});
