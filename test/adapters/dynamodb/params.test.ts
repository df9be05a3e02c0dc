import { describe, expect, it } from 'vitest';
import {
  BATCH_GET_LIMIT,
  BATCH_WRITE_LIMIT,
  batchGetParams,
  batchWriteParams,
  chunk,
  deleteParams,
  getParams,
  keyIdentity,
  putParams,
  queryParams,
  scanParams,
  updateParams,
  type WriteRequest,
} from '../../../src/adapters/dynamodb/params.ts';
import { type AccessPath, chooseAccessPath } from '../../../src/repositories/access-path.ts';
import { when } from '../../../src/repositories/condition.ts';
import { InvalidRequestError } from '../../../src/repositories/errors.ts';
import { tables } from '../../../src/tables/definitions.ts';

type QueryPath = Extract<AccessPath, { kind: 'query' }>;

const EXPRESSION_KEYS = [
  'ProjectionExpression',
  'KeyConditionExpression',
  'FilterExpression',
  'ConditionExpression',
  'UpdateExpression',
] as const;

/**
 * Checks that the `#nN` / `:vN` tokens of every expression of a request (or of each
 * `RequestItems` entry of a batch) are exactly the declared placeholders: DynamoDB rejects
 * a request with an unused placeholder as well as one with a missing placeholder.
 */
