import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './featurize';
import { marginScores, selectDiverseBatch, topTwo } from './uncertainty';

describe('topTwo and marginScores', () => {
  it('finds the two most probable classes and their margin', () => {
    const probs = Float32Array.from([0.1, 0.6, 0.3, 0.41, 0.18, 0.41, 1, 0, 0]);
    const t = topTwo(probs, 3);
    expect([...t.first]).toEqual([1, 0, 0]);
    expect([...t.second]).toEqual([2, 2, 1]);
    expect([...marginScores(probs, 3)].map((m) => Math.round(m * 100) / 100)).toEqual([0.3, 0, 1]);
  });
});

describe('selectDiverseBatch', () => {
  // Rows 0 and 1 are the same utterance; row 2 is orthogonal; row 3 is 0.6-similar to row 0.
  const x: CsrMatrix = {
    rows: 4,
    cols: 4,
    indptr: Int32Array.from([0, 1, 2, 3, 5]),
    indices: Int32Array.from([0, 0, 1, 0, 2]),
    values: Float32Array.from([1, 1, 1, 0.6, 0.8]),
  };

  it('skips near-duplicates of rows already picked', () => {
    expect([...selectDiverseBatch(Int32Array.from([0, 1, 2, 3]), x, 3, 0.9)]).toEqual([0, 2, 3]);
  });

  it('applies the similarity bound strictly and stops at the batch size', () => {
    expect([...selectDiverseBatch(Int32Array.from([0, 1, 2, 3]), x, 3, 0.5)]).toEqual([0, 2]);
    expect([...selectDiverseBatch(Int32Array.from([3, 2, 1, 0]), x, 2, 0.9)]).toEqual([3, 2]);
  });
});
