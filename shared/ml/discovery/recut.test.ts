import { describe, expect, it } from 'vitest';
import { averageLinkage } from './linkage';
import { meanPairwiseSimilarity, splitIncoherent } from './recut';

describe('meanPairwiseSimilarity', () => {
  it('is the mean cosine over pairs of texts, copies counting as identical pairs', () => {
    // Two orthogonal unit vectors: |sum|² = 2, one pair of similarity 0.
    expect(meanPairwiseSimilarity(2, 2)).toBe(0);
    // The same two with the first counted twice: |2a + b|² = 5; pairs (a,a)=1, (a,b)=0 twice → mean 1/3.
    expect(meanPairwiseSimilarity(5, 3)).toBeCloseTo(1 / 3, 12);
    expect(meanPairwiseSimilarity(1, 1)).toBe(1);
  });
});

describe('splitIncoherent', () => {
  // Three tight pairs on the unit circle at 0°/10°, 60°/70° and 180°/190°.
  const angles = [0, 10, 60, 70, 180, 190].map((d) => (d * Math.PI) / 180);
  const vectors = Float32Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a)]));
  const rows = Int32Array.from([0, 1, 2, 3, 4, 5]);
  const weights = new Float64Array(6).fill(1);
  const d = averageLinkage(vectors, 2, rows, weights);

  it('splits the merged-everything cut down to the coherent pairs', () => {
    const recut = splitIncoherent(d, vectors, 2, rows, weights, 5, 0.9, 2);
    expect(recut.k).toBe(3);
    expect(recut.splits).toBe(2);
    expect(recut.labels[0]).toBe(recut.labels[1]);
    expect(recut.labels[2]).toBe(recut.labels[3]);
    expect(recut.labels[4]).toBe(recut.labels[5]);
    expect(new Set(recut.labels).size).toBe(3);
    expect(recut.lowestKept).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 6);
  });

  it('keeps a cut whose clusters are coherent enough, and clusters too light to split', () => {
    // After 4 merges: {0°,10°,60°,70°} (mean pairwise cos ≈ 0.66) and {180°,190°}.
    expect(splitIncoherent(d, vectors, 2, rows, weights, 4, 0.5, 2).k).toBe(2);
    expect(splitIncoherent(d, vectors, 2, rows, weights, 4, 0.9, 2).k).toBe(3);
    expect(splitIncoherent(d, vectors, 2, rows, weights, 4, 0.9, 5).k).toBe(2);
  });
});
