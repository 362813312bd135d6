import { describe, expect, it } from 'vitest';
import { compareReplay, type PredictedColumns, type StoredColumns } from './replayCompare';

// Six turns: four with a stored prediction, two without (one the active artifact predicted, one it did not).
const stored: StoredColumns = {
  labels: ['no', 'yes'],
  intent: Int32Array.from([1, 0, -1, 1, -1, -1]),
  confidence: Float32Array.from([0.9, 0.8, 0, 0.4, Number.NaN, Number.NaN]),
  needOld: Uint8Array.from([0, 0, 0, 0, 1, 1]),
};
const predicted: PredictedColumns = {
  candidateLabels: ['later', 'no', 'yes'],
  activeLabels: ['yes'],
  candidate: { intent: Int32Array.from([2, 0, 0, -1, 1, 2]), confidence: Float32Array.from([0.95, 0.7, 0.6, 0.3, 0.5, 0.9]) },
  active: { intent: Int32Array.from([-1, -1, -1, -1, 0, -1]), confidence: Float32Array.from([Number.NaN, Number.NaN, Number.NaN, Number.NaN, 0.75, Number.NaN]) },
};

describe('compareReplay', () => {
  const c = compareReplay(stored, predicted, { threshold: 0.5, examples: 3, sampleSize: 10, seedOf: (turns) => turns });

  it('takes the old side from the stored prediction, else the active artifact, else leaves the turn out', () => {
    expect(c.turns).toBe(5);
    expect(c.fromRegistry).toBe(1);
    // Intents numbered as they first appear: old sides in turn order, then new sides ('later' only on the new side).
    expect(c.intents).toEqual(['yes', 'no', 'later']);
    expect(c.changed).toBe(4);
    expect(c.changedShare).toBeCloseTo(4 / 5, 12);
    expect(c.before).toEqual({ coverage: 3 / 5, fallback: 1 / 5 });
    expect(c.after).toEqual({ coverage: 4 / 5, fallback: 1 / 5 });
  });

  it('lists transitions with example turns as rows of the replayed turns, and samples every change when the sample is larger', () => {
    expect(c.transitions.map((t) => [c.intents[t.from] ?? null, c.intents[t.to] ?? null, t.count, t.examples.map((e) => e.row)])).toEqual([
      [null, 'later', 1, [2]],
      ['yes', null, 1, [3]],
      ['yes', 'no', 1, [4]],
      ['no', 'later', 1, [1]],
    ]);
    expect(c.transitions[2]!.examples[0]).toEqual({ row: 4, fromConfidence: 0.75, toConfidence: 0.5 });
    expect(c.strata).toHaveLength(4);
    expect(c.sample.map((s) => s.row).sort()).toEqual([1, 2, 3, 4]);
    c.sample.forEach((s) => expect(c.transitions.some((t) => t.from === c.strata[s.stratum]!.from && t.to === c.strata[s.stratum]!.to && t.examples[0]!.row === s.row)).toBe(true));
  });

  it('is seeded by the number of turns compared', () => {
    const seeds: number[] = [];
    compareReplay(stored, predicted, { threshold: 0.5, examples: 3, sampleSize: 2, seedOf: (turns) => (seeds.push(turns), 7) });
    expect(seeds).toEqual([5]);
  });
});
