import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  type AttributeMap,
  ItemLineError,
  itemFromLine,
  itemToLine,
} from '../../../src/adapters/dynamodb/item-json.ts';

const every: AttributeMap = {
  id: { S: 's-1' },
  empty: { S: '' },
  big: { N: '12345678901234567890' },
  precise: { N: '-0.12345678901234567890123456789012345678' },
  photo: { B: new Uint8Array([0, 1, 2, 250, 255]) },
  tags: { SS: ['a', 'b'] },
  scores: { NS: ['1', '99999999999999999999'] },
  blobs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
  nested: {
    M: {
      deep: { L: [{ N: '1' }, { S: 'x' }, { NULL: true }, { BOOL: false }, { M: {} }, { L: [] }] },
    },
  },
  flag: { BOOL: true },
  nothing: { NULL: true },
  unicode: { S: 'línea\nnueva \u2028 "quoted" 汉字 🦊' },
};

describe('an item as a line of DynamoDB JSON', () => {
  it('round-trips every attribute type exactly, numbers as text and binary as bytes', () => {
    const line = itemToLine(every);
    expect(line).not.toContain('\n');
    expect(itemFromLine(line)).toEqual(every);
  });

  it('writes the layout of AWS export to S3: {"Item":{...}} with base64 binary', () => {
    const line = itemToLine({
      id: { S: 's-1' },
      n: { N: '12345678901234567890' },
      b: { B: new Uint8Array([104, 105]) },
      bs: { BS: [new Uint8Array([255])] },
    });
    expect(JSON.parse(line)).toEqual({
      Item: {
        id: { S: 's-1' },
        n: { N: '12345678901234567890' },
        b: { B: 'aGk=' },
        bs: { BS: ['/w=='] },
      },
    });
  });

  it('keeps an attribute named __proto__ as an attribute', () => {
    const item: AttributeMap = { id: { S: 's-1' } };
    Object.defineProperty(item, '__proto__', {
      value: { S: 'odd but legal' },
      enumerable: true,
      configurable: true,
      writable: true,
    });
    const back = itemFromLine(itemToLine(item));
    expect(Object.keys(back)).toEqual(['id', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({
      S: 'odd but legal',
    });
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('refuses a type it does not know instead of writing a line without it', () => {
    const unknown: AttributeValue = { $unknown: ['X', 1] };
    expect(() => itemToLine({ id: { S: 's-1' }, odd: unknown })).toThrow(ItemLineError);
  });

  it.each([
    ['not JSON', '{"Item":', /not JSON/],
    ['no Item', '{"id":{"S":"s"}}', /expected \{"Item"/],
    ['extra top-level key', '{"Item":{},"x":1}', /expected \{"Item"/],
    ['two type keys', '{"Item":{"a":{"S":"x","N":"1"}}}', /Item\.a: expected exactly one type key/],
    ['unknown type', '{"Item":{"a":{"Q":"x"}}}', /Item\.a: unknown type "Q"/],
    ['number as JSON number', '{"Item":{"a":{"N":1}}}', /Item\.a\.N: expected a string/],
    ['not a number', '{"Item":{"a":{"N":"1e"}}}', /"1e" is not a number/],
    ['empty set', '{"Item":{"a":{"SS":[]}}}', /no empty sets/],
    ['bad base64', '{"Item":{"a":{"B":"a*b="}}}', /Item\.a\.B: expected base64/],
    ['NULL false', '{"Item":{"a":{"NULL":false}}}', /expected true/],
    ['deep error', '{"Item":{"m":{"M":{"l":{"L":[{"S":1}]}}}}}', /Item\.m\.M\.l\.L\[0\]\.S/],
  ])('refuses a line with %s, saying where', (_name, line, message) => {
    expect(() => itemFromLine(line)).toThrow(message);
  });
});