const expectPlaceholdersMatch = (params: object): void => {
  const record = params as Record<string, unknown>;
  const requestItems = record.RequestItems;
  if (requestItems !== undefined && requestItems !== null && typeof requestItems === 'object') {
    for (const entry of Object.values(requestItems)) {
      if (!Array.isArray(entry)) expectPlaceholdersMatch(entry as object);
    }
    return;
  }
  const text = EXPRESSION_KEYS.map((key) => record[key])
    .filter((value): value is string => typeof value === 'string')
    .join(' ');
  const names = new Set(text.match(/#n\d+/g) ?? []);
  const values = new Set(text.match(/:v\d+/g) ?? []);
  const declaredNames = Object.keys((record.ExpressionAttributeNames as object | undefined) ?? {});
  const declaredValues = Object.keys(
    (record.ExpressionAttributeValues as object | undefined) ?? {},
  );
  expect(new Set(declaredNames)).toEqual(names);
  expect(new Set(declaredValues)).toEqual(values);
  // An empty map is rejected too: absent, never `{}`.
  if ('ExpressionAttributeNames' in record) expect(declaredNames.length).toBeGreaterThan(0);
  if ('ExpressionAttributeValues' in record) expect(declaredValues.length).toBeGreaterThan(0);
  // No raw reserved word slips into an expression.
  expect(text).not.toMatch(/\b(name|level|status)\b/);
};

const queryPath = (path: AccessPath): QueryPath => {
  if (path.kind !== 'query') throw new Error(`expected a query, got ${path.kind}`);
  return path;
};

describe('getParams', () => {
  it('builds a plain get', () => {
    const params = getParams('dev-students', { id: 's-1' });
    expect(params).toEqual({ TableName: 'dev-students', Key: { id: 's-1' } });
    expectPlaceholdersMatch(params);
  });

  it('projects and reads consistently', () => {
    const params = getParams(
      'dev-students',
      { id: 's-1' },
      {
        project: ['id', 'name'],
        consistent: true,
      },
    );
    expect(params).toEqual({
      TableName: 'dev-students',
      Key: { id: 's-1' },
      ProjectionExpression: '#n0, #n1',
      ConsistentRead: true,
      ExpressionAttributeNames: { '#n0': 'id', '#n1': 'name' },
    });
    expectPlaceholdersMatch(params);
  });

  it('ignores an empty projection and copies the key', () => {
    const key = { id: 's-1' };
    const params = getParams('students', key, { project: [] });
    expect(params).toEqual({ TableName: 'students', Key: { id: 's-1' } });
    expect(params.Key).not.toBe(key);
  });
});

describe('queryParams', () => {
  it('queries the table on its partition key', () => {
    const path = queryPath(chooseAccessPath(tables.answers, { student_id: 's-1' }));
    const params = queryParams('answers', path);
    expect(params).toEqual({
      TableName: 'answers',
      KeyConditionExpression: '#n0 = :v0',
      ExpressionAttributeNames: { '#n0': 'student_id' },
      ExpressionAttributeValues: { ':v0': 's-1' },
    });
    expectPlaceholdersMatch(params);
  });

  it('adds a sort condition, the remaining filter, projection, page size and consistency', () => {
    const path = queryPath(
      chooseAccessPath(
        tables.answers,
        { student_id: 's-1', word: 'apple', correct: true },
        { sortKey: { beginsWith: 'm-01#' } },
      ),
    );
    const params = queryParams('dev-answers', path, {
      project: ['word', 'answer_key', 'correct'],
      pageSize: 50,
      consistent: true,
    });
    expect(params).toEqual({
      TableName: 'dev-answers',
      KeyConditionExpression: '#n0 = :v0 AND begins_with(#n1, :v1)',
      FilterExpression: '#n2 = :v2 AND #n3 = :v3',
      ProjectionExpression: '#n2, #n1, #n3',
      ConsistentRead: true,
      Limit: 50,
      ExpressionAttributeNames: {
        '#n0': 'student_id',
        '#n1': 'answer_key',
        '#n2': 'word',
        '#n3': 'correct',
      },
      ExpressionAttributeValues: { ':v0': 's-1', ':v1': 'm-01#', ':v2': 'apple', ':v3': true },
    });
    expectPlaceholdersMatch(params);
  });

  it('queries an index by name, with reserved words in the filter', () => {
    const path = queryPath(
      chooseAccessPath(tables.classes, { school_code: 'sc-1', level: 3, name: 'Blue' }),
    );
    const params = queryParams('classes', path, { project: ['code', 'name'] });
    expect(params).toEqual({
      TableName: 'classes',
      IndexName: 'school_code',
      KeyConditionExpression: '#n0 = :v0',
      FilterExpression: '#n1 = :v1 AND #n2 = :v2',
      ProjectionExpression: '#n3, #n2',
      ExpressionAttributeNames: {
        '#n0': 'school_code',
        '#n1': 'level',
        '#n2': 'name',
        '#n3': 'code',
      },
      ExpressionAttributeValues: { ':v0': 'sc-1', ':v1': 3, ':v2': 'Blue' },
    });
    expectPlaceholdersMatch(params);
  });

  it('counts instead of projecting', () => {
    const path = queryPath(chooseAccessPath(tables.students, { class_code: 'c-1' }));
    const params = queryParams('students', path, { countOnly: true, project: ['id', 'name'] });
    expect(params).toEqual({
      TableName: 'students',
      IndexName: 'class_code',
      KeyConditionExpression: '#n0 = :v0',
      Select: 'COUNT',
      ExpressionAttributeNames: { '#n0': 'class_code' },
      ExpressionAttributeValues: { ':v0': 'c-1' },
    });
    expectPlaceholdersMatch(params);
  });

  it.each([
    [{ between: ['a', 'b'] as const }, 'BETWEEN'],
    [{ gte: 'a' }, '>='],
    [{ lte: 'z' }, '<='],
  ])('keeps placeholders consistent with sort condition %j', (sortKey, operator) => {
    const path = queryPath(chooseAccessPath(tables.answers, { student_id: 's-1' }, { sortKey }));
    const params = queryParams('answers', path, { project: ['student_id', 'answer_key'] });
    expect(params.KeyConditionExpression).toContain(operator);
    expectPlaceholdersMatch(params);
  });
});

describe('scanParams', () => {
  it('scans everything without a filter', () => {
    expect(scanParams('groups', {})).toEqual({ TableName: 'groups' });
  });

  it('filters, projects and limits', () => {
    const params = scanParams(
      'dev-classes',
      { name: 'Blue', level: 2 },
      {
        project: ['code', 'level'],
        pageSize: 10,
      },
    );
    expect(params).toEqual({
      TableName: 'dev-classes',
      FilterExpression: '#n0 = :v0 AND #n1 = :v1',
      ProjectionExpression: '#n2, #n1',
      Limit: 10,
      ExpressionAttributeNames: { '#n0': 'name', '#n1': 'level', '#n2': 'code' },
      ExpressionAttributeValues: { ':v0': 'Blue', ':v1': 2 },
    });
    expectPlaceholdersMatch(params);
  });

  it('reads one segment of several', () => {
    const params = scanParams('students', {}, { segment: 2, totalSegments: 4 });
    expect(params).toEqual({ TableName: 'students', Segment: 2, TotalSegments: 4 });
  });

  it('defaults the segment to 0 and omits segments when there is only one', () => {
    expect(scanParams('students', {}, { totalSegments: 3 })).toEqual({
      TableName: 'students',
      Segment: 0,
      TotalSegments: 3,
    });
    expect(scanParams('students', {}, { segment: 0, totalSegments: 1 })).toEqual({
      TableName: 'students',
    });
  });

  it('drops the projection (and its names) when only counting', () => {
    const params = scanParams(
      'students',
      { name: 'Ann' },
      {
        countOnly: true,
        project: ['id', 'class_code'],
      },
    );
    expect(params).toEqual({
      TableName: 'students',
      FilterExpression: '#n0 = :v0',
      Select: 'COUNT',
      ExpressionAttributeNames: { '#n0': 'name' },
      ExpressionAttributeValues: { ':v0': 'Ann' },
    });
    expectPlaceholdersMatch(params);
    expect(scanParams('students', {}, { countOnly: true, project: ['id'] })).toEqual({
      TableName: 'students',
      Select: 'COUNT',
    });
  });
});

describe('putParams', () => {
  it('puts the item as given', () => {
    const item = { id: 's-1', name: 'Ann' };
    expect(putParams('students', item)).toEqual({ TableName: 'students', Item: item });
  });

  it('adds a condition', () => {
    const params = putParams(
      'answers',
      { student_id: 's-1', answer_key: 'm#a' },
      when.all(when.absent('student_id'), when.absent('answer_key')),
    );
    expect(params).toEqual({
      TableName: 'answers',
      Item: { student_id: 's-1', answer_key: 'm#a' },
      ConditionExpression: '(attribute_not_exists(#n0)) AND (attribute_not_exists(#n1))',
      ExpressionAttributeNames: { '#n0': 'student_id', '#n1': 'answer_key' },
    });
    expectPlaceholdersMatch(params);
  });
});

describe('updateParams', () => {
  it('sets only the given attributes, under a condition', () => {
    const stats = { students: 3, updated_at: '2024-01-01T00:00:00.000Z' };
    const params = updateParams('classes', { code: 'c-1' }, { stats }, [], when.exists('code'));
    expect(params).toEqual({
      TableName: 'classes',
      Key: { code: 'c-1' },
      UpdateExpression: 'SET #n0 = :v0',
      ConditionExpression: 'attribute_exists(#n1)',
      ExpressionAttributeNames: { '#n0': 'stats', '#n1': 'code' },
      ExpressionAttributeValues: { ':v0': stats },
    });
    expectPlaceholdersMatch(params);
  });

  it('sets and removes, sharing placeholders with the condition', () => {
    const params = updateParams(
      'classes',
      { code: 'c-1' },
      { name: 'Blue', level: 2 },
      ['teacher_id'],
      when.any(when.equals('level', 1), when.absent('level')),
    );
    expect(params).toEqual({
      TableName: 'classes',
      Key: { code: 'c-1' },
      UpdateExpression: 'SET #n0 = :v0, #n1 = :v1 REMOVE #n2',
      ConditionExpression: '(#n1 = :v2) OR (attribute_not_exists(#n1))',
      ExpressionAttributeNames: { '#n0': 'name', '#n1': 'level', '#n2': 'teacher_id' },
      ExpressionAttributeValues: { ':v0': 'Blue', ':v1': 2, ':v2': 1 },
    });
    expectPlaceholdersMatch(params);
  });

  it('only removes', () => {
    const params = updateParams('classes', { code: 'c-1' }, {}, ['stats']);
    expect(params).toEqual({
      TableName: 'classes',
      Key: { code: 'c-1' },
      UpdateExpression: 'REMOVE #n0',
      ExpressionAttributeNames: { '#n0': 'stats' },
    });
    expectPlaceholdersMatch(params);
  });

  it('throws InvalidRequestError when there is nothing to set or remove', () => {
    expect(() => updateParams('classes', { code: 'c-1' }, {}, [])).toThrow(InvalidRequestError);
    expect(() => updateParams('classes', { code: 'c-1' }, {}, [], when.exists('code'))).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('classes'),
      }),
    );
  });
});

