/**
 * The values DynamoDB has and JSON has not, in an item's `jsonb`. An item the LMS app
 * wrote may hold a string set (`parent_ids` once was one), a number set or a byte string;
 * moved into PostgreSQL (`lms import`) and back it must come out the same. Such a value is
 * kept as a tagged object, `{"$type": "SS", "$value": [...]}`, and read back as the `Set`
 * or `Uint8Array` the DynamoDB document client would return, so the entity schemas see the
 * same values from either engine. A number beyond JavaScript's precision is kept exactly
 * by `jsonb` itself (`numeric`); only `lms export` reads such numbers, as text.
 *
 * An object of the LMS app with exactly the keys `$type` and `$value` would be read as a
 * tag: none exists, and the tag keys start with `$` to keep it so.
 */
import { isRecord } from '../../lib/is-record.ts';

export const TAG = '$type';
export const TAGGED_VALUE = '$value';

/** The DynamoDB types kept as tags. */
export const TAGGED_TYPES = ['SS', 'NS', 'BS', 'B'] as const;
export type TaggedType = (typeof TAGGED_TYPES)[number];

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** `JSON.stringify`'s replacer for items on their way in: sets and bytes become tags. */
export const replacer = (_key: string, value: unknown): unknown => {
  if (value instanceof Set) {
    const values = [...value];
    if (values.every((v) => typeof v === 'string')) return { [TAG]: 'SS', [TAGGED_VALUE]: values };
    if (values.every((v) => typeof v === 'number')) {
      return { [TAG]: 'NS', [TAGGED_VALUE]: values.map(String) };
    }
    if (values.every((v) => v instanceof Uint8Array)) {
      return { [TAG]: 'BS', [TAGGED_VALUE]: values.map(base64) };
    }
  }
  if (value instanceof Uint8Array) return { [TAG]: 'B', [TAGGED_VALUE]: base64(value) };
  return value;
};

/** Whether a value holds a set or bytes anywhere (what {@link replacer} would change). */
const needsTags = (value: unknown): boolean => {
  if (value === null || typeof value !== 'object') return false;
  if (value instanceof Set || value instanceof Uint8Array) return true;
  if (Array.isArray(value)) {
    for (const element of value) if (needsTags(element)) return true;
    return false;
  }
  if (!isRecord(value)) return false;
  for (const key in value) if (needsTags(value[key])) return true;
  return false;
};

/**
 * An item (or any value) as `jsonb` text. A replacer makes `JSON.stringify` call back for
 * every value; a batch of 500 answers has none to tag (measured: the walk and the plain
 * call take about a third of the replacer's time), so the replacer runs only when needed.
 */
export const toJsonText = (value: unknown): string =>
  needsTags(value) ? JSON.stringify(value, replacer) : JSON.stringify(value);

const isTagged = (value: Record<string, unknown>): boolean => {
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    typeof value[TAG] === 'string' &&
    TAGGED_VALUE in value &&
    (TAGGED_TYPES as readonly string[]).includes(value[TAG])
  );
};

const fromTag = (value: Record<string, unknown>): unknown => {
  const inner = value[TAGGED_VALUE];
  switch (value[TAG]) {
    case 'SS':
      return Array.isArray(inner) ? new Set(inner.map(String)) : value;
    case 'NS':
      return Array.isArray(inner) ? new Set(inner.map(Number)) : value;
    case 'BS':
      return Array.isArray(inner)
        ? new Set(inner.map((v) => new Uint8Array(Buffer.from(String(v), 'base64'))))
        : value;
    case 'B':
      return typeof inner === 'string' ? new Uint8Array(Buffer.from(inner, 'base64')) : value;
    default:
      return value;
  }
};

/**
 * `jsonb` text as a value, tags turned back into sets and bytes. Text without a tag (every
 * item this project writes) is parsed as it is.
 */
export const fromJsonText = (text: string): unknown =>
  text.includes(`"${TAG}"`)
    ? JSON.parse(text, (_key, value: unknown) =>
        isRecord(value) && isTagged(value) ? fromTag(value) : value,
      )
    : JSON.parse(text);
