import { describe, expect, it } from 'vitest';
import { type ReadProgress, readPages } from '../../src/services/read-pages.ts';

async function* pagesOf<T>(...pages: T[][]) {
  for (const page of pages) yield page;
}

describe('readPages', () => {
  it('hands on every item in order, counts them and reports each page, then done', async () => {
    const seen: string[] = [];
    const events: ReadProgress[] = [];
    const read = await readPages(
      'students',
      pagesOf(['a', 'b'], [], ['c']),
      (item) => seen.push(item),
      (event) => events.push(event),
    );
    expect(read).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(events.map((e) => [e.items, e.done])).toEqual([
      [2, false],
      [2, false],
      [3, false],
      [3, true],
    ]);
    expect(new Set(events.map((e) => `${e.phase}:${e.table}`))).toEqual(new Set(['read:students']));
  });

  it('reports an empty table as done with no items', async () => {
    const events: ReadProgress[] = [];
    expect(
      await readPages(
        'groups',
        pagesOf(),
        () => {},
        (e) => events.push(e),
      ),
    ).toBe(0);
    expect(events).toEqual([{ phase: 'read', table: 'groups', items: 0, done: true }]);
  });
});
