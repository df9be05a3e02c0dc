import { describe, expect, it } from 'vitest';
import { median } from '../../src/domain/median.ts';

describe('median', () => {
  it('is the middle value of an odd count, whatever the input order', () => {
    expect(median([300, 100, 200])).toBe(200);
    expect(median([7])).toBe(7);
  });

  it('is the mean of the two middle values of an even count, sorted numerically', () => {
    expect(median([1000, 100, 400, 200])).toBe(300);
    expect(median([800, 1200])).toBe(1000);
    expect(median([1, 2])).toBe(1.5);
  });

  it('is null for no values', () => {
    expect(median([])).toBeNull();
  });
});
