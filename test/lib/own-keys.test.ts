import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { count, dataKeyedRecord, id } from '../../src/entities/common.ts';
import { hideSpecialKeys, restoreSpecialKeys } from '../../src/lib/own-keys.ts';

/** JSON.parse makes `__proto__` an own key, as a store or a request body does. */
const withSpecialKeys = () =>
  JSON.parse('{"__proto__":{"n":1},"constructor":{"n":2},"list":[{"__proto__":3}],"x":4}');

describe('hideSpecialKeys / restoreSpecialKeys', () => {
  it('rename __proto__ and constructor at any depth, and back, as own keys', () => {
    const hidden = hideSpecialKeys(withSpecialKeys());
    expect(Object.keys(hidden)).not.toContain('__proto__');
    expect(Object.keys(hidden)).not.toContain('constructor');
    expect(JSON.stringify(hidden)).not.toMatch(/"__proto__"|"constructor"/);
    const restored = restoreSpecialKeys(hidden);
    expect(Object.getPrototypeOf(restored)).toBe(Object.prototype);
    expect(JSON.stringify(restored)).toBe(JSON.stringify(withSpecialKeys()));
  });

  it('return what holds no such key as it is, and leave sets and bytes alone', () => {
    const plain = { a: [{ b: 1 }], s: new Set(['__proto__']), bytes: new Uint8Array([1]) };
    expect(hideSpecialKeys(plain)).toBe(plain);
    expect(restoreSpecialKeys(plain)).toBe(plain);
  });
});

describe('dataKeyedRecord', () => {
  const schema = dataKeyedRecord(id, z.object({ n: count }));

  it('keeps a __proto__ key, which z.record drops', () => {
    const input = JSON.parse('{"__proto__":{"n":1},"constructor":{"n":2}}');
    expect(Object.keys(z.record(id, z.object({ n: count })).parse(input))).toEqual(['constructor']);
    const parsed = schema.parse(input);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor']);
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(JSON.stringify(parsed)).toBe('{"__proto__":{"n":1},"constructor":{"n":2}}');
  });

  it('validates the __proto__ entry like any other', () => {
    expect(schema.safeParse(JSON.parse('{"__proto__":{"n":-1}}')).success).toBe(false);
    expect(schema.safeParse([]).success).toBe(false);
    expect(schema.safeParse({ a: { n: 1 } }).data).toEqual({ a: { n: 1 } });
  });

  it('is published as a plain record', () => {
    const published = { type: 'object', propertyNames: { type: 'string', minLength: 1 } };
    expect(z.toJSONSchema(schema, { io: 'output' })).toMatchObject(published);
    expect(z.toJSONSchema(schema, { io: 'input' })).toMatchObject(published);
  });
});
