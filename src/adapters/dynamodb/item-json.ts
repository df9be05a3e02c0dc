/**
 * One stored item as one line of DynamoDB JSON, the format of AWS's own "export to S3"
 * (`{"Item":{"id":{"S":"s-1"},"tags":{"SS":["a"]}}}`): every attribute keeps its DynamoDB
 * type, so sets stay sets, numbers stay decimal strings (no loss beyond 2^53) and binary
 * values are base64 strings. Pure: the exporter writes these lines, the importer reads them
 * back into the very AttributeValue maps that were scanned.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { LmsError } from '../../errors.ts';
import { isRecord } from '../../lib/is-record.ts';
import { setOwn } from '../../lib/own-keys.ts';

/** An item as the low-level client reads and writes it. */
export type AttributeMap = Record<string, AttributeValue>;

/** A line that is not one item in DynamoDB JSON; `path` says where inside it. */
export class ItemLineError extends LmsError {
  readonly code = 'INVALID_ITEM_LINE';

  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${problem}`, options);
  }
}

/** A JSON value (what `JSON.stringify` writes for an attribute). */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const toJson = (value: AttributeValue, path: string): Json => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: mapToJson(value.M, path) };
  if (value.L !== undefined) return { L: value.L.map((v, i) => toJson(v, `${path}[${i}]`)) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  // A type this SDK does not know: refusing beats writing a file that silently lacks it.
  throw new ItemLineError(path, `attribute of an unknown type (${Object.keys(value).join(', ')})`);
};

const mapToJson = (map: Record<string, AttributeValue>, path: string): Record<string, Json> => {
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(map))
    setOwn(out, name, toJson(value, `${path}.${name}`));
  return out;
};

/**
 * The line (without its newline) that stands for one item.
 *
 * @example
 * ```ts
 * itemToLine({ id: { S: 's-1' }, n: { N: '12345678901234567890' } });
 * // '{"Item":{"id":{"S":"s-1"},"n":{"N":"12345678901234567890"}}}'
 * ```
 */
export const itemToLine = (item: AttributeMap): string =>
  JSON.stringify({ Item: mapToJson(item, 'Item') });

// DynamoDB's number syntax: an optional sign, digits with an optional fraction, an optional exponent.
export const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
// Canonical base64 only: `Buffer.from(s, 'base64')` would skip stray characters silently.
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const str = (value: unknown, path: string): string => {
  if (typeof value !== 'string') throw new ItemLineError(path, 'expected a string');
  return value;
};

const num = (value: unknown, path: string): string => {
  const text = str(value, path);
  if (!NUMBER.test(text)) throw new ItemLineError(path, `"${text}" is not a number`);
  return text;
};

const bytes = (value: unknown, path: string): Uint8Array => {
  const text = str(value, path);
  if (!BASE64.test(text)) throw new ItemLineError(path, 'expected base64');
  return Uint8Array.from(Buffer.from(text, 'base64'));
};

const set = <T>(value: unknown, path: string, each: (v: unknown, p: string) => T): T[] => {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ItemLineError(path, 'expected a non-empty array (DynamoDB has no empty sets)');
  }
  return value.map((v, i) => each(v, `${path}[${i}]`));
};

const fromJson = (value: unknown, path: string): AttributeValue => {
  if (!isRecord(value)) throw new ItemLineError(path, 'expected an object such as {"S":"..."}');
  const types = Object.keys(value);
  const [type] = types;
  if (types.length !== 1 || type === undefined) {
    throw new ItemLineError(path, `expected exactly one type key, found ${types.length}`);
  }
  const inner = value[type];
  const at = `${path}.${type}`;
  switch (type) {
    case 'S':
      return { S: str(inner, at) };
    case 'N':
      return { N: num(inner, at) };
    case 'B':
      return { B: bytes(inner, at) };
    case 'SS':
      return { SS: set(inner, at, str) };
    case 'NS':
      return { NS: set(inner, at, num) };
    case 'BS':
      return { BS: set(inner, at, bytes) };
    case 'M':
      if (!isRecord(inner)) throw new ItemLineError(at, 'expected an object');
      return { M: mapFromJson(inner, at) };
    case 'L':
      if (!Array.isArray(inner)) throw new ItemLineError(at, 'expected an array');
      return { L: inner.map((v, i) => fromJson(v, `${at}[${i}]`)) };
    case 'NULL':
      if (inner !== true) throw new ItemLineError(at, 'expected true');
      return { NULL: true };
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new ItemLineError(at, 'expected true or false');
      return { BOOL: inner };
    default:
      throw new ItemLineError(path, `unknown type "${type}"`);
  }
};

const mapFromJson = (map: Record<string, unknown>, path: string): AttributeMap => {
  const out: AttributeMap = {};
  for (const [name, value] of Object.entries(map))
    setOwn(out, name, fromJson(value, `${path}.${name}`));
  return out;
};

/**
 * The item a line stands for; throws {@link ItemLineError} naming what is wrong.
 *
 * @example
 * ```ts
 * itemFromLine('{"Item":{"id":{"S":"s-1"}}}'); // { id: { S: 's-1' } }
 * ```
 */
export const itemFromLine = (line: string): AttributeMap => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new ItemLineError('line', 'not JSON', { cause: error });
  }
  if (!isRecord(parsed) || Object.keys(parsed).length !== 1 || !isRecord(parsed.Item)) {
    throw new ItemLineError('line', 'expected {"Item":{...}}');
  }
  return mapFromJson(parsed.Item, 'Item');
};