describe('deleteParams', () => {
  it('deletes by key', () => {
    expect(deleteParams('answers', { student_id: 's-1', answer_key: 'm#a' })).toEqual({
      TableName: 'answers',
      Key: { student_id: 's-1', answer_key: 'm#a' },
    });
  });

  it('deletes under a condition', () => {
    const params = deleteParams('jobs', { name: 'calc' }, when.notEquals('status', 'running'));
    expect(params).toEqual({
      TableName: 'jobs',
      Key: { name: 'calc' },
      ConditionExpression: '#n0 <> :v0',
      ExpressionAttributeNames: { '#n0': 'status' },
      ExpressionAttributeValues: { ':v0': 'running' },
    });
    expectPlaceholdersMatch(params);
  });
});

describe('chunk', () => {
  it('splits into chunks of at most size, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2], 5)).toEqual([[1, 2]]);
    expect(chunk([], 3)).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects size %s', (size) => {
    expect(() => chunk([1], size)).toThrow(RangeError);
  });
});

describe('keyIdentity', () => {
  it('ignores attribute order and non-key attributes, and tells types apart', () => {
    const attrs = ['student_id', 'answer_key'];
    expect(keyIdentity({ student_id: 's', answer_key: 'k' }, attrs)).toBe(
      keyIdentity({ answer_key: 'k', name: 'x', student_id: 's' }, attrs),
    );
    expect(keyIdentity({ id: '1' }, ['id'])).not.toBe(keyIdentity({ id: 1 }, ['id']));
  });
});

