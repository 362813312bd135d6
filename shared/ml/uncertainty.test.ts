import { describe, expect, it } from 'vitest';
import { createRng } from './random';
import { marginScores, topK, topTwo } from './uncertainty';

describe('topTwo and marginScores', () => {
  it('finds the two most probable classes and their margin', () => {
    const probs = Float32Array.from([0.1, 0.6, 0.3, 0.41, 0.18, 0.41, 1, 0, 0]);
    const t = topTwo(probs, 3);
    expect([...t.first]).toEqual([1, 0, 0]);
    expect([...t.second]).toEqual([2, 2, 1]);
    expect([...marginScores(probs, 3)].map((m) => Math.round(m * 100) / 100)).toEqual([0.3, 0, 1]);
  });
});

describe('topK', () => {
  it('matches a stable sort of each row, best first, -1 with probability 0 past the classes', () => {
    const rng = createRng(7);
    const classes = 5;
    const probs = Float32Array.from({ length: classes * 40 }, () => Math.round(rng.next() * 4) / 4);
    const top = topK(probs, classes, 6);
    for (let r = 0; r < 40; r++) {
      const row = [...probs.subarray(r * classes, (r + 1) * classes)];
      const order = row.map((p, c) => ({ p, c })).sort((x, y) => y.p - x.p || x.c - y.c);
      expect(top.index.map((col) => col[r])).toEqual([...order.map((o) => o.c), -1]);
      expect(top.prob.map((col) => col[r])).toEqual([...order.map((o) => o.p), 0]);
    }
  });
});
