import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { describeIssues, zodIssues } from '../../src/lib/zod-issues.ts';

const errorOf = (schema: z.ZodType, value: unknown): z.ZodError => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the parse to fail');
  return result.error;
};

describe('zodIssues', () => {
  it('gives each issue a dotted path, empty for the value itself', () => {
    const schema = z.object({ a: z.object({ b: z.array(z.number()) }) });
    expect(zodIssues(errorOf(schema, { a: { b: [1, 'x'] } }))).toEqual([
      { path: 'a.b.1', message: expect.any(String) },
    ]);
    expect(zodIssues(errorOf(z.string(), 1))).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('keeps a schema’s own message', () => {
    expect(zodIssues(errorOf(z.object({ n: z.number().min(1, 'too small') }), { n: 0 }))).toEqual([
      { path: 'n', message: 'too small' },
    ]);
  });

  it('names every unknown key of a strict object at its own path', () => {
    const schema = z.strictObject({ inner: z.strictObject({ n: z.number() }) });
    expect(zodIssues(errorOf(schema, { extra: 1, inner: { n: 1, x: 1, y: 2 } }))).toEqual(
      expect.arrayContaining([
        { path: 'extra', message: 'is not a known field' },
        { path: 'inner.x', message: 'is not a known field' },
        { path: 'inner.y', message: 'is not a known field' },
      ]),
    );
  });

  it('survives a symbol in a path', () => {
    const key = Symbol('k');
    const error = new z.ZodError([{ code: 'custom', path: [key, 0], message: 'bad', input: 1 }]);
    expect(zodIssues(error)).toEqual([{ path: 'Symbol(k).0', message: 'bad' }]);
  });
});

describe('describeIssues', () => {
  it('is one line, the value itself named by root', () => {
    expect(
      describeIssues(
        [
          { path: '', message: 'must be an object' },
          { path: 'a.b', message: 'is required' },
        ],
        '(event)',
      ),
    ).toBe('(event): must be an object; a.b: is required');
  });

  it('is empty without issues', () => {
    expect(describeIssues([], '(event)')).toBe('');
  });
});