const ids = (n: number, prefix = 's-') =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));

describe('batchGetParams', () => {
  it('is empty for no keys', () => {
    expect(batchGetParams('students', [], ['id'])).toEqual([]);
  });

  it('chunks keys by 100', () => {
    expect(BATCH_GET_LIMIT).toBe(100);
    const batches = batchGetParams('students', ids(250), ['id']);
    expect(batches.map((b) => b.RequestItems?.students?.Keys?.length)).toEqual([100, 100, 50]);
    expect(batches[2]?.RequestItems?.students?.Keys?.[0]).toEqual({ id: 's-200' });
    for (const batch of batches) expectPlaceholdersMatch(batch);
  });

  it('de-duplicates keys across the whole request, keeping first positions', () => {
    const keys = [...ids(100), { id: 's-0' }, { id: 's-99' }, { id: 'x' }];
    const batches = batchGetParams('students', keys, ['id']);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual({ RequestItems: { students: { Keys: [{ id: 'x' }] } } });
    const all = batches.flatMap((b) => b.RequestItems?.students?.Keys ?? []);
    expect(new Set(all.map((k) => k.id)).size).toBe(all.length);
  });

  it('de-duplicates composite keys', () => {
    const [batch, ...rest] = batchGetParams(
      'answers',
      [
        { student_id: 's', answer_key: 'a' },
        { answer_key: 'a', student_id: 's' },
        { student_id: 's', answer_key: 'b' },
      ],
      ['student_id', 'answer_key'],
    );
    expect(rest).toEqual([]);
    expect(batch?.RequestItems?.answers?.Keys).toEqual([
      { student_id: 's', answer_key: 'a' },
      { student_id: 's', answer_key: 'b' },
    ]);
  });

  it('always projects the key attributes with a projection, in every chunk', () => {
    const batches = batchGetParams(
      'dev-answers',
      [...Array.from({ length: 101 }, (_, i) => ({ student_id: 's', answer_key: `k${i}` }))],
      ['student_id', 'answer_key'],
      { project: ['word', 'answer_key'], consistent: true },
    );
    expect(batches).toHaveLength(2);
    for (const batch of batches) {
      const request = batch.RequestItems?.['dev-answers'];
      expect(request?.ProjectionExpression).toBe('#n0, #n1, #n2');
      expect(request?.ExpressionAttributeNames).toEqual({
        '#n0': 'student_id',
        '#n1': 'answer_key',
        '#n2': 'word',
      });
      expect(request?.ConsistentRead).toBe(true);
      expect(request).not.toHaveProperty('ExpressionAttributeValues');
      expectPlaceholdersMatch(batch);
    }
  });

  it('adds no projection and no names without a projection', () => {
    expect(batchGetParams('students', [{ id: 'a' }], ['id'], { project: [] })).toEqual([
      { RequestItems: { students: { Keys: [{ id: 'a' }] } } },
    ]);
  });
});

