import { describe, expect, it } from 'vitest';
import { isMastered, MASTERY_STREAK } from '../../src/domain/mastery.ts';

const attempts = (...results: boolean[]) => results.map((correct) => ({ correct }));

describe('isMastered', () => {
  it('needs the three most recent attempts all correct', () => {
    expect(MASTERY_STREAK).toBe(3);
    expect(isMastered(attempts(true, true, true))).toBe(true);
    expect(isMastered(attempts(false, false, true, true, true))).toBe(true);
    expect(isMastered(attempts(true, true, true, false))).toBe(false);
    expect(isMastered(attempts(true, false, true, true))).toBe(false);
  });

  it('is never reached with fewer than three attempts', () => {
    expect(isMastered(attempts())).toBe(false);
    expect(isMastered(attempts(true, true))).toBe(false);
  });
});
