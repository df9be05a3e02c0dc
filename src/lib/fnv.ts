/**
 * FNV-1a, 32 bits: a small, stable hash of a string (seed labels, which segment a key
 * falls in). Not for anything that must resist a chosen input.
 *
 * @example
 * ```ts
 * fnv1a('s-000017') % 8; // the same segment on every run
 * ```
 */
export const fnv1a = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};
