/**
 * A small seeded PRNG (mulberry32) and the draws the generator needs. Seeded so that
 * `lms seed --seed 7` writes the same organisation on every machine; not for anything
 * secret.
 */
import { fnv1a } from '../lib/fnv.ts';
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A fresh generator derived from this one and a label (stable per label). */
  fork(label: string | number): Random;
}

const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Turns a label into a seed offset. */
const hash = fnv1a;

/**
 * @example
 * ```ts
 * const random = seeded(42);
 * random.int(1, 6); // the same value on every run
 * const perStudent = random.fork('s-00017'); // independent of how many draws came before
 * ```
 */
export const seeded = (seed: number): Random => {
  const next = mulberry32(seed);
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    chance: (p) => next() < p,
    fork: (label) => seeded((seed ^ hash(String(label))) >>> 0),
  };
  return random;
};
