import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../random';
import { allocateProportionally, estimateNetChange, sampleStrata, tallyJudgments, type Judgment } from './judge';

describe('allocateProportionally', () => {
  it('gives one to each stratum first, then the rest by size', () => {
    expect(allocateProportionally([60, 30, 10], 10)).toEqual([6, 3, 1]);
    expect(allocateProportionally([97, 2, 1], 10)).toEqual([8, 1, 1]);
  });

  it('serves the largest strata first when there are more strata than rows', () => {
    expect(allocateProportionally([5, 50, 1, 20], 2)).toEqual([0, 1, 0, 1]);
  });

  it('never gives a stratum more than it holds, and gives all when asked for all', () => {
    expect(allocateProportionally([3, 1, 100], 104)).toEqual([3, 1, 100]);
    expect(allocateProportionally([3, 1, 100], 50).every((a, h) => a <= [3, 1, 100][h]!)).toBe(true);
    expect(allocateProportionally([3, 1, 100], 50).reduce((a, b) => a + b, 0)).toBe(50);
  });
});

describe('sampleStrata', () => {
  const strata = [
    { key: '0>1', rows: Array.from({ length: 60 }, (_, i) => i) },
    { key: '1>0', rows: Array.from({ length: 30 }, (_, i) => 100 + i) },
    { key: '2>-1', rows: [500, 501] },
  ];

  it('draws distinct rows of each stratum in proportion, the same for the same seed', () => {
    const a = sampleStrata(strata, 9, createRng(7));
    expect(a).toHaveLength(9);
    expect(new Set(a.map((s) => s.row)).size).toBe(9);
    const per = [0, 0, 0];
    for (const s of a) {
      per[s.stratum]!++;
      expect(strata[s.stratum]!.rows).toContain(s.row);
    }
    expect(per).toEqual([5, 3, 1]);
    expect(sampleStrata(strata, 9, createRng(7))).toEqual(a);
    expect(sampleStrata(strata, 9, createRng(8))).not.toEqual(a);
  });
});

describe('estimateNetChange', () => {
  it('matches the stratified formula on a hand-computed fixture', () => {
    // Stratum A: N=80, 4 judged: 3 new, 1 old. Stratum B: N=20, 2 judged: 0 new, 2 old. Changed share 0.1.
    const e = estimateNetChange(
      [
        { size: 80, newRight: 3, oldRight: 1, neither: 0 },
        { size: 20, newRight: 0, oldRight: 2, neither: 0 },
      ],
      0.1,
    );
    // d̄_A = 0.5, d̄_B = −1 → 0.8·0.5 + 0.2·(−1) = 0.2 → Δ̂ = 0.02.
    expect(e.estimate).toBeCloseTo(0.02, 12);
    // Pooled q_new = 3/6, q_old = 3/6. A: p_new = 3.5/5, p_old = 1.5/5 → S² = 1 − 0.16 = 0.84.
    // B: p_new = 0.5/3, p_old = 2.5/3 → S² = 1 − (2/3)² = 5/9.
    const varA = (0.8 * 0.8 * (1 - 4 / 80) * 0.84) / 4;
    const varB = (0.2 * 0.2 * (1 - 2 / 20) * (5 / 9)) / 2;
    const half = 1.959963984540054 * 0.1 * Math.sqrt(varA + varB);
    expect(e.low).toBeCloseTo(0.02 - half, 12);
    expect(e.high).toBeCloseTo(0.02 + half, 12);
    expect(e.judged).toBe(6);
    expect(e.excludesZero).toBe(false);
    // V = 0.8·0.84 + 0.2·5/9; n > 1 / (Δ̂² / (1.96² s² V) + 1/C).
    const v = 0.8 * 0.84 + 0.2 * (5 / 9);
    const needed = 1 / ((0.02 * 0.02) / (1.959963984540054 ** 2 * 0.01 * v) + 1 / 100);
    expect(e.moreJudgments).toBe(Math.ceil(needed) + 1 - 6);
  });

  it('says nothing before a judgment, and zero more once the interval excludes zero', () => {
    expect(estimateNetChange([{ size: 10, newRight: 0, oldRight: 0, neither: 0 }], 0.2)).toMatchObject({ judged: 0, estimate: 0, moreJudgments: null, excludesZero: false });
    const sure = estimateNetChange([{ size: 1000, newRight: 190, oldRight: 10, neither: 0 }], 0.2);
    expect(sure.excludesZero).toBe(true);
    expect(sure.low).toBeGreaterThan(0);
    expect(sure.moreJudgments).toBe(0);
  });

  it('takes the pooled mean for a stratum not judged yet', () => {
    const e = estimateNetChange(
      [
        { size: 50, newRight: 2, oldRight: 0, neither: 0 },
        { size: 50, newRight: 0, oldRight: 0, neither: 0 },
      ],
      1,
    );
    expect(e.estimate).toBeCloseTo(1, 12);
  });

  it('tallies judgments by stratum', () => {
    const judgments: (Judgment | null)[] = ['new', 'old', null, 'neither', 'new'];
    const sample = [0, 0, 1, 1, 1].map((stratum, row) => ({ row, stratum }));
    expect(tallyJudgments([10, 5], sample, judgments)).toEqual([
      { size: 10, newRight: 1, oldRight: 1, neither: 0 },
      { size: 5, newRight: 1, oldRight: 0, neither: 1 },
    ]);
  });

  /**
   * A simulated replay with known truth: 40 transitions of skewed sizes, each with its own chances that the new
   * model, the old one or neither is right. The true net change is counted over the whole population; 200 judgments
   * drawn by sampleStrata estimate it. The 95% interval must hold the truth about 95% of the time.
   */
  it('covers the true net change about 95% of the time on a simulated replay (200 judgments)', () => {
    const world = createRng(2026);
    const turns = 100_000;
    const strata: { key: string; rows: number[] }[] = [];
    const truth: Judgment[] = [];
    for (let h = 0; h < 40; h++) {
      const size = Math.round(3000 / (h + 1)) + world.int(20);
      const pNew = world.float(0.1, 0.8);
      const pOld = world.float(0, 1 - pNew);
      const rows: number[] = [];
      for (let i = 0; i < size; i++) {
        const u = world.next();
        truth.push(u < pNew ? 'new' : u < pNew + pOld ? 'old' : 'neither');
        rows.push(truth.length - 1);
      }
      strata.push({ key: `s${h}`, rows });
    }
    const changed = truth.length;
    const share = changed / turns;
    const trueDelta = truth.reduce((sum, j) => sum + (j === 'new' ? 1 : j === 'old' ? -1 : 0), 0) / turns;
    const sizes = strata.map((s) => s.rows.length);
    let covered = 0;
    let excluded = 0;
    const runs = 400;
    const draw: Rng = createRng(99);
    for (let run = 0; run < runs; run++) {
      const sample = sampleStrata(strata, 200, draw);
      const e = estimateNetChange(tallyJudgments(sizes, sample, sample.map((s) => truth[s.row]!)), share);
      if (e.low <= trueDelta && trueDelta <= e.high) covered++;
      if (e.excludesZero) excluded++;
    }
    expect(covered / runs).toBeGreaterThan(0.91);
    expect(covered / runs).toBeLessThan(0.99);
    // The truth is far from zero here: most runs should already say so.
    expect(Math.abs(trueDelta)).toBeGreaterThan(0.005);
    expect(excluded).toBeGreaterThan(runs / 2);
  });
});
