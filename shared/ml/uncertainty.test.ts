import { describe, expect, it } from 'vitest';
import { marginScores, topTwo } from './uncertainty';

describe('topTwo and marginScores', () => {
  it('finds the two most probable classes and their margin', () => {
    const probs = Float32Array.from([0.1, 0.6, 0.3, 0.41, 0.18, 0.41, 1, 0, 0]);
    const t = topTwo(probs, 3);
    expect([...t.first]).toEqual([1, 0, 0]);
    expect([...t.second]).toEqual([2, 2, 1]);
    expect([...marginScores(probs, 3)].map((m) => Math.round(m * 100) / 100)).toEqual([0.3, 0, 1]);
  });
});
