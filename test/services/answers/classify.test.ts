import { describe, expect, it } from 'vitest';
import { classifyAnswers } from '../../../src/services/answers/classify.ts';
import type { ValidAnswer } from '../../../src/services/answers/validate.ts';

const answer = (answerId: string, overrides: Partial<ValidAnswer> = {}): ValidAnswer => ({
  answer_id: answerId,
  student_id: 's-1',
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-03-01T00:00:00.000Z',
  ...overrides,
});

const stored = (a: ValidAnswer) => ({ ...a, answer_key: `${a.module_id}#${a.answer_id}` });

describe('classifyAnswers', () => {
  it('sorts a batch into new answers and duplicates of stored ones', () => {
    const result = classifyAnswers(
      [answer('a-1'), answer('a-2'), answer('a-3')],
      [stored(answer('a-2'))],
    );
    expect(result.fresh.map((a) => a.answer_id)).toEqual(['a-1', 'a-3']);
    expect(result.duplicates).toBe(1);
    expect(result.conflicts).toEqual([]);
  });

  it('reports a stored identity with different content as a conflict', () => {
    const result = classifyAnswers(
      [answer('a-1'), answer('a-2', { correct: false })],
      [stored(answer('a-2'))],
    );
    expect(result.conflicts).toEqual([
      { index: 1, student_id: 's-1', module_id: 'm-1', answer_id: 'a-2', conflicting_index: null },
    ]);
  });

  it('counts a repeat within the batch as a duplicate, or a conflict if it differs', () => {
    const result = classifyAnswers(
      [answer('a-1'), answer('a-1'), answer('a-1', { word: 'pear' })],
      [],
    );
    expect(result.fresh).toHaveLength(1);
    expect(result.duplicates).toBe(1);
    expect(result.conflicts).toEqual([
      { index: 2, student_id: 's-1', module_id: 'm-1', answer_id: 'a-1', conflicting_index: 0 },
    ]);
  });

  it('keeps identities apart by student and by module', () => {
    const result = classifyAnswers(
      [answer('a-1'), answer('a-1', { student_id: 's-2' }), answer('a-1', { module_id: 'm-2' })],
      [stored(answer('a-1', { student_id: 's-2', correct: false }))],
    );
    expect(result.fresh.map((a) => `${a.student_id}/${a.module_id}`)).toEqual([
      's-1/m-1',
      's-1/m-2',
    ]);
    expect(result.conflicts.map((c) => c.index)).toEqual([1]);
  });
});
