import { describe, expect, it } from 'vitest';
import { chooseAccessPath, definedEntries } from '../../src/repositories/access-path.ts';
import { InvalidRequestError, ScanRequiredError } from '../../src/repositories/errors.ts';
import { tables } from '../../src/tables/definitions.ts';

describe('chooseAccessPath: table key', () => {
  it('reads one item with the full key', () => {
    expect(chooseAccessPath(tables.students, { id: 's-1' })).toEqual({
      kind: 'get',
      key: { id: 's-1' },
    });
    expect(chooseAccessPath(tables.answers, { student_id: 's-1', answer_key: 'm-01#a-1' })).toEqual(
      { kind: 'get', key: { student_id: 's-1', answer_key: 'm-01#a-1' } },
    );
  });

  it('a full key read may be consistent', () => {
    expect(chooseAccessPath(tables.students, { id: 's-1' }, { consistent: true }).kind).toBe('get');
  });

  it('queries the table with a filter when the partition key comes with other attributes', () => {
    expect(
      chooseAccessPath(tables.students, { id: 's-1', class_code: 'c-1', name: 'Ann' }),
    ).toEqual({
      kind: 'query',
      index: undefined,
      partition: { attribute: 'id', value: 's-1' },
      sort: undefined,
      filter: { class_code: 'c-1', name: 'Ann' },
    });
  });

  it('prefers the table key over an index when both are given', () => {
    const path = chooseAccessPath(tables.classes, { code: 'c-1', teacher_id: 't-1' });
    expect(path).toMatchObject({ kind: 'query', index: undefined, filter: { teacher_id: 't-1' } });
  });

  it('queries answers by student with only the partition key', () => {
    expect(chooseAccessPath(tables.answers, { student_id: 's-1' })).toEqual({
      kind: 'query',
      index: undefined,
      partition: { attribute: 'student_id', value: 's-1' },
      sort: undefined,
      filter: {},
    });
  });

  it('turns a sort key in the filter with other attributes into an equals condition', () => {
    expect(
      chooseAccessPath(tables.answers, { student_id: 's-1', answer_key: 'm#a', correct: true }),
    ).toEqual({
      kind: 'query',
      index: undefined,
      partition: { attribute: 'student_id', value: 's-1' },
      sort: { attribute: 'answer_key', condition: { equals: 'm#a' } },
      filter: { correct: true },
    });
  });

  it('queries with the sortKey option as the sort condition', () => {
    expect(
      chooseAccessPath(tables.answers, { student_id: 's-1' }, { sortKey: { beginsWith: 'm-01#' } }),
    ).toEqual({
      kind: 'query',
      index: undefined,
      partition: { attribute: 'student_id', value: 's-1' },
      sort: { attribute: 'answer_key', condition: { beginsWith: 'm-01#' } },
      filter: {},
    });
    const between = chooseAccessPath(
      tables.answers,
      { student_id: 's-1', word: 'apple' },
      { sortKey: { between: ['a', 'b'] }, consistent: true },
    );
    expect(between).toMatchObject({
      kind: 'query',
      sort: { attribute: 'answer_key', condition: { between: ['a', 'b'] } },
      filter: { word: 'apple' },
    });
  });

  it('rejects the sort key both in the filter and in sortKey', () => {
    expect(() =>
      chooseAccessPath(
        tables.answers,
        { student_id: 's-1', answer_key: 'x' },
        { sortKey: { gte: 'a' } },
      ),
    ).toThrow(InvalidRequestError);
  });

  it('rejects sortKey on a table without a sort key', () => {
    expect(() =>
      chooseAccessPath(tables.students, { id: 's-1' }, { sortKey: { beginsWith: 'x' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: expect.stringMatching(/students has no sort key/),
      }),
    );
  });

  it('rejects sortKey without the partition key', () => {
    expect(() =>
      chooseAccessPath(tables.answers, { word: 'apple' }, { sortKey: { beginsWith: 'm#' } }),
    ).toThrow(InvalidRequestError);
    expect(() =>
      chooseAccessPath(tables.answers, {}, { sortKey: { beginsWith: 'm#' }, scan: true }),
    ).toThrow(/student_id/);
  });

  it('rejects sortKey on an index without a sort key', () => {
    expect(() =>
      chooseAccessPath(tables.students, { class_code: 'c-1' }, { sortKey: { lte: 'x' } }),
    ).toThrow(InvalidRequestError);
  });
});

describe('chooseAccessPath: indexes', () => {
  it('queries the index of an indexed attribute', () => {
    expect(chooseAccessPath(tables.students, { class_code: 'c-1', name: 'Ann' })).toEqual({
      kind: 'query',
      index: { name: 'class_code', partitionKey: 'class_code' },
      partition: { attribute: 'class_code', value: 'c-1' },
      sort: undefined,
      filter: { name: 'Ann' },
    });
  });

  it('uses the first matching index in definition order', () => {
    const both = chooseAccessPath(tables.classes, { school_code: 'sc-1', teacher_id: 't-1' });
    expect(both).toMatchObject({
      kind: 'query',
      index: { name: 'teacher_id' },
      partition: { attribute: 'teacher_id', value: 't-1' },
      filter: { school_code: 'sc-1' },
    });
    const second = chooseAccessPath(tables.classes, { school_code: 'sc-1' });
    expect(second).toMatchObject({ kind: 'query', index: { name: 'school_code' }, filter: {} });
  });

  it('skips an index whose attribute is undefined', () => {
    const path = chooseAccessPath(tables.classes, { teacher_id: undefined, school_code: 'sc-1' });
    expect(path).toMatchObject({ kind: 'query', index: { name: 'school_code' }, filter: {} });
  });

  it('rejects a consistent read on an index', () => {
    expect(() =>
      chooseAccessPath(tables.students, { class_code: 'c-1' }, { consistent: true }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('class_code'),
      }),
    );
  });
});

