import { describe, expect, it } from 'vitest';
import { textKey } from '../../src/lib/text-key.ts';

describe('textKey', () => {
  it('tells apart tuples that a separator would join into one string', () => {
    expect(textKey(['a:b', 'c'])).not.toBe(textKey(['a', 'b:c']));
    expect(textKey(['a#b', 'c'])).not.toBe(textKey(['a', 'b#c']));
    expect(textKey(['1:a', ''])).not.toBe(textKey(['', '1:a']));
    expect(textKey(['ab'])).not.toBe(textKey(['a', 'b']));
  });

  it('gives one string for equal tuples', () => {
    expect(textKey(['s-1', 'm-1#a-1'])).toBe(textKey(['s-1', 'm-1#a-1']));
    expect(textKey(['s-1', 'm-1#a-1'])).toBe('3:s-17:m-1#a-1');
  });

  it('is injective over many random tuples of short strings over a small alphabet', () => {
    const alphabet = ['a', '1', ':', '#', ''];
    const seen = new Map<string, string>();
    for (const x of alphabet)
      for (const y of alphabet)
        for (const z of alphabet)
          for (const w of alphabet) {
            const tuple = [x + y, z + w];
            const key = textKey(tuple);
            const earlier = seen.get(key);
            if (earlier !== undefined) expect(earlier).toBe(JSON.stringify(tuple));
            seen.set(key, JSON.stringify(tuple));
          }
  });
});
