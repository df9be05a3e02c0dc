/**
 * An item of an export line (DynamoDB JSON, `dynamodb/item-json.ts`) as the text of the
 * `item jsonb` column, and back, without loss: what `lms import` writes into PostgreSQL
 * and `lms export` reads out of it. Pure.
 *
 * S is a JSON string, BOOL a boolean, NULL null, L an array, M an object; SS, NS, BS and B
 * are the tags of `values.ts` (`{"$type":"NS","$value":["1.5"]}`), so the repositories read
 * them as the `Set` or `Uint8Array` DynamoDB's document client returns. N becomes a JSON
 * number whose text is built here from DynamoDB's decimal text, never through a JavaScript
 * number: `jsonb` keeps it as `numeric`, exactly. On the way out the column is read as
 * text (`item::text`) and parsed by the reader below, which keeps each number's text as
 * PostgreSQL printed it.
 *
 * Why a reader of our own: `JSON.parse` turns `12345678901234567890` into a double (its
 * reviver sees the source text only from Node 21 on), and no lossless JSON parser is a
 * dependency of the project. The text it reads is PostgreSQL's own rendering of a `jsonb`
 * value, a small and strict subset of JSON; strings are decoded by `JSON.parse` itself.
 *
 * What does not survive, on purpose or by nature:
 * - the order of attributes: `jsonb` sorts an object's keys (DynamoDB keeps no order either);
 * - a number's spelling: `1e3` is stored as `1000`, and `1.0` comes back `1.0` where
 *   DynamoDB would say `1`; the value is exact, and DynamoDB normalises it again on import,
 *   so an item that goes DynamoDB → PostgreSQL → DynamoDB comes back equal;
 * - U+0000 in a string: PostgreSQL's text cannot hold it, so such an item is refused when
 *   the file is verified, before anything is written;
 * - a map that looks like a tag (exactly `$type` naming SS, NS, BS or B, and `$value`):
 *   it would read back as a set, so it is refused the same way.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { LmsError } from '../../errors.ts';
import { setOwn } from '../../lib/own-keys.ts';
import {
  type AttributeMap,
  BASE64,
  ItemLineError,
  itemFromLine,
  itemToLine,
  NUMBER as NUMBER_TEXT,
} from '../dynamodb/item-json.ts';
import { TAG, TAGGED_TYPES, TAGGED_VALUE, type TaggedType } from './values.ts';

// The line format is DynamoDB JSON whatever the engine, so this adapter speaks it through
// the one module that defines it (pure; its import of the SDK is a type only).

/** `jsonb` text that is not an object in PostgreSQL's rendering (a bug, or a foreign row). */
export class JsonbTextError extends LmsError {
  readonly code = 'INVALID_JSONB_TEXT';
}

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const stringText = (value: string, path: string): string => {
  if (value.includes('\0')) {
    throw new ItemLineError(path, 'PostgreSQL cannot store the character U+0000 in text');
  }
  return JSON.stringify(value);
};

// DynamoDB's number syntax (item-json.ts checked it), in parts.
const DYNAMO_NUMBER = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/**
 * DynamoDB's decimal text as a JSON number: the same digits, spelt the way JSON allows
 * (no `+`, no leading zeros, no bare `.5` or `5.`). Nothing is rounded.
 *
 * @example
 * ```ts
 * jsonNumber('+007.50'); // '7.50'
 * jsonNumber('12345678901234567890'); // unchanged
 * ```
 */
export const jsonNumber = (text: string, path = 'N'): string => {
  const parts = DYNAMO_NUMBER.exec(text);
  if (parts === null || (parts[2] === '' && (parts[3] ?? '') === '')) {
    throw new ItemLineError(path, `"${text}" is not a number`);
  }
  const [, sign, whole = '', fraction, exponent] = parts;
  const digits = whole.replace(/^0+(?=\d)/, '') || '0';
  return `${sign === '-' ? '-' : ''}${digits}${fraction ? `.${fraction}` : ''}${exponent === undefined ? '' : `e${exponent}`}`;
};

