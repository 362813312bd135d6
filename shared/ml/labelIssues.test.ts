import { describe, expect, it } from 'vitest';
import { findLabelIssues } from './labelIssues';
import { createRng } from './random';

describe('findLabelIssues', () => {
  it('matches a hand-computed example', () => {
    // Class thresholds: t0 = (0.9 + 0.8 + 0.2) / 3 = 0.633…, t1 = (0.7 + 0.6) / 2 = 0.65.
    const labels = Int32Array.from([0, 0, 0, 1, 1]);
    const probs = Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.2, 0.8, 0.3, 0.7, 0.4, 0.6]);
    const out = findLabelIssues(labels, probs, 2);
    expect([...out.isIssue]).toEqual([0, 0, 1, 0, 0]);
    expect([...out.suggested]).toEqual([-1, -1, 1, -1, -1]);
    expect([...out.ranked]).toEqual([2]);
    expect(out.quality[2]).toBeCloseTo(0.2, 6);
    expect(out.quality[4]).toBeCloseTo(0.6, 6);
  });

  it('ranks synthetically flipped labels first', () => {
    const rng = createRng(7);
    const classes = 5;
    const n = 1000;
    const truth = Int32Array.from({ length: n }, (_, i) => i % classes);
    const labels = truth.slice();
    const flipped = new Set<number>();
    while (flipped.size < n / 10) {
      const r = rng.int(n);
      if (flipped.has(r)) continue;
      flipped.add(r);
      labels[r] = (truth[r]! + 1 + rng.int(classes - 1)) % classes;
    }
    // A decent model: 0.55–0.85 on the true class, the rest spread.
    const probs = new Float32Array(n * classes);
    for (let r = 0; r < n; r++) {
      const pTrue = 0.55 + 0.3 * rng.next();
      for (let c = 0; c < classes; c++) probs[r * classes + c] = c === truth[r] ? pTrue : (1 - pTrue) / (classes - 1);
    }
    const out = findLabelIssues(labels, probs, classes);
    // Every flagged example is a flip, with the true class suggested…
    expect([...out.ranked].every((r) => flipped.has(r))).toBe(true);
    for (const r of out.ranked) expect(out.suggested[r]).toBe(truth[r]);
    // …most flips are flagged (confident learning leaves out those below the class threshold)…
    expect(out.ranked.length).toBeGreaterThan(0.6 * flipped.size);
    // …and ordered by quality, the flips come first.
    const byQuality = [...out.quality.keys()].sort((a, b) => out.quality[a]! - out.quality[b]!);
    expect(byQuality.slice(0, flipped.size).every((r) => flipped.has(r))).toBe(true);
  });

  it('prunes by noise rate: calibrating the confident joint flags more than its off-diagonal (hand-computed)', () => {
    // t0 = (0.9 + 0.2 + 0.5 + 0.45) / 4 = 0.5125, t1 = (0.7 + 0.8) / 2 = 0.75. Confident joint: row 0 → 0, row 1 → 1,
    // row 5 → 1; rows 2, 3, 4 are confident in no class. Labeled 0: C[0] = [1, 1], n0 = 4, so round(1 · 4 / 2) = 2 rows
    // labeled 0 are pruned toward 1, those of largest p1 − p0: rows 1 (0.6) and 3 (0.1). Labeled 1: C[1][0] = 0.
    const labels = Int32Array.from([0, 0, 0, 0, 1, 1]);
    const probs = Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.5, 0.5, 0.45, 0.55, 0.3, 0.7, 0.2, 0.8]);
    expect([...findLabelIssues(labels, probs, 2).ranked]).toEqual([1]);
    const out = findLabelIssues(labels, probs, 2, { filterBy: 'prune_by_noise_rate' });
    expect([...out.isIssue]).toEqual([0, 1, 0, 1, 0, 0]);
    expect([...out.suggested]).toEqual([-1, 1, -1, 1, -1, -1]);
    expect([...out.ranked]).toEqual([1, 3]);
    expect(out.quality[3]).toBeCloseTo(0.45, 6);
  });
});
