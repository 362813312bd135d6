import { describe, expect, it } from 'vitest';
import { aggregateReplay, spreadEvenly, transitionRows } from './replay';

const cols = (intent: number[], confidence: number[]) => ({ intent: Int32Array.from(intent), confidence: Float32Array.from(confidence) });

describe('aggregateReplay', () => {
  // Intents 0, 1, 2; −1 = no match. Rows 1, 3, 4, 5 change.
  const before = cols([0, 0, 1, -1, -1, 2, 0, 1], [0.9, 0.8, 0.4, 0.2, 0.1, 0.7, 0.3, 0.95]);
  const after = cols([0, 1, 1, 0, 1, -1, 0, 1], [0.95, 0.6, 0.5, 0.7, 0.4, 0.3, 0.8, 0.9]);
  const r = aggregateReplay(before, after, { threshold: 0.5, examples: 1 });

  it('counts changed turns and their share', () => {
    expect(r.turns).toBe(8);
    expect(r.changed).toBe(4);
    expect(r.changedShare).toBe(0.5);
  });

  it('measures coverage over the threshold and the fallback share on each side', () => {
    // before: covered rows 0, 1, 5, 7 (row 6 is 0.3 < 0.5, row 2 is 0.4); no match rows 3, 4.
    expect(r.before).toEqual({ coverage: 4 / 8, fallback: 2 / 8 });
    // after: covered rows 0, 1, 2, 3, 6, 7 (row 4 is 0.4); no match row 5.
    expect(r.after).toEqual({ coverage: 6 / 8, fallback: 1 / 8 });
  });

  it('gives the volume per intent before and after, largest after first', () => {
    expect(r.volumes).toEqual([
      { intent: 1, before: 2, after: 4 },
      { intent: 0, before: 3, after: 3 },
      { intent: -1, before: 2, after: 1 },
      { intent: 2, before: 1, after: 0 },
    ]);
  });

  it('lists each old → new transition with its count and example rows', () => {
    expect(r.transitions).toEqual([
      { from: -1, to: 0, count: 1, examples: [3] },
      { from: -1, to: 1, count: 1, examples: [4] },
      { from: 0, to: 1, count: 1, examples: [1] },
      { from: 2, to: -1, count: 1, examples: [5] },
    ]);
  });

  it('keeps examples spread over a large transition', () => {
    const n = 100;
    const big = aggregateReplay(cols(Array(n).fill(0), Array(n).fill(1)), cols(Array(n).fill(1), Array(n).fill(1)), { threshold: 0.5, examples: 4 });
    expect(big.transitions).toEqual([{ from: 0, to: 1, count: 100, examples: [0, 25, 50, 75] }]);
  });

  it('answers zeros for no turns and refuses columns of different lengths', () => {
    expect(aggregateReplay(cols([], []), cols([], []), { threshold: 0.5 })).toMatchObject({ turns: 0, changed: 0, changedShare: 0, before: { coverage: 0, fallback: 0 } });
    expect(() => aggregateReplay(cols([0], [1]), cols([], []), { threshold: 0.5 })).toThrow(RangeError);
  });
});

describe('transitionRows and spreadEvenly', () => {
  it('groups the changed rows by old → new pair, in order', () => {
    const rows = transitionRows(Int32Array.from([0, 0, 1, 0, -1]), Int32Array.from([1, 0, 0, 1, 0]));
    expect([...rows.entries()]).toEqual([
      ['0>1', [0, 3]],
      ['1>0', [2]],
      ['-1>0', [4]],
    ]);
  });

  it('spreads a limit evenly', () => {
    expect(spreadEvenly([1, 2, 3, 4, 5, 6], 3)).toEqual([1, 3, 5]);
    expect(spreadEvenly([1, 2], 3)).toEqual([1, 2]);
  });
});
