import { describe, expect, it } from 'vitest';
import { ExpressionBuilder } from '../../../src/adapters/dynamodb/expressions.ts';
import type { Condition } from '../../../src/repositories/condition.ts';
import { when } from '../../../src/repositories/condition.ts';

/** Every `#nN` / `:vN` token of the given expression strings. */
const placeholders = (...expressions: (string | undefined)[]) => {
  const text = expressions.filter((e) => e !== undefined).join(' ');
  return {
    names: new Set(text.match(/#n\d+/g) ?? []),
    values: new Set(text.match(/:v\d+/g) ?? []),
  };
};

/** The expressions use exactly the placeholders the builder declares (DynamoDB rejects both extra and missing). */
const expectConsistent = (x: ExpressionBuilder, ...expressions: (string | undefined)[]) => {
  const used = placeholders(...expressions);
  const declared = x.attributes();
  expect(new Set(Object.keys(declared.ExpressionAttributeNames ?? {}))).toEqual(used.names);
  expect(new Set(Object.keys(declared.ExpressionAttributeValues ?? {}))).toEqual(used.values);
};

const RESERVED = /\b(name|level|status)\b/;

describe('ExpressionBuilder names and values', () => {
  it('turns every attribute name into a #nN placeholder, reusing one per distinct name', () => {
    const x = new ExpressionBuilder();
    expect(x.name('name')).toBe('#n0');
    expect(x.name('level')).toBe('#n1');
    expect(x.name('name')).toBe('#n0');
    expect(x.name('status')).toBe('#n2');
    expect(x.attributes()).toEqual({
      ExpressionAttributeNames: { '#n0': 'name', '#n1': 'level', '#n2': 'status' },
    });
  });

  it('gives every value a fresh :vN placeholder, even a repeated value', () => {
    const x = new ExpressionBuilder();
    expect(x.value('a')).toBe(':v0');
    expect(x.value('a')).toBe(':v1');
    expect(x.value(3)).toBe(':v2');
    expect(x.attributes()).toEqual({
      ExpressionAttributeValues: { ':v0': 'a', ':v1': 'a', ':v2': 3 },
    });
  });

  it('omits empty maps from attributes()', () => {
    expect(new ExpressionBuilder().attributes()).toEqual({});
    const onlyNames = new ExpressionBuilder();
    onlyNames.projection(['id']);
    expect(onlyNames.attributes()).toEqual({ ExpressionAttributeNames: { '#n0': 'id' } });
    expect(onlyNames.attributes()).not.toHaveProperty('ExpressionAttributeValues');
  });

  it('keeps falsy values (0, false, empty string) as values', () => {
    const x = new ExpressionBuilder();
    x.equalities({ a: 0, b: false, c: '' });
    expect(x.attributes().ExpressionAttributeValues).toEqual({ ':v0': 0, ':v1': false, ':v2': '' });
  });

  it('attributes() returns a copy that later calls do not change', () => {
    const x = new ExpressionBuilder();
    x.value(1);
    const before = x.attributes();
    x.value(2);
    x.name('later');
    expect(before).toEqual({ ExpressionAttributeValues: { ':v0': 1 } });
  });

  it('never writes a reserved word raw into an expression', () => {
    const x = new ExpressionBuilder();
    const expressions = [
      x.projection(['name', 'level', 'status']),
      x.equalities({ name: 'Ann', level: 2, status: 'active' }),
      x.keyCondition('name', { beginsWith: 'A' }),
      x.condition(
        when.all(when.exists('name'), when.any(when.equals('level', 1), when.absent('status'))),
      ),
      x.update({ name: 'Bo', level: 3 }, ['status']),
    ];
    for (const expression of expressions) {
      expect(expression).toBeDefined();
      expect(expression).not.toMatch(RESERVED);
    }
    expect(Object.keys(x.attributes().ExpressionAttributeNames ?? {})).toHaveLength(3);
    expectConsistent(x, ...expressions);
  });
});

describe('ExpressionBuilder.projection and equalities', () => {
  it('projects each distinct attribute once', () => {
    const x = new ExpressionBuilder();
    expect(x.projection(['id', 'name', 'id'])).toBe('#n0, #n1');
    expect(x.attributes()).toEqual({ ExpressionAttributeNames: { '#n0': 'id', '#n1': 'name' } });
  });

  it('joins equalities with AND and is undefined for an empty filter', () => {
    const x = new ExpressionBuilder();
    expect(x.equalities({})).toBeUndefined();
    expect(x.attributes()).toEqual({});
    expect(x.equalities({ name: 'Ann', level: 2 })).toBe('#n0 = :v0 AND #n1 = :v1');
    expect(x.attributes()).toEqual({
      ExpressionAttributeNames: { '#n0': 'name', '#n1': 'level' },
      ExpressionAttributeValues: { ':v0': 'Ann', ':v1': 2 },
    });
  });
});

describe('ExpressionBuilder.keyCondition', () => {
  it.each([
    [{ equals: 's-1' }, '#n0 = :v0', { ':v0': 's-1' }],
    [{ beginsWith: 'm-01#' }, 'begins_with(#n0, :v0)', { ':v0': 'm-01#' }],
    [{ between: ['a', 'm'] as const }, '#n0 BETWEEN :v0 AND :v1', { ':v0': 'a', ':v1': 'm' }],
    [{ gte: 'b' }, '#n0 >= :v0', { ':v0': 'b' }],
    [{ lte: 'c' }, '#n0 <= :v0', { ':v0': 'c' }],
  ])('%j → %s', (condition, expression, values) => {
    const x = new ExpressionBuilder();
    expect(x.keyCondition('answer_key', condition)).toBe(expression);
    expect(x.attributes()).toEqual({
      ExpressionAttributeNames: { '#n0': 'answer_key' },
      ExpressionAttributeValues: values,
    });
  });
});

describe('ExpressionBuilder.condition', () => {
  it('renders exists, absent, equals and notEquals', () => {
    const x = new ExpressionBuilder();
    expect(x.condition(when.exists('code'))).toBe('attribute_exists(#n0)');
    expect(x.condition(when.absent('code'))).toBe('attribute_not_exists(#n0)');
    expect(x.condition(when.equals('status', 'open'))).toBe('#n1 = :v0');
    expect(x.condition(when.notEquals('status', 'closed'))).toBe('#n1 <> :v1');
    expect(x.attributes()).toEqual({
      ExpressionAttributeNames: { '#n0': 'code', '#n1': 'status' },
      ExpressionAttributeValues: { ':v0': 'open', ':v1': 'closed' },
    });
  });

  it('parenthesises every member of and/or, also when nested', () => {
    const x = new ExpressionBuilder();
    const condition: Condition = {
      and: [
        { attribute: 'code', exists: true },
        {
          or: [
            { attribute: 'level', equals: 1 },
            {
              and: [
                { attribute: 'level', notEquals: 2 },
                { attribute: 'name', exists: false },
              ],
            },
          ],
        },
      ],
    };
    const expression = x.condition(condition);
    expect(expression).toBe(
      '(attribute_exists(#n0)) AND ((#n1 = :v0) OR ((#n1 <> :v1) AND (attribute_not_exists(#n2))))',
    );
    expectConsistent(x, expression);
  });

  it('renders a single-member group in parentheses', () => {
    expect(new ExpressionBuilder().condition(when.any(when.exists('id')))).toBe(
      '(attribute_exists(#n0))',
    );
  });

  it('throws on an empty and / or, also nested', () => {
    expect(() => new ExpressionBuilder().condition({ and: [] })).toThrow(RangeError);
    expect(() => new ExpressionBuilder().condition({ or: [] })).toThrow(/empty OR/);
    expect(() =>
      new ExpressionBuilder().condition(when.all(when.exists('id'), when.any())),
    ).toThrow(/empty OR/);
  });
});

describe('ExpressionBuilder.update', () => {
  it('writes SET then REMOVE', () => {
    const x = new ExpressionBuilder();
    const expression = x.update({ stats: { students: 3 }, name: 'A' }, ['level', 'status']);
    expect(expression).toBe('SET #n0 = :v0, #n1 = :v1 REMOVE #n2, #n3');
    expect(x.attributes()).toEqual({
      ExpressionAttributeNames: { '#n0': 'stats', '#n1': 'name', '#n2': 'level', '#n3': 'status' },
      ExpressionAttributeValues: { ':v0': { students: 3 }, ':v1': 'A' },
    });
  });

  it('writes only SET or only REMOVE when the other is empty', () => {
    expect(new ExpressionBuilder().update({ a: 1 }, [])).toBe('SET #n0 = :v0');
    const x = new ExpressionBuilder();
    expect(x.update({}, ['a'])).toBe('REMOVE #n0');
    expect(x.attributes()).toEqual({ ExpressionAttributeNames: { '#n0': 'a' } });
  });

  it('is undefined when nothing changes', () => {
    const x = new ExpressionBuilder();
    expect(x.update({}, [])).toBeUndefined();
    expect(x.attributes()).toEqual({});
  });
});