describe('chooseAccessPath: scans', () => {
  it('requires scan: true when no key or indexed attribute is named', () => {
    let error: unknown;
    try {
      chooseAccessPath(tables.classes, { name: 'Blue', level: 2 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScanRequiredError);
    const scanError = error as ScanRequiredError;
    expect(scanError.code).toBe('SCAN_REQUIRED');
    expect(scanError.message).toContain('code, teacher_id, school_code');
    expect(scanError.message).toContain('name, level');
    expect(scanError.message).toContain('scan: true');
  });

  it('requires scan: true for an empty filter', () => {
    expect(() => chooseAccessPath(tables.groups, {})).toThrow(ScanRequiredError);
  });

  it('scans when asked', () => {
    expect(chooseAccessPath(tables.classes, { name: 'Blue' }, { scan: true })).toEqual({
      kind: 'scan',
      filter: { name: 'Blue' },
    });
    expect(chooseAccessPath(tables.groups, {}, { scan: true })).toEqual({
      kind: 'scan',
      filter: {},
    });
  });

  it('still uses a key or an index when scan is allowed', () => {
    expect(chooseAccessPath(tables.students, { id: 's-1' }, { scan: true }).kind).toBe('get');
    expect(chooseAccessPath(tables.students, { class_code: 'c' }, { scan: true }).kind).toBe(
      'query',
    );
  });

  it('a sort key alone does not make a query', () => {
    expect(() => chooseAccessPath(tables.answers, { answer_key: 'm#a' })).toThrow(
      ScanRequiredError,
    );
  });
});

describe('chooseAccessPath: filter values', () => {
  it('ignores undefined values', () => {
    expect(chooseAccessPath(tables.students, { id: 's-1', class_code: undefined })).toEqual({
      kind: 'get',
      key: { id: 's-1' },
    });
    expect(() => chooseAccessPath(tables.students, { id: undefined })).toThrow(ScanRequiredError);
  });

  it('keeps falsy scalar values', () => {
    expect(chooseAccessPath(tables.classes, { level: 0, name: '' }, { scan: true })).toEqual({
      kind: 'scan',
      filter: { level: 0, name: '' },
    });
  });

  it.each([null, ['a'], { a: 1 }, new Set(['a'])])('rejects the non-scalar value %j', (value) => {
    expect(() => chooseAccessPath(tables.students, { id: 's', parent_ids: value })).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('parent_ids'),
      }),
    );
  });

  it('definedEntries drops undefined and keeps scalars', () => {
    expect(definedEntries({ a: 'x', b: undefined, c: 1, d: false })).toEqual({
      a: 'x',
      c: 1,
      d: false,
    });
  });
});
