import { describe, expect, it } from 'vitest';
import { chooseOutOfScopeTemperature, chooseOutOfScopeThreshold, chooseThresholdFromScores, chooseVersionThreshold, outOfScopeCurve, outOfScopeFiguresAt, outOfScopeScores, outOfScopeScoresOf } from './outOfScope';

describe('outOfScopeScores', () => {
  it('is 1 − max probability per row', () => {
    const scores = outOfScopeScores(Float32Array.from([0.7, 0.2, 0.1, 0.4, 0.35, 0.25]), 3);
    expect(scores[0]).toBeCloseTo(0.3, 6);
    expect(scores[1]).toBeCloseTo(0.6, 6);
  });

  it('re-tempers the rows first when asked: [0.5, 0.25, 0.25] at sharpen 2 is [2/3, 1/6, 1/6]', () => {
    const probs = Float32Array.from([0.5, 0.25, 0.25]);
    expect(outOfScopeScores(probs, 3, 2)[0]).toBeCloseTo(1 / 3, 6);
    expect(outOfScopeScoresOf({ temperature: 1, outOfScopeTemperature: 0.5 }, probs, 3)[0]).toBeCloseTo(1 / 3, 6);
    expect(outOfScopeScoresOf({ temperature: 0.2 }, probs, 3)[0]).toBeCloseTo(0.5, 6);
  });
});

describe('chooseOutOfScopeTemperature', () => {
  it('softens until a flat out-of-scope row outscores a two-way tie: T = 2 (hand-computed)', () => {
    // In scope [0.5, 0.5, 0] scores 0.5 at every temperature; out of scope [0.6, 0.2, 0.2] scores 0.4 at T = 1 and
    // 1 − 1 / (1 + 2 · (1/3)^(1/T)) above 0.5 once T > ln 3 / ln 2 ≈ 1.58, so T = 2 is the first candidate with AUROC 1.
    const inScope = Float32Array.from([0.5, 0.5, 0]);
    const outOfScope = Float32Array.from([0.6, 0.2, 0.2]);
    expect(chooseOutOfScopeTemperature(inScope, outOfScope, 3, 1, { minOutOfScope: 1 })).toBe(2);
    expect(chooseOutOfScopeTemperature(inScope, outOfScope, 3, 1)).toBe(1);
    expect(chooseOutOfScopeTemperature(inScope, new Float32Array(0), 3, 0.3, { minOutOfScope: 0 })).toBe(0.3);
  });
});

describe('chooseOutOfScopeThreshold', () => {
  it('picks the threshold with the best F1', () => {
    const best = chooseOutOfScopeThreshold(Float32Array.from([0.9, 0.8, 0.3, 0.2, 0.1]), Uint8Array.from([1, 0, 1, 0, 0]));
    expect(best.threshold).toBeCloseTo(0.3, 6);
    expect(best.precision).toBeCloseTo(2 / 3, 12);
    expect(best.recall).toBe(1);
    expect(best.f1).toBeCloseTo(0.8, 12);
  });

  it('flags nothing when no item is out of scope', () => {
    expect(chooseOutOfScopeThreshold(Float32Array.from([0.5]), Uint8Array.from([0])).threshold).toBe(Infinity);
  });
});

describe('outOfScopeFiguresAt', () => {
  const inScope = Float32Array.from([0.05, 0.1, 0.2, 0.5]);
  const oos = Float32Array.from([0.3, 0.6, 0.8]);

  it('counts in-scope false alarms and out-of-scope hits at score ≥ threshold', () => {
    expect(outOfScopeFiguresAt(inScope, oos, 0.2)).toEqual({ threshold: 0.2, inScopeFlagged: 0.5, oosRecall: 1, oosPrecision: 3 / 5 });
    expect(outOfScopeFiguresAt(inScope, oos, 0.6)).toEqual({ threshold: 0.6, inScopeFlagged: 0, oosRecall: 2 / 3, oosPrecision: 1 });
  });

  it('has no precision when nothing is flagged and no recall or precision without out-of-scope examples', () => {
    expect(outOfScopeFiguresAt(inScope, oos, 0.9)).toEqual({ threshold: 0.9, inScopeFlagged: 0, oosRecall: 0, oosPrecision: null });
    expect(outOfScopeFiguresAt(inScope, new Float32Array(0), 0.1)).toEqual({ threshold: 0.1, inScopeFlagged: 0.75, oosRecall: null, oosPrecision: null });
  });
});

