import { describe, expect, it } from 'vitest';
import {
  type AttributeMap,
  ItemLineError,
  itemFromLine,
  itemToLine,
} from '../../../src/adapters/dynamodb/item-json.ts';
import {
  itemToJsonbText,
  JsonbTextError,
  jsonbTextToItem,
  jsonbTextToLine,
  jsonNumber,
  lineToJsonbText,
} from '../../../src/adapters/postgres/item-text.ts';
import {
  exportPageStatement,
  lineToRow,
  upsertStatement,
} from '../../../src/adapters/postgres/transfer-store.ts';
import { fromJsonText } from '../../../src/adapters/postgres/values.ts';
import { tables } from '../../../src/tables/definitions.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

/** What PostgreSQL prints for a `jsonb` value: keys sorted, `": "` and `", "`. */
const pgStyle = (text: string) => text.replaceAll('":', '": ').replaceAll(',"', ', "');

const special: AttributeMap = {
  id: { S: 's-1' },
  name: { S: 'Ann "the fox" \\ 汉字 \n 😀' },
  big: { N: '12345678901234567890' },
  fine: { N: '0.1000000000000000055511' },
  tiny: { N: '-0.000001' },
  tags: { SS: ['a', 'b'] },
  scores: { NS: ['1.5', '99999999999999999999999'] },
  photo: { B: bytes(0, 1, 2, 255) },
  blobs: { BS: [bytes(1), bytes(2, 3)] },
  meta: {
    M: {
      nested: { M: { list: { L: [{ N: '1' }, { S: 'a' }, { NULL: true }, { BOOL: false }] } } },
      empty: { M: {} },
      none: { L: [] },
    },
  },
  flag: { BOOL: true },
  nothing: { NULL: true },
  blank: { S: '' },
};

describe('DynamoDB JSON as jsonb text', () => {
  it('writes every type, numbers as their exact decimal text, sets and bytes as tags', () => {
    expect(
      itemToJsonbText({
        id: { S: 's-1' },
        n: { N: '12345678901234567890' },
        tags: { SS: ['a'] },
        ns: { NS: ['1.50'] },
        b: { B: bytes(104, 105) },
        l: { L: [{ BOOL: true }, { NULL: true }] },
      }),
    ).toBe(
      '{"id":"s-1","n":12345678901234567890,"tags":{"$type":"SS","$value":["a"]},"ns":{"$type":"NS","$value":["1.50"]},"b":{"$type":"B","$value":"aGk="},"l":[true,null]}',
    );
  });

  it('spells a DynamoDB number the way JSON allows, without rounding it', () => {
    expect(jsonNumber('12345678901234567890')).toBe('12345678901234567890');
    expect(jsonNumber('0.1000000000000000055511')).toBe('0.1000000000000000055511');
    expect(jsonNumber('+007.50')).toBe('7.50');
    expect(jsonNumber('.5')).toBe('0.5');
    expect(jsonNumber('5.')).toBe('5');
    expect(jsonNumber('-1E+130')).toBe('-1e+130');
    expect(() => jsonNumber('.')).toThrow(ItemLineError);
  });

  it('reads back what it wrote, and what PostgreSQL prints, as the same item', () => {
    const text = itemToJsonbText(special);
    expect(jsonbTextToItem(text)).toEqual(special);
    expect(jsonbTextToItem(pgStyle(text))).toEqual(special);
    // The line of an item is the line it came from (attribute order aside).
    const line = itemToLine(special);
    expect(itemFromLine(jsonbTextToLine(lineToJsonbText(line)))).toEqual(itemFromLine(line));
  });

  it('keeps the text of numbers as PostgreSQL prints them', () => {
    expect(jsonbTextToItem('{"a": 1.0, "b": 0.00000015, "c": -5, "d": 1E+3}')).toEqual({
      a: { N: '1.0' },
      b: { N: '0.00000015' },
      c: { N: '-5' },
      d: { N: '1E+3' },
    });
  });

  it('keeps __proto__ as an attribute, at every depth', () => {
    const item = jsonbTextToItem('{"__proto__": {"__proto__": "x"}, "id": "s-1"}');
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item)).toEqual(['__proto__', 'id']);
    expect(Object.keys(Object.getOwnPropertyDescriptor(item, '__proto__')?.value?.M ?? {})).toEqual(
      ['__proto__'],
    );
    const line = '{"Item":{"id":{"S":"s-1"},"__proto__":{"M":{"__proto__":{"S":"x"}}}}}';
    expect(lineToJsonbText(line)).toBe('{"id":"s-1","__proto__":{"__proto__":"x"}}');
    expect(JSON.parse(jsonbTextToLine(lineToJsonbText(line)))).toEqual(JSON.parse(line));
  });

  it('writes tags the repositories read as the sets and bytes of DynamoDB', () => {
    const stored = fromJsonText(itemToJsonbText(special)) as Record<string, unknown>;
    expect(stored.tags).toEqual(new Set(['a', 'b']));
    expect(stored.scores).toEqual(new Set([1.5, Number('99999999999999999999999')]));
    expect(stored.photo).toEqual(bytes(0, 1, 2, 255));
    expect(stored.blobs).toEqual(new Set([bytes(1), bytes(2, 3)]));
  });

  it('leaves an object that only resembles a tag a map', () => {
    expect(jsonbTextToItem('{"x": {"$type": "SS", "$value": []}}')).toEqual({
      x: { M: { $type: { S: 'SS' }, $value: { L: [] } } },
    });
    expect(jsonbTextToItem('{"x": {"$type": "NS", "$value": ["one"]}}').x?.M).toBeDefined();
    expect(jsonbTextToItem('{"x": {"$type": "XS", "$value": "a"}}').x?.M).toBeDefined();
  });

  it('refuses what PostgreSQL could not store or would read back otherwise', () => {
    expect(() => lineToJsonbText('{"Item":{"id":{"S":"a\\u0000b"}}}')).toThrow(/U\+0000/);
    expect(() =>
      lineToJsonbText('{"Item":{"id":{"S":"a"},"m":{"M":{"$type":{"S":"SS"},"$value":{"L":[]}}}}}'),
    ).toThrow(/would read back from PostgreSQL as a set/);
    expect(() => lineToJsonbText('{"Item":{"id":{"N":"x"}}}')).toThrow(ItemLineError);
  });

  it('refuses jsonb text that is not an object', () => {
    for (const text of [
      '[1]',
      '"s"',
      '{"a": 1',
      '{"a": 1} x',
      '{"$type": "B", "$value": "aGk="}',
    ]) {
      expect(() => jsonbTextToItem(text), text).toThrow(JsonbTextError);
    }
  });
});

