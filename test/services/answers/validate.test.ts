import { describe, expect, it } from 'vitest';
import { MAX_ANSWERS_PER_REQUEST } from '../../../src/domain/answers/limits.ts';
import {
  AnswersValidationError,
  TooManyAnswersError,
} from '../../../src/services/answers/errors.ts';
import { validateAnswers } from '../../../src/services/answers/validate.ts';

/** The server's clock of these tests. */
const NOW = new Date('2026-03-05T00:00:00.000Z');

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
    validateAnswers(body, NOW);
  } catch (error) {
    if (error instanceof AnswersValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('validateAnswers', () => {
  it('accepts a valid batch and normalises answered_at to UTC', () => {
    expect(
      validateAnswers({ answers: [good, { ...good, answer_id: 'a-2', duration_ms: 1200 }] }, NOW),
    ).toEqual([
      { ...good, answered_at: '2026-03-01T00:15:00.000Z' },
      { ...good, answer_id: 'a-2', answered_at: '2026-03-01T00:15:00.000Z', duration_ms: 1200 },
    ]);
    expect(validateAnswers({ answers: [] }, NOW)).toEqual([]);
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

  it('answers a malformed answered_at with an issue, never an exception', () => {
    // Each of these once reached `toISOString()` on an invalid date (a RangeError, a 500).
    for (const answered_at of [
      'yesterday',
      '',
      '2026-13-45T10:00:00Z',
      '2026-03-01T10:60:00Z',
      '2026-03-01T10:00:60Z',
      '2026-03-01T10:00:00+24:00',
      '2026-03-01T24:00:00Z',
      '2026-03-01T10:00:00+0800',
    ]) {
      expect(issuesOf({ answers: [{ ...good, answered_at }] }), answered_at).toEqual([
        {
          index: 0,
          field: 'answered_at',
          message:
            'must be an ISO-8601 date-time with Z or an offset, such as 2026-03-01T08:15:00+08:00',
        },
      ]);
    }
  });

  it('refuses an answered_at outside the window: before 2000, or over a day ahead of the clock', () => {
    const message = (answered_at: string) =>
      issuesOf({ answers: [{ ...good, answered_at }] }).map((i) => `${i.field}: ${i.message}`);
    expect(message('1999-12-31T23:59:59.999Z')).toEqual([
      'answered_at: must not be before 2000-01-01T00:00:00.000Z',
    ]);
    // 2000-01-01T07:59:59+08:00 is still 1999 in UTC
    expect(message('2000-01-01T07:59:59+08:00')).toHaveLength(1);
    const ahead = [
      "answered_at: must not be more than one day after the server's clock (at most 2026-03-06T00:00:00.000Z)",
    ];
    expect(message('2026-03-06T00:00:00.001Z')).toEqual(ahead);
    expect(message('2030-01-01T00:00:00Z')).toEqual(ahead);
    expect(message('9999-12-31T00:00:00Z')).toEqual(ahead);
    // the edges themselves are inside
    const at = (answered_at: string) =>
      validateAnswers({ answers: [{ ...good, answered_at }] }, NOW)[0]?.answered_at;
    expect(at('2000-01-01T00:00:00Z')).toBe('2000-01-01T00:00:00.000Z');
    expect(at('2026-03-06T08:00:00+08:00')).toBe('2026-03-06T00:00:00.000Z');
    // the clock is the one given, not the machine's
    expect(
      validateAnswers(
        { answers: [{ ...good, answered_at: '2031-01-01T00:00:00Z' }] },
        new Date('2031-01-01T00:00:00Z'),
      ),
    ).toHaveLength(1);
  });

  it('refuses ids and words that are not well-formed Unicode, hold control characters or blanks at an end', () => {
    const lone = '\ud83d';
    const cases: [field: string, value: string, message: string][] = [
      ['answer_id', `a${lone}`, 'must be well-formed Unicode (a lone UTF-16 surrogate is not)'],
      ['student_id', '\udc00', 'must be well-formed Unicode (a lone UTF-16 surrogate is not)'],
      ['module_id', `m-1${lone}`, 'must be well-formed Unicode (a lone UTF-16 surrogate is not)'],
      ['word', `apple${lone}`, 'must be well-formed Unicode (a lone UTF-16 surrogate is not)'],
      ['answer_id', 'a\u0000', 'must not contain control characters'],
      ['word', 'app\nle', 'must not contain control characters'],
      ['student_id', 's-1\u007f', 'must not contain control characters'],
      ['student_id', ' s-1', 'must not start or end with whitespace'],
      ['word', 'apple\u00a0', 'must not start or end with whitespace'],
      ['answer_id', '   ', 'must not start or end with whitespace'],
    ];
    for (const [field, value, expected] of cases) {
      expect(
        issuesOf({ answers: [{ ...good, [field]: value }] }).map((i) => `${i.field}: ${i.message}`),
        JSON.stringify(value),
      ).toEqual([`${field}: ${expected}`]);
    }
    // a well-formed pair, inner spaces and non-Latin text are fine
    const fine = { ...good, word: 'ice cream 🍦', student_id: '学生-1', answer_id: 'é-😀' };
    expect(validateAnswers({ answers: [fine] }, NOW)).toHaveLength(1);
  });

  it('refuses a duration over a day, a huge number or a float', () => {
    for (const duration_ms of [86_400_001, 1e300, Number.MAX_SAFE_INTEGER + 2, 0.5]) {
      const fields = issuesOf({ answers: [{ ...good, duration_ms }] }).map((i) => i.field);
      expect(new Set(fields), String(duration_ms)).toEqual(new Set(['duration_ms']));
    }
    expect(validateAnswers({ answers: [{ ...good, duration_ms: 86_400_000 }] }, NOW)).toHaveLength(
      1,
    );
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
    expect(validateAnswers({ answers: batch(500) }, NOW)).toHaveLength(500);
    expect(() => validateAnswers({ answers: batch(501) }, NOW)).toThrow(TooManyAnswersError);
    expect(() => validateAnswers({ answers: batch(501) }, NOW)).toThrow(
      'at most 500 answers per request, got 501',
    );
  });
});
