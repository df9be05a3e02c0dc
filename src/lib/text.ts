/**
 * Rules for text that enters from outside (request bodies, path and query parameters) and
 * may become a DynamoDB key. One place, so the body, the parameters and the published
 * OpenAPI patterns say the same thing.
 */

/**
 * A lone UTF-16 surrogate. With the `u` flag a well-formed pair is one code point (not in
 * `Cs`), so only an unpaired half matches. Written as a pattern rather than with
 * `String.prototype.isWellFormed` (ES2024, beyond this project's `lib`) so the same rule
 * can be published in the OpenAPI document. Such a string cannot be encoded as UTF-8:
 * the SDK would send U+FFFD instead, so two different ids would become one key.
 */
export const LONE_SURROGATE = /\p{Cs}/u;

/** C0 and C1 control characters and DEL: never part of an id or a word. */
export const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Whether a string is well-formed Unicode (no lone surrogate).
 *
 * @example
 * ```ts
 * isWellFormed('a😀'); // true
 * isWellFormed('a\ud83d'); // false
 * ```
 */
export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

/**
 * The length of a string in UTF-8 bytes, as DynamoDB measures keys.
 *
 * @example
 * ```ts
 * utf8Length('é'); // 2
 * ```
 */
export const utf8Length = (value: string): number => Buffer.byteLength(value, 'utf8');

/**
 * A string cut to at most `max` characters, marked with `…` when cut: for echoing client
 * input in an error reply without letting the input decide the reply's size. Never cuts
 * a surrogate pair in half.
 *
 * @example
 * ```ts
 * clip('abcdef', 4); // 'abc…'
 * ```
 */
export const clip = (value: string, max: number): string => {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
};
