import { describe, expect, it } from 'vitest';
import { averageLinkage, cutAfterMerges, mergesAbove } from './linkage';

describe('averageLinkage', () => {
  // Unit vectors in 2-D at angles 0°, 10°, 20° and 90°, 100°: two groups.
  const angles = [0, 10, 20, 90, 100].map((d) => (d * Math.PI) / 180);
  const vectors = Float32Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a)]));
  const rows = Int32Array.from([0, 1, 2, 3, 4]);

  it('merges in non-increasing similarity and cuts into the two groups', () => {
    const d = averageLinkage(vectors, 2, rows, new Float64Array(5).fill(1));
    expect(d.heights.length).toBe(4);
    for (let t = 1; t < 4; t++) expect(d.heights[t]!).toBeLessThanOrEqual(d.heights[t - 1]!);
    expect(d.heights[0]).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 6);
    expect(Array.from(cutAfterMerges(d, 3))).toEqual([0, 0, 0, 1, 1]);
    expect(mergesAbove(d, 0.5)).toBe(3);
    // the last merge: average cosine between {0°,10°,20°} and {90°,100°} over the six pairs.
    const pairs = [90, 80, 70, 100, 90, 80].map((d) => Math.cos((d * Math.PI) / 180));
    expect(d.heights[3]).toBeCloseTo(pairs.reduce((a, b) => a + b) / 6, 6);
  });

  it('uses point weights in the average', () => {
    const weights = Float64Array.from([1, 1, 1, 1, 100]);
    const d = averageLinkage(vectors, 2, rows, weights);
    const cos = (deg: number): number => Math.cos((deg * Math.PI) / 180);
    const expected = (cos(90) + cos(80) + cos(70) + 100 * (cos(100) + cos(90) + cos(80))) / 303;
    expect(d.heights[3]).toBeCloseTo(expected, 6);
  });
});
