/**
 * The size DynamoDB bills and limits (400 KB) an item at, by its published rules: attribute
 * names and strings in UTF-8 bytes, a number about one byte per two significant digits plus
 * one, a boolean or null one byte, a list or map 3 bytes plus one per element and the
 * elements (a map's keys count as names). No SDK call computes it; the rules are short.
 *
 * @example
 * ```ts
 * itemBytes({ id: 's-1', n: 12 }); // 2 + 3 + 1 + 2 = 8
 * ```
 */
const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

const valueBytes = (value: unknown): number => {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace(/[^0-9]/g, '')
      .replace(/^0+/, '').length;
    return Math.ceil(Math.max(1, digits) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || value instanceof Set) {
    let size = 3;
    for (const element of value) size += 1 + valueBytes(element);
    return size;
  }
  if (typeof value === 'object') {
    let size = 3;
    for (const [key, element] of Object.entries(value)) size += 1 + utf8(key) + valueBytes(element);
    return size;
  }
  return utf8(String(value));
};

export const itemBytes = (item: Readonly<Record<string, unknown>>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);

/** DynamoDB's largest item. */
export const MAX_ITEM_BYTES = 400 * 1024;
