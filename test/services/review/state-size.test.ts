/**
 * The state's size with the cards: a word answered every day for ten years stays well under
 * DynamoDB's 400 KB item (the figure docs/review.md quotes).
 */
import { describe, expect, it } from 'vitest';
import type { WordMemory } from '../../../src/domain/review/memory.ts';
import { foldIntoMemory } from '../../../src/domain/review/memory.ts';
import { itemBytes, MAX_ITEM_BYTES } from '../../../src/lib/item-size.ts';
import { storedWord } from '../../../src/services/aggregates/fold/parts.ts';
import { createFsrsModel } from '../../../src/services/review/memory-model.ts';

const model = createFsrsModel(0.9);
const DAYS = 3650;

const wordPartAfter = (days: number, answerId: (day: number) => string) => {
  let memory: WordMemory | undefined;
  const start = Date.parse('2026-01-01T01:00:00.000Z');
  for (let day = 0; day < days; day += 1) {
    memory = foldIntoMemory(
      model,
      memory,
      {
        answer_id: answerId(day),
        module_id: 'm-001',
        correct: day % 5 !== 0,
        answered_at: new Date(start + day * 86_400_000 + (day % 7) * 3_600_000).toISOString(),
      },
      'Asia/Shanghai',
    );
  }
  return storedWord(
    's-000001',
    'butterfly',
    { attempts: days, correct: days, recent: [], ...(memory === undefined ? {} : { memory }) },
    { practised: 1, mastered: 1 },
    { folded_to: '2036-01-01T00:00:00.000Z#m-001#a-9999999', root_version: 99 },
  );
};

describe("a word part's size", () => {
  it('stays well under the item limit for a word answered daily for ten years', () => {
    // The seed's ids (`a-00001`); a client's UUIDs are the worst case of this system.
    const seedIds = itemBytes(wordPartAfter(DAYS, (day) => `a-${String(day).padStart(5, '0')}`));
    const uuids = itemBytes(
      wordPartAfter(DAYS, (day) => `7f1c2d3e-4b5a-4c6d-8e9f-${String(day).padStart(12, '0')}`),
    );
    expect(seedIds).toBeLessThan(MAX_ITEM_BYTES / 4);
    expect(uuids).toBeLessThan(MAX_ITEM_BYTES / 2);
    // Per word-day: the packed review (8-9 base-36 characters, the sign, the id) and one byte.
    const perDay = (seedIds - itemBytes(wordPartAfter(1, () => 'a-00000'))) / (DAYS - 1);
    expect(perDay).toBeGreaterThan(15);
    expect(perDay).toBeLessThan(18);
  });
});
