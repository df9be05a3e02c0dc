import { describe, expect, it } from 'vitest';
import { sameFigures, sameValue } from '../../../src/domain/progress/same-figures.ts';

describe('sameFigures', () => {
  it('ignores updated_at, key order and attributes the computation does not produce', () => {
    const computed = { student_id: 's-1', daily: { a: { attempts: 1, correct: 0 } }, x: null };
    expect(
      sameFigures(
        {
          x: null,
          daily: { a: { correct: 0, attempts: 1 } },
          student_id: 's-1',
          updated_at: 'then',
          extra: 1,
        },
        { ...computed, updated_at: 'now' },
      ),
    ).toBe(true);
  });

  it('sees any changed, missing or extra nested value', () => {
    const computed = { daily: { a: { attempts: 1, correct: 0 } }, list: [1, 2], n: null };
    expect(sameFigures(undefined, computed)).toBe(false);
    expect(sameFigures({ ...computed, n: 0 }, computed)).toBe(false);
    expect(sameFigures({ ...computed, list: [2, 1] }, computed)).toBe(false);
    expect(sameFigures({ ...computed, daily: {} }, computed)).toBe(false);
    expect(
      sameFigures(
        { ...computed, daily: { a: { attempts: 1, correct: 0 }, b: { attempts: 1, correct: 1 } } },
        computed,
      ),
    ).toBe(false);
    expect(sameFigures({ list: [1, 2], n: null }, computed)).toBe(false);
  });

  it('compares values structurally', () => {
    expect(sameValue([{ a: 1 }], [{ a: 1 }])).toBe(true);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(null, {})).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
  });
});
