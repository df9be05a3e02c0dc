import { describe, expect, it } from 'vitest';
import {
  AnswersValidationError,
  TooManyAnswersError,
} from '../../../src/services/answers/errors.ts';
import {
  MAX_ANSWERS_PER_REQUEST,
  validateAnswers,
} from '../../../src/services/answers/validate.ts';

const good = {
  answer_id: 'a-1',
  student_id: 's-1',
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-03-01T08:15:00+08:00',
};

const issuesOf = (body: unknown) => {
  try {
    validateAnswers(body);
  } catch (error) {
    if (error instanceof AnswersValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('validateAnswers', () => {
  it('accepts a valid batch and normalises answered_at to UTC', () => {
    expect(
      validateAnswers({ answers: [good, { ...good, answer_id: 'a-2', duration_ms: 1200 }] }),
    ).toEqual([
      { ...good, answered_at: '2026-03-01T00:15:00.000Z' },
      { ...good, answer_id: 'a-2', answered_at: '2026-03-01T00:15:00.000Z', duration_ms: 1200 },
    ]);
    expect(validateAnswers({ answers: [] })).toEqual([]);
  });

  it('names every bad item with its index and field', () => {
    const issues = issuesOf({
      answers: [
        good,
        { ...good, correct: 'yes' },
        { ...good, answered_at: '2026-03-01 08:15' },
        { student_id: 's-1' },
        { ...good, module_id: 'm#1', answer_id: '', extra: 1, other: 2 },
        { ...good, duration_ms: -1 },
        { ...good, duration_ms: 1.5 },
        'not an answer',
      ],
    });
    const named = issues.map((issue) => `${issue.index}:${issue.field}`);
    expect(named).toEqual([
      '1:correct',
      '2:answered_at',
      '3:answer_id',
      '3:module_id',
      '3:word',
      '3:correct',
      '3:answered_at',
      '4:answer_id',
      '4:module_id',
      '4:extra',
      '4:other',
      '5:duration_ms',
      '6:duration_ms',
      '7:(answer)',
    ]);
    expect(issues.find((i) => i.index === 1)?.message).toBe('must be true or false');
    expect(issues.find((i) => i.index === 3 && i.field === 'word')?.message).toBe('is required');
    expect(issues.find((i) => i.field === 'extra')?.message).toBe('is not a known field');
    expect(issues.find((i) => i.index === 4 && i.field === 'module_id')?.message).toBe(
      'must not contain "#"',
    );
  });

  it('rejects an offset-less or unrepresentable answered_at', () => {
    const fields = (answered_at: string) =>
      issuesOf({ answers: [{ ...good, answered_at }] }).map((i) => i.field);
    expect(fields('2026-03-01T08:15:00')).toEqual(['answered_at']);
    expect(fields('2026-02-30T08:15:00Z')).toEqual(['answered_at']);
    expect(fields('9999-12-31T23:00:00-05:00')).toEqual(['answered_at']); // year 10000 in UTC
  });

  it('rejects ids too long for the sort key', () => {
    expect(issuesOf({ answers: [{ ...good, answer_id: 'a'.repeat(101) }] })[0]).toMatchObject({
      index: 0,
      field: 'answer_id',
      message: 'must be at most 100 characters',
    });
  });

  it('rejects a body that is not an object with an answers array, or has unknown fields', () => {
    expect(issuesOf([good])).toEqual([
      { index: null, field: '(body)', message: 'must be a JSON object with an "answers" array' },
    ]);
    expect(issuesOf({})).toEqual([{ index: null, field: 'answers', message: 'is required' }]);
    expect(issuesOf({ answers: {} })).toEqual([
      { index: null, field: 'answers', message: 'must be an array of answers' },
    ]);
    expect(issuesOf({ answers: [good], dryRun: true })).toEqual([
      { index: null, field: 'dryRun', message: 'is not a known field' },
    ]);
  });

  it(`accepts ${MAX_ANSWERS_PER_REQUEST} answers and refuses one more, naming the limit`, () => {
    const batch = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...good, answer_id: `a-${i}` }));
    expect(validateAnswers({ answers: batch(500) })).toHaveLength(500);
    expect(() => validateAnswers({ answers: batch(501) })).toThrow(TooManyAnswersError);
    expect(() => validateAnswers({ answers: batch(501) })).toThrow(
      'at most 500 answers per request, got 501',
    );
  });
});