const tagText = (type: TaggedType, value: string): string =>
  `{${JSON.stringify(TAG)}:${JSON.stringify(type)},${JSON.stringify(TAGGED_VALUE)}:${value}}`;

/** Whether an object with these attributes would be read back as a tag (`values.ts`). */
const looksTagged = (map: AttributeMap): boolean => {
  const names = Object.keys(map);
  const type = map[TAG]?.S;
  return (
    names.length === 2 &&
    TAGGED_VALUE in map &&
    type !== undefined &&
    (TAGGED_TYPES as readonly string[]).includes(type)
  );
};

const valueText = (value: AttributeValue, path: string): string => {
  if (value.S !== undefined) return stringText(value.S, path);
  if (value.N !== undefined) return jsonNumber(value.N, path);
  if (value.BOOL !== undefined) return value.BOOL ? 'true' : 'false';
  if (value.NULL !== undefined) return 'null';
  if (value.L !== undefined) {
    return `[${value.L.map((v, i) => valueText(v, `${path}[${i}]`)).join(',')}]`;
  }
  if (value.M !== undefined) {
    if (looksTagged(value.M)) {
      throw new ItemLineError(
        path,
        `a map of exactly "${TAG}" and "${TAGGED_VALUE}" would read back from PostgreSQL as a set or bytes`,
      );
    }
    return mapText(value.M, path);
  }
  if (value.SS !== undefined) {
    return tagText('SS', `[${value.SS.map((s, i) => stringText(s, `${path}[${i}]`)).join(',')}]`);
  }
  // Decimal strings, as `values.ts` writes a number set: their text is kept as given.
  if (value.NS !== undefined) return tagText('NS', JSON.stringify(value.NS));
  if (value.B !== undefined) return tagText('B', JSON.stringify(base64(value.B)));
  if (value.BS !== undefined) return tagText('BS', JSON.stringify(value.BS.map(base64)));
  throw new ItemLineError(path, `attribute of an unknown type (${Object.keys(value).join(', ')})`);
};

const mapText = (map: AttributeMap, path: string): string =>
  `{${Object.entries(map)
    .map(([name, value]) => `${stringText(name, path)}:${valueText(value, `${path}.${name}`)}`)
    .join(',')}}`;

/**
 * The `jsonb` text of an item.
 *
 * @example
 * ```ts
 * itemToJsonbText({ id: { S: 's-1' }, n: { N: '12345678901234567890' }, tags: { SS: ['a'] } });
 * // '{"id":"s-1","n":12345678901234567890,"tags":{"$type":"SS","$value":["a"]}}'
 * ```
 */
export const itemToJsonbText = (item: AttributeMap): string => mapText(item, 'Item');

/** The `jsonb` text of the item of an export line; throws {@link ItemLineError}. */
export const lineToJsonbText = (line: string): string => itemToJsonbText(itemFromLine(line));

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

const bytesOf = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'base64'));

/** The strings of a non-empty list of strings that all pass `valid`, else undefined. */
const strings = (value: AttributeValue | undefined, valid: (s: string) => boolean) => {
  const list = value?.L;
  if (list === undefined || list.length === 0) return undefined;
  const out: string[] = [];
  for (const element of list) {
    if (element.S === undefined || !valid(element.S)) return undefined;
    out.push(element.S);
  }
  return out;
};

/**
 * A tag read back as its DynamoDB type; an object that only resembles one (a `$value` of
 * the wrong shape, which no write of ours produces) stays a map, so nothing is dropped.
 */
