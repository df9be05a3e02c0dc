import { describe, expect, it } from 'vitest';
import { classSchema, studentSchema } from '../../src/entities/organisation.ts';
import { EntityCodec } from '../../src/repositories/codec.ts';
import { codecFor } from '../../src/repositories/db.ts';
import {
  InvalidItemError,
  InvalidRequestError,
  InvalidStoredItemError,
} from '../../src/repositories/errors.ts';
import { tables } from '../../src/tables/definitions.ts';

const catchError = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

const answer = {
  student_id: 's-1',
  answer_key: 'm-01#a-1',
  answer_id: 'a-1',
  module_id: 'm-01',
  word: 'apple',
  correct: true,
  answered_at: '2024-05-01T10:00:00.000Z',
  recorded_at: '2024-05-01T10:00:01.000Z',
};

describe('EntityCodec.keyOf', () => {
  it('picks the partition key, and the sort key when the table has one', () => {
    expect(codecFor('students').keyOf({ id: 's-1', name: 'Ann' })).toEqual({ id: 's-1' });
    expect(codecFor('answers').keyOf(answer)).toEqual({
      student_id: 's-1',
      answer_key: 'm-01#a-1',
    });
  });
});

describe('EntityCodec.decode', () => {
  it('returns the typed item and keeps extra attributes', () => {
    const student = codecFor('students').decode({
      id: 's-1',
      name: 'Ann',
      class_code: 'c-1',
      parent_ids: ['p-1'],
      nickname: 'Annie',
    });
    expect(student).toEqual({
      id: 's-1',
      name: 'Ann',
      class_code: 'c-1',
      parent_ids: ['p-1'],
      nickname: 'Annie',
    });
    const name: string = student.name;
    expect(name).toBe('Ann');
  });

  it('reads parent_ids stored as a string set as an array, and a missing list as []', () => {
    const codec = codecFor('students');
    const fromSet = codec.decode({ id: 's-1', name: 'Ann', parent_ids: new Set(['p-2', 'p-1']) });
    expect(fromSet.parent_ids).toEqual(['p-2', 'p-1']);
    expect(Array.isArray(fromSet.parent_ids)).toBe(true);
    expect(codec.decode({ id: 's-1', name: 'Ann' }).parent_ids).toEqual([]);
  });

  it('reports an invalid item with table, key and issue paths', () => {
    const error = catchError(() =>
      codecFor('classes').decode({ code: 'c-1', name: 42, stats: { students: -1 } }),
    );
    expect(error).toBeInstanceOf(InvalidStoredItemError);
    const invalid = error as InvalidStoredItemError;
    expect(invalid.code).toBe('INVALID_STORED_ITEM');
    expect(invalid.table).toBe('classes');
    expect(invalid.key).toEqual({ code: 'c-1' });
    expect(invalid.issues.map((issue) => issue.path).sort()).toEqual(['name', 'stats.students']);
    expect(invalid.message).toContain('classes');
    expect(invalid.message).toContain('"c-1"');
    expect(invalid.message).toContain('stats.students');
  });

  it('reports a composite key and a missing required attribute', () => {
    const { correct: _, ...withoutCorrect } = answer;
    const error = catchError(() => codecFor('answers').decode(withoutCorrect));
    expect(error).toMatchObject({
      code: 'INVALID_STORED_ITEM',
      table: 'answers',
      key: { student_id: 's-1', answer_key: 'm-01#a-1' },
      issues: [expect.objectContaining({ path: 'correct' })],
    });
  });

  it('leaves out an entry of parent_ids that is not an id, keeping the record readable', () => {
    // An empty string (or a number) links to nothing; the other links still hold.
    expect(
      codecFor('students').decode({ id: 's-1', name: 'Ann', parent_ids: ['p-1', '', 7, 'p-2'] }),
    ).toMatchObject({ parent_ids: ['p-1', 'p-2'] });
    expect(
      codecFor('parents').decode({ id: 'p-1', name: 'Pat', student_ids: new Set(['', 's-1']) }),
    ).toMatchObject({ student_ids: ['s-1'] });
    const error = catchError(() =>
      codecFor('students').decode({ id: 's-1', name: 'Ann', parent_ids: 'p-1' }),
    );
    expect(error).toMatchObject({ issues: [expect.objectContaining({ path: 'parent_ids' })] });
  });
});

