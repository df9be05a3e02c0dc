import { describe, expect, it } from 'vitest';
import { compareByNameThenId, compareCodeUnits } from '../../src/domain/ordering.ts';

describe('ordering', () => {
  it('compares by UTF-16 code units, not by locale', () => {
    expect(['b', 'Émile', 'a', 'B', 'Zoe'].sort(compareCodeUnits)).toEqual([
      'B',
      'Zoe',
      'a',
      'b',
      'Émile',
    ]);
  });

  it('orders by name, then id', () => {
    const people = [
      { id: 's-3', name: 'Ann' },
      { id: 's-1', name: 'ann' },
      { id: 's-2', name: 'Ann' },
      { id: 's-0', name: 'Bob' },
    ];
    expect(people.sort(compareByNameThenId).map((p) => p.id)).toEqual(['s-2', 's-3', 's-0', 's-1']);
  });
});
