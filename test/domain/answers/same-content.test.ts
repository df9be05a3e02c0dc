import { describe, expect, it } from 'vitest';
import { sameAnswerContent } from '../../../src/domain/answers/same-content.ts';

const base = {
  word: 'apple',
  correct: true,
  answered_at: '2026-03-01T00:00:00.000Z',
  duration_ms: 900,
};

describe('sameAnswerContent', () => {
  it('compares answered_at as an instant', () => {
    expect(sameAnswerContent(base, { ...base, answered_at: '2026-03-01T08:00:00+08:00' })).toBe(
      true,
    );
    expect(sameAnswerContent(base, { ...base, answered_at: '2026-03-01T00:00:00.001Z' })).toBe(
      false,
    );
  });

  it('differs in word, correctness or duration, including a duration left out', () => {
    expect(sameAnswerContent(base, { ...base, word: 'Apple' })).toBe(false);
    expect(sameAnswerContent(base, { ...base, correct: false })).toBe(false);
    expect(sameAnswerContent(base, { ...base, duration_ms: 901 })).toBe(false);
    const { duration_ms: _, ...withoutDuration } = base;
    expect(sameAnswerContent(base, withoutDuration)).toBe(false);
    expect(sameAnswerContent(withoutDuration, { ...withoutDuration, duration_ms: undefined })).toBe(
      true,
    );
  });
});
