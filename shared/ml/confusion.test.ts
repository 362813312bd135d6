import { describe, expect, it } from 'vitest';
import { mostConfusedSlice } from './confusion';

describe('mostConfusedSlice', () => {
  it('keeps the classes most involved in errors, most confused first, with actual × predicted counts', () => {
    // truth → predicted: 0→0 ×2, 0→1 ×2, 1→0 ×1, 1→1 ×1, 2→2 ×3, 3→1 ×1
    const truth = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 2, 2, 3]);
    const predicted = Int32Array.from([0, 0, 1, 1, 0, 1, 2, 2, 2, 1]);
    const all = mostConfusedSlice(predicted, truth, 4);
    expect(all.classes).toEqual([1, 0, 3]);
    expect(all.counts).toEqual([
      [1, 1, 0],
      [2, 2, 0],
      [1, 0, 0],
    ]);
    const top2 = mostConfusedSlice(predicted, truth, 4, 2);
    expect(top2).toEqual({ classes: [1, 0], counts: [[1, 1], [2, 2]] });
  });

  it('is empty when every prediction is right', () => {
    expect(mostConfusedSlice(Int32Array.from([0, 1]), Int32Array.from([0, 1]), 2)).toEqual({ classes: [], counts: [] });
  });
});
