import { describe, expect, it } from 'vitest';
import { createRng, mixSeed } from './random';

describe('createRng', () => {
  it('reproduces the reference mulberry32 sequence for seed 42', () => {
    const rng = createRng(42);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createRng(123);
    const b = createRng(123);
    const c = createRng(124);
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    const seqC = Array.from({ length: 50 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('keeps next() in [0,1) and int() in [0,max) hitting every value', () => {
    const rng = createRng(9);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = rng.int(7);
      expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rng.int(0)).toBe(0);
  });

  it('draws exact integers, picks and shuffles for a fixed seed', () => {
    const rng = createRng(1);
    expect([rng.int(10), rng.int(10), rng.int(10), rng.int(10), rng.int(10)]).toEqual([6, 0, 5, 9, 9]);
    expect(createRng(7).shuffle([1, 2, 3, 4, 5])).toEqual([4, 2, 3, 5, 1]);
  });

  it('shuffles in place, keeping the elements', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const out = createRng(5).shuffle(items);
    expect(out).toBe(items);
    expect([...items].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(items).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('picks only from the array and refuses an empty one', () => {
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) expect(['a', 'b', 'c']).toContain(rng.pick(['a', 'b', 'c']));
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('makes chance(p) true about p of the time, never for 0 and always for 1', () => {
    const rng = createRng(11);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (rng.chance(0.3)) hits++;
    expect(hits / 20_000).toBeGreaterThan(0.28);
    expect(hits / 20_000).toBeLessThan(0.32);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
  });

  it('keeps float() in [min,max)', () => {
    const rng = createRng(2);
    for (let i = 0; i < 1000; i++) {
      const x = rng.float(0.5, 0.75);
      expect(x >= 0.5 && x < 0.75).toBe(true);
    }
  });
});

describe('mixSeed', () => {
  it('is deterministic and spreads consecutive inputs', () => {
    expect(mixSeed(1, 0)).toBe(301794027);
    expect(mixSeed(1, 1)).toBe(-1314919812);
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => mixSeed(20261124, i)));
    expect(seeds.size).toBe(1000);
  });
});