describe('EntityCodec.decodeProjected', () => {
  it('validates only the projected attributes', () => {
    const codec = codecFor('students');
    // `name` is required but not projected: its absence is fine.
    expect(codec.decodeProjected({ id: 's-1', class_code: 'c-1' }, ['id', 'class_code'])).toEqual({
      id: 's-1',
      class_code: 'c-1',
    });
    expect(() => codec.decodeProjected({ id: 's-1' }, ['id', 'name'])).toThrow(
      InvalidStoredItemError,
    );
    const error = catchError(() => codec.decodeProjected({ id: 's-1', name: 7 }, ['name']));
    expect(error).toMatchObject({
      code: 'INVALID_STORED_ITEM',
      table: 'students',
      key: { id: 's-1' },
      issues: [expect.objectContaining({ path: 'name' })],
    });
  });

  it('applies defaults and transforms of projected attributes only', () => {
    const codec = codecFor('students');
    expect(codec.decodeProjected({ id: 's-1' }, ['id', 'parent_ids'])).toEqual({
      id: 's-1',
      parent_ids: [],
    });
    expect(codec.decodeProjected({ id: 's-1' }, ['id'])).toEqual({ id: 's-1' });
    expect(
      codec.decodeProjected({ parent_ids: new Set(['p-1']) }, ['parent_ids']).parent_ids,
    ).toEqual(['p-1']);
  });

  it('accepts projected attributes the schema does not know', () => {
    const codec = codecFor('students');
    expect(codec.decodeProjected({ id: 's-1', nickname: 'A' }, ['id', 'nickname'])).toEqual({
      id: 's-1',
      nickname: 'A',
    });
    // Names of Object.prototype members are attributes like any other.
    expect(codec.decodeProjected({ id: 's-1', constructor: 'x' }, ['id', 'constructor'])).toEqual({
      id: 's-1',
      constructor: 'x',
    });
  });

  it('gives the projected attributes only, whatever else the store returned', () => {
    const codec = codecFor('students');
    // DynamoDB's BatchGetItem returns the key too: left out (and not validated), as
    // PostgreSQL's projected reads leave it out.
    expect(codec.decodeProjected({ id: '', name: 'Ann', extra: 1 }, ['name'])).toEqual({
      name: 'Ann',
    });
    // `__proto__` projected is an attribute like any other, and changes no prototype.
    const raw = JSON.parse('{"id":"s-1","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const item = codec.decodeProjected(raw, ['id', '__proto__']);
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.hasOwn(item, '__proto__')).toBe(true);
    expect(Object.keys(item)).toEqual(['id', '__proto__']);
  });

  it('gives the same answer for a repeated projection (cached schema)', () => {
    const codec = codecFor('classes');
    expect(codec.decodeProjected({ code: 'c-1' }, ['code'])).toEqual({ code: 'c-1' });
    expect(() => codec.decodeProjected({ code: '' }, ['code'])).toThrow(InvalidStoredItemError);
  });
});

describe('EntityCodec.encode', () => {
  it('returns what is stored (defaults applied, extras kept)', () => {
    const codec = new EntityCodec(tables.students, studentSchema);
    expect(codec.encode({ id: 's-1', name: 'Ann', parent_ids: [], extra: 1 })).toEqual({
      id: 's-1',
      name: 'Ann',
      parent_ids: [],
      extra: 1,
    });
  });

  it('rejects an invalid item with InvalidItemError naming the paths', () => {
    const codec = new EntityCodec(tables.classes, classSchema);
    const error = catchError(() =>
      codec.encode({ code: '', name: 'Blue', stats: { classes: 1.5 } }),
    );
    expect(error).toBeInstanceOf(InvalidItemError);
    expect(error).toMatchObject({ code: 'INVALID_ITEM', table: 'classes' });
    expect((error as InvalidItemError).issues.map((i) => i.path).sort()).toEqual([
      'code',
      'stats.classes',
    ]);
  });
});

describe('EntityCodec.encodeChanges', () => {
  const codec = codecFor('classes');

  it('validates known fields, passes unknown ones and drops undefined', () => {
    const stats = { students: 3, updated_at: '2024-05-01T00:00:00.000Z' };
    expect(codec.encodeChanges({ stats, name: 'Blue', colour: 'red', level: undefined })).toEqual({
      stats,
      name: 'Blue',
      colour: 'red',
    });
  });

  it('rejects a bad stats count with the path inside the attribute', () => {
    const error = catchError(() =>
      codec.encodeChanges({ stats: { students: -2, updated_at: '2024-05-01T00:00:00.000Z' } }),
    );
    expect(error).toBeInstanceOf(InvalidItemError);
    expect((error as InvalidItemError).issues).toEqual([
      expect.objectContaining({ path: 'stats.students' }),
    ]);
  });

  it('reports every bad attribute at once', () => {
    const error = catchError(() => codec.encodeChanges({ name: 1, teacher_id: '' }));
    expect((error as InvalidItemError).issues.map((i) => i.path).sort()).toEqual([
      'name',
      'teacher_id',
    ]);
  });

  it('rejects key attributes', () => {
    expect(() => codec.encodeChanges({ code: 'c-2' })).toThrow(InvalidRequestError);
    expect(() => codecFor('answers').encodeChanges({ answer_key: 'x' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('answer_key'),
      }),
    );
    // A key attribute left undefined is no change.
    expect(codec.encodeChanges({ code: undefined, name: 'B' })).toEqual({ name: 'B' });
  });

  it('treats names of Object.prototype members as unknown attributes', () => {
    expect(codec.encodeChanges({ toString: 'x', constructor: 1 })).toEqual({
      toString: 'x',
      constructor: 1,
    });
  });

  it('applies field transforms (a Set of parent ids is written as a list)', () => {
    expect(codecFor('students').encodeChanges({ parent_ids: new Set(['p-1']) })).toEqual({
      parent_ids: ['p-1'],
    });
  });
});

describe('EntityCodec.checkRemovals', () => {
  const codec = codecFor('classes');

  it('allows optional and unknown attributes', () => {
    expect(() => codec.checkRemovals(['stats', 'teacher_id', 'colour', 'toString'])).not.toThrow();
    expect(() => codec.checkRemovals([])).not.toThrow();
    // A list with a default can be removed: it reads back as [].
    expect(() => codecFor('students').checkRemovals(['parent_ids'])).not.toThrow();
  });

  it('rejects a required attribute', () => {
    const error = catchError(() => codec.checkRemovals(['stats', 'name']));
    expect(error).toBeInstanceOf(InvalidItemError);
    expect(error).toMatchObject({ table: 'classes', issues: [{ path: 'name' }] });
  });

  it('rejects key attributes', () => {
    expect(() => codec.checkRemovals(['code'])).toThrow(InvalidRequestError);
    expect(() => codecFor('answers').checkRemovals(['answer_key'])).toThrow(InvalidRequestError);
    expect(() => codecFor('answers').checkRemovals(['student_id'])).toThrow(InvalidRequestError);
  });
});