describe('batchWriteParams', () => {
  const putsOf = (n: number): WriteRequest[] =>
    Array.from({ length: n }, (_, i) => ({ put: { id: `s-${i}`, name: `n${i}` } }));

  it('chunks writes by 25', () => {
    expect(BATCH_WRITE_LIMIT).toBe(25);
    const batches = batchWriteParams('students', putsOf(60), ['id']);
    expect(batches.map((b) => b.RequestItems?.students?.length)).toEqual([25, 25, 10]);
    expect(batches[1]?.RequestItems?.students?.[0]).toEqual({
      PutRequest: { Item: { id: 's-25', name: 'n25' } },
    });
  });

  it('is empty for no writes', () => {
    expect(batchWriteParams('students', [], ['id'])).toEqual([]);
  });

  it('builds put and delete requests', () => {
    expect(
      batchWriteParams(
        'answers',
        [
          { put: { student_id: 's', answer_key: 'a', word: 'x' } },
          { delete: { student_id: 's', answer_key: 'b' } },
        ],
        ['student_id', 'answer_key'],
      ),
    ).toEqual([
      {
        RequestItems: {
          answers: [
            { PutRequest: { Item: { student_id: 's', answer_key: 'a', word: 'x' } } },
            { DeleteRequest: { Key: { student_id: 's', answer_key: 'b' } } },
          ],
        },
      },
    ]);
  });

  it('keeps only the last write of a key, at the place of that last write', () => {
    const requests: WriteRequest[] = [
      { put: { id: 'a', name: 'first' } },
      { put: { id: 'b', name: 'b' } },
      { delete: { id: 'a' } },
      { put: { id: 'c', name: 'c' } },
      { put: { id: 'a', name: 'last' } },
      { delete: { id: 'b' } },
    ];
    const [batch, ...rest] = batchWriteParams('students', requests, ['id']);
    expect(rest).toEqual([]);
    expect(batch?.RequestItems?.students).toEqual([
      { PutRequest: { Item: { id: 'c', name: 'c' } } },
      { PutRequest: { Item: { id: 'a', name: 'last' } } },
      { DeleteRequest: { Key: { id: 'b' } } },
    ]);
  });

  it('never names one key twice in the whole request, even across chunks', () => {
    const requests: WriteRequest[] = [
      ...putsOf(30),
      ...putsOf(30).reverse(),
      { delete: { id: 's-3' } },
    ];
    const batches = batchWriteParams('students', requests, ['id']);
    const writes = batches.flatMap((b) => b.RequestItems?.students ?? []);
    const keys = writes.map((w) => w.PutRequest?.Item?.id ?? w.DeleteRequest?.Key?.id);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
    expect(writes.at(-1)).toEqual({ DeleteRequest: { Key: { id: 's-3' } } });
    expect(batches.map((b) => b.RequestItems?.students?.length)).toEqual([25, 5]);
  });
});
