import { describe, expect, it } from 'vitest';
import { chooseOutOfScopeThreshold, outOfScopeScores } from './outOfScope';

describe('outOfScopeScores', () => {
  it('is 1 − max probability per row', () => {
    const scores = outOfScopeScores(Float32Array.from([0.7, 0.2, 0.1, 0.4, 0.35, 0.25]), 3);
    expect(scores[0]).toBeCloseTo(0.3, 6);
    expect(scores[1]).toBeCloseTo(0.6, 6);
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
