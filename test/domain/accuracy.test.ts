import { describe, expect, it } from 'vitest';
import { accuracy } from '../../src/domain/accuracy.ts';

describe('accuracy', () => {
  it('is correct / attempts, and null without attempts', () => {
    expect(accuracy(3, 4)).toBe(0.75);
    expect(accuracy(0, 4)).toBe(0);
    expect(accuracy(0, 0)).toBeNull();
  });
});