const fromTag = (map: AttributeMap): AttributeValue | undefined => {
  if (!looksTagged(map)) return undefined;
  const inner = map[TAGGED_VALUE];
  switch (map[TAG]?.S as TaggedType) {
    case 'SS': {
      const values = strings(inner, () => true);
      return values === undefined ? undefined : { SS: values };
    }
    case 'NS': {
      const values = strings(inner, (s) => NUMBER_TEXT.test(s));
      return values === undefined ? undefined : { NS: values };
    }
    case 'BS': {
      const values = strings(inner, (s) => BASE64.test(s));
      return values === undefined ? undefined : { BS: values.map(bytesOf) };
    }
    case 'B':
      return inner?.S !== undefined && BASE64.test(inner.S) ? { B: bytesOf(inner.S) } : undefined;
    default:
      return undefined;
  }
};

/** A recursive-descent reader of one JSON text, numbers kept as their text. */
class JsonbReader {
  #at = 0;

  constructor(private readonly text: string) {}

  item(): AttributeMap {
    this.#space();
    const value = this.#value();
    this.#space();
    if (this.#at !== this.text.length) this.#fail('text after the value');
    if (value.M === undefined) this.#fail('not an object');
    return value.M;
  }

  #fail(problem: string): never {
    throw new JsonbTextError(`jsonb text at offset ${this.#at}: ${problem}`);
  }

  #space(): void {
    while (/[ \t\n\r]/.test(this.text[this.#at] ?? '')) this.#at += 1;
  }

  #value(): AttributeValue {
    const c = this.text[this.#at];
    if (c === '{') return this.#object();
    if (c === '[') return this.#array();
    if (c === '"') return { S: this.#string() };
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return { ...value };
      }
    }
    NUMBER_TOKEN.lastIndex = this.#at;
    const number = NUMBER_TOKEN.exec(this.text);
    if (number === null) this.#fail('expected a value');
    this.#at += number[0].length;
    return { N: number[0] };
  }

  #string(): string {
    const start = this.#at;
    this.#at += 1;
    for (;;) {
      const c = this.text[this.#at];
      if (c === undefined) this.#fail('unterminated string');
      this.#at += c === '\\' ? 2 : 1;
      if (c === '"') break;
    }
    // JSON.parse decodes the escapes of exactly one string token, exactly.
    return JSON.parse(this.text.slice(start, this.#at)) as string;
  }

  #expect(c: string): void {
    this.#space();
    if (this.text[this.#at] !== c) this.#fail(`expected ${c}`);
    this.#at += 1;
    this.#space();
  }

  /** `{` or `[` already seen: elements until `close`, each read by `element`. */
  #elements(close: string, element: () => void): void {
    this.#at += 1;
    this.#space();
    if (this.text[this.#at] === close) {
      this.#at += 1;
      return;
    }
    for (;;) {
      element();
      this.#space();
      const c = this.text[this.#at];
      this.#at += 1;
      if (c === close) return;
      if (c !== ',') this.#fail(`expected , or ${close}`);
      this.#space();
    }
  }

  #object(): AttributeValue {
    const map: AttributeMap = {};
    this.#elements('}', () => {
      if (this.text[this.#at] !== '"') this.#fail('expected a key');
      const name = this.#string();
      this.#expect(':');
      setOwn(map, name, this.#value());
    });
    return fromTag(map) ?? { M: map };
  }

  #array(): AttributeValue {
    const list: AttributeValue[] = [];
    this.#elements(']', () => {
      list.push(this.#value());
    });
    return { L: list };
  }
}

const LITERALS: readonly (readonly [string, AttributeValue])[] = [
  ['true', { BOOL: true }],
  ['false', { BOOL: false }],
  ['null', { NULL: true }],
];

/**
 * The item stored as this `jsonb` text (`item::text`); throws {@link JsonbTextError}.
 *
 * @example
 * ```ts
 * jsonbTextToItem('{"n": 12345678901234567890, "s": {"$type": "SS", "$value": ["a"]}}');
 * // { n: { N: '12345678901234567890' }, s: { SS: ['a'] } }
 * ```
 */
export const jsonbTextToItem = (text: string): AttributeMap => new JsonbReader(text).item();

/** The export line of an item stored as this `jsonb` text. */
export const jsonbTextToLine = (text: string): string => itemToLine(jsonbTextToItem(text));
