import { describe, expect, it } from 'vitest';
import { chooseSuggestions } from './suggestions';
import { topThree } from './uncertainty';

const c = (intentId: string, probability: number) => ({ intentId, probability });

describe('chooseSuggestions', () => {
  it('offers the three most probable, best first', () => {
    expect(chooseSuggestions([c('b', 0.2), c('a', 0.5), c('d', 0.06), c('c', 0.1)])).toEqual([c('a', 0.5), c('b', 0.2), c('c', 0.1)]);
  });

  it('leaves out candidates under the minimum', () => {
    expect(chooseSuggestions([c('a', 0.9), c('b', 0.049), c('c', 0.01)])).toEqual([c('a', 0.9)]);
    expect(chooseSuggestions([c('a', 0.9), c('b', 0.12)], { minProbability: 0.15 })).toEqual([c('a', 0.9)]);
  });

  it('never offers the current label, and in a review queue only what the model prefers to it', () => {
    const top = [c('label', 0.45), c('x', 0.4), c('y', 0.1)];
    expect(chooseSuggestions(top, { currentLabel: 'label' })).toEqual([c('x', 0.4), c('y', 0.1)]);
    // The label's out-of-fold probability (its quality) is 0.3: y at 0.1 is not preferred to it.
    expect(chooseSuggestions(top, { currentLabel: 'label', labelProbability: 0.3 })).toEqual([c('x', 0.4)]);
    expect(chooseSuggestions(top, { currentLabel: 'label', labelProbability: 0.45 })).toEqual([]);
  });

  it('skips intents that cannot be chosen and repeats', () => {
    expect(chooseSuggestions([c('a', 0.5), c('a', 0.5), c('old', 0.3), c('b', 0.1)], { usable: (id) => id !== 'old' })).toEqual([c('a', 0.5), c('b', 0.1)]);
  });
});

describe('topThree', () => {
  it('gives each row its three most probable classes with their probabilities', () => {
    // rows × 4 classes
    const probs = Float32Array.from([0.1, 0.6, 0.2, 0.1, 0.05, 0.15, 0.3, 0.5, 0.25, 0.25, 0.25, 0.25]);
    const t = topThree(probs, 4);
    expect([...t.first]).toEqual([1, 3, 0]);
    expect([...t.second]).toEqual([2, 2, 1]);
    expect([...t.third]).toEqual([0, 1, 2]);
    expect([...t.firstProb].map((p) => +p.toFixed(2))).toEqual([0.6, 0.5, 0.25]);
    expect([...t.secondProb].map((p) => +p.toFixed(2))).toEqual([0.2, 0.3, 0.25]);
    expect([...t.thirdProb].map((p) => +p.toFixed(2))).toEqual([0.1, 0.15, 0.25]);
  });

  it('marks a missing third (and second) with -1 and probability 0', () => {
    const two = topThree(Float32Array.from([0.3, 0.7]), 2);
    expect([two.first[0], two.second[0], two.third[0], two.thirdProb[0]]).toEqual([1, 0, -1, 0]);
    const one = topThree(Float32Array.from([1]), 1);
    expect([one.first[0], one.second[0], one.third[0]]).toEqual([0, -1, -1]);
  });
});