describe('PostgreSQL transfer statements', () => {
  it('reads a page in key order from after the cursor, the item as text', () => {
    const statement = exportPageStatement('dev-', tables.answers, 500, ['s-1', 'm-1#a-9']);
    expect(statement.text).toBe(
      'SELECT item::text AS item, "student_id" AS k0, "answer_key" AS k1 FROM "dev-"."answers" WHERE ("student_id", "answer_key") > ($1, $2) ORDER BY "student_id", "answer_key" LIMIT $3::int',
    );
    expect(statement.values).toEqual(['s-1', 'm-1#a-9', 500]);
    expect(exportPageStatement('public', tables.students, 10, undefined).text).not.toContain(
      'WHERE',
    );
  });

  it('upserts a batch as one jsonb array whose numbers are the texts given', () => {
    const statement = upsertStatement('public', tables.students, [
      '{"id":"a","n":1.10}',
      '{"id":"b"}',
    ]);
    expect(statement.text).toBe(
      'INSERT INTO "public"."students" (item) SELECT value FROM jsonb_array_elements($1::jsonb) ON CONFLICT ("id") DO UPDATE SET item = EXCLUDED.item',
    );
    expect(statement.values).toEqual(['[{"id":"a","n":1.10},{"id":"b"}]']);
  });

  it('checks that a line is an item of the table with a string key', () => {
    expect(
      lineToRow(tables.answers, '{"Item":{"student_id":{"S":"s"},"answer_key":{"S":"k"}}}'),
    ).toEqual({
      text: '{"student_id":"s","answer_key":"k"}',
      key: '["s","k"]',
    });
    expect(() => lineToRow(tables.answers, '{"Item":{"student_id":{"S":"s"}}}')).toThrow(
      /Item\.answer_key: the key of answers must be a string/,
    );
    expect(() => lineToRow(tables.students, '{"Item":{"id":{"N":"1"}}}')).toThrow(ItemLineError);
  });
});