describe('outOfScopeCurve', () => {
  it('walks evenly spaced thresholds from 0 to 1 with falling flag shares', () => {
    const curve = outOfScopeCurve(Float32Array.from([0.05, 0.1, 0.2, 0.5]), Float32Array.from([0.3, 0.6, 0.8]), 4);
    expect(curve.map((p) => p.threshold)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(curve.map((p) => p.inScopeFlagged)).toEqual([1, 0.25, 0.25, 0, 0]);
    expect(curve.map((p) => p.oosRecall)).toEqual([1, 1, 2 / 3, 1 / 3, 0]);
    expect(curve.map((p) => p.oosPrecision)).toEqual([3 / 7, 3 / 4, 2 / 3, 1, null]);
  });
});

describe('chooseThresholdFromScores', () => {
  it('takes the F1-best threshold with enough out-of-scope examples', () => {
    const inScope = Float32Array.from([0.1, 0.2, 0.3, 0.7]);
    const oos = Float32Array.from([0.5, 0.6, 0.8, 0.9, 0.95]);
    expect(chooseThresholdFromScores(inScope, oos, { maxInScopeFlagShare: 1 })).toBeCloseTo(0.5, 6);
    // The default cap (15% of in-scope items, here none of 4) lifts it above every in-scope score.
    expect(chooseThresholdFromScores(inScope, oos)).toBeGreaterThan(0.7);
  });

  it('flags about 5% of in-scope items without enough out-of-scope examples', () => {
    const inScope = Float32Array.from({ length: 21 }, (_, i) => i / 20);
    expect(chooseThresholdFromScores(inScope, Float32Array.from([0.9]))).toBeCloseTo(0.95, 6);
    expect(chooseThresholdFromScores(new Float32Array(0), new Float32Array(0))).toBe(0.5);
  });

  it('counts in-scope items the model got wrong out of fold as things to flag', () => {
    // In scope: right at 0.1, 0.2, 0.3, 0.35; wrong at 0.4, 0.45 and 0.7. Out of scope: 0.5, 0.6, 0.8.
    const inScope = Float32Array.from([0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.7]);
    const inScopeMissed = Uint8Array.from([0, 0, 0, 0, 1, 1, 1]);
    const oos = Float32Array.from([0.5, 0.6, 0.8]);
    // Flagging ≥ 0.4 catches all 6 wrong answers and nothing right: F1 1. Without the misses, the 3 examples alone are too few.
    expect(chooseThresholdFromScores(inScope, oos, { inScopeMissed, maxInScopeFlagShare: 1 })).toBeCloseTo(0.4, 6);
    // By default no threshold flags more than 15% of in-scope items: here the top one of 7, 0.7.
    expect(chooseThresholdFromScores(inScope, oos, { inScopeMissed })).toBeCloseTo(0.7, 6);
    expect(chooseThresholdFromScores(inScope, oos, { inScopeMissed: new Uint8Array(7) })).toBeCloseTo(0.45, 6);
    // Misses alone, with no out-of-scope example, choose too once they are enough.
    expect(chooseThresholdFromScores(inScope, new Float32Array(0), { inScopeMissed, minPositives: 3, maxInScopeFlagShare: 1 })).toBeCloseTo(0.4, 6);
    expect(chooseThresholdFromScores(inScope, new Float32Array(0), { inScopeMissed })).toBeCloseTo(0.45, 6);
  });
});

describe('chooseVersionThreshold', () => {
  it('keeps a chosen or kept threshold, and measures otherwise', () => {
    expect(chooseVersionThreshold(0.4, null)).toEqual({ threshold: 0.4, source: 'measured' });
    expect(chooseVersionThreshold(0.4, { threshold: 0.9 })).toEqual({ threshold: 0.4, source: 'measured' });
    expect(chooseVersionThreshold(0.4, { threshold: 0.9, source: 'measured' })).toEqual({ threshold: 0.4, source: 'measured' });
    expect(chooseVersionThreshold(0.4, { threshold: 0.9, source: 'chosen' })).toEqual({ threshold: 0.9, source: 'kept' });
    expect(chooseVersionThreshold(0.4, { threshold: 0.7, source: 'kept' })).toEqual({ threshold: 0.7, source: 'kept' });
  });
});
