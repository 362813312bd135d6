import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, clusteringAccuracy, normalizedMutualInfo, solveAssignment } from './clusterMetrics';

describe('normalizedMutualInfo', () => {
  it('is 1 for the same partition under renamed ids and 0 for independent ones', () => {
    expect(normalizedMutualInfo([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBeCloseTo(1, 12);
    expect(normalizedMutualInfo([0, 1, 0, 1], [0, 0, 1, 1])).toBeCloseTo(0, 12);
  });

  it('matches scikit-learn (values computed once with sklearn 1.2.1 normalized_mutual_info_score)', () => {
    expect(normalizedMutualInfo([0, 0, 1, 1, 2, 2, 2, 0], [0, 0, 0, 1, 1, 1, 2, 2])).toBeCloseTo(0.3987478202411473, 10);
    expect(normalizedMutualInfo([0, 0, 0, 1, 1, 1, 1, 1, 2, 3], [1, 1, 0, 0, 0, 0, 2, 2, 2, 2])).toBeCloseTo(0.4745047344618318, 10);
  });

  it('computes a hand-worked case: two clusters vs one class', () => {
    expect(normalizedMutualInfo([0, 0, 1, 1], [0, 0, 0, 0])).toBe(0);
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for identical partitions', () => {
    expect(adjustedRandIndex([1, 1, 0, 0], [0, 0, 1, 1])).toBe(1);
  });

  it('matches scikit-learn (values computed once with sklearn 1.2.1 adjusted_rand_score)', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2, 2, 0], [0, 0, 0, 1, 1, 1, 2, 2])).toBeCloseTo(0.047619047619047616, 12);
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1, 1, 1, 2, 3], [1, 1, 0, 0, 0, 0, 2, 2, 2, 2])).toBeCloseTo(0.1346153846153846, 12);
  });

  it('computes a hand-worked case: {0,0,1,1} vs {0,0,0,1}', () => {
    // index = C(2,2) = 1; row pairs = 1 + 1 = 2; column pairs = C(3,2) = 3; expected = 2·3/6 = 1; max = 2.5 → 0.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 1])).toBeCloseTo(0, 12);
  });
});

describe('clusteringAccuracy', () => {
  it('maps clusters one-to-one to classes (hand-worked)', () => {
    // table rows p0: {t0: 2, t2: 1}, p1: {t0: 1, t1: 1}, p2: {t1: 2, t2: 1}: the best matching covers 4 of 8.
    expect(clusteringAccuracy([0, 0, 1, 1, 2, 2, 2, 0], [0, 0, 0, 1, 1, 1, 2, 2])).toBe(0.5);
    // four clusters, three classes: p0→t1 (2), p1→t0 (3), p2 or p3→t2 (1) = 6 of 10.
    expect(clusteringAccuracy([0, 0, 0, 1, 1, 1, 1, 1, 2, 3], [1, 1, 0, 0, 0, 0, 2, 2, 2, 2])).toBe(0.6);
  });

  it('counts an over-split class once', () => {
    expect(clusteringAccuracy([0, 1, 2, 3], [0, 0, 0, 0])).toBe(0.25);
  });
});

describe('solveAssignment', () => {
  it('finds the minimum-cost assignment of a square matrix (checked by enumeration)', () => {
    const cost = Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
    const match = solveAssignment(cost, 3, 3);
    expect(Array.from(match)).toEqual([1, 0, 2]);
  });

  it('handles more rows than columns (some rows unmatched) and more columns than rows', () => {
    const tall = solveAssignment(Float64Array.from([5, 1, 1, 5, 0, 0]), 3, 2);
    expect(tall.filter((c) => c >= 0).length).toBe(2);
    expect(tall[2]).not.toBe(-1);
    const wide = solveAssignment(Float64Array.from([3, 1, 2, 0, 4, 5]), 2, 3);
    expect(Array.from(wide)).toEqual([1, 0]);
  });
});
