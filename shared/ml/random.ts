/** A seeded pseudo-random number generator; the same seed always gives the same sequence. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive); 0 when maxExclusive <= 0. */
  int(maxExclusive: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** Shuffles the array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** True with probability p. */
  chance(p: number): boolean;
}

const TWO_POW_32 = 4294967296;

/**
 * Creates a mulberry32 generator: 32 bits of state, period 2^32, fast and good enough
 * for sampling, shuffling and synthetic data (not for cryptography).
 * The seed is truncated to a 32-bit integer.
 * References: Tommy Ettinger, "mulberry32" (2017), public domain.
 */
export function createRng(seed: number): Rng {
  let state = seed | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
  const int = (maxExclusive: number): number => (maxExclusive > 0 ? Math.floor(next() * maxExclusive) : 0);
  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[int(items.length)] as T;
    },
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = items[i] as T;
        items[i] = items[j] as T;
        items[j] = tmp;
      }
      return items;
    },
    chance: (p) => next() < p,
  };
}

/**
 * Mixes two integers into one well-spread 32-bit seed (murmur3 finalizer), so that
 * `createRng(mixSeed(seed, i))` gives independent streams for consecutive i.
 */
export function mixSeed(a: number, b: number): number {
  return fmix32((Math.imul(a | 0, 0x9e3779b1) ^ (b | 0)) | 0);
}

/** The murmur3 32-bit finalizer: spreads every input bit over the output. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Up to `count` of 0…n−1 drawn without replacement by a seeded shuffle, ascending (all of them when count ≥ n). */
export function sampleIndexes(n: number, count: number, rng: Rng): Int32Array {
  const all = Array.from({ length: n }, (_, i) => i);
  if (count >= n) return Int32Array.from(all);
  rng.shuffle(all);
  return Int32Array.from(all.slice(0, count).sort((a, b) => a - b));
}
