import { describe, expect, it } from 'vitest';
import { fitSharedSigmoid, fitTemperature, negativeLogLikelihood, sigmoidProbabilities, softmaxInPlace } from './calibrate';

describe('softmaxInPlace', () => {
  it('turns each row into probabilities at the given temperature', () => {
    const p = softmaxInPlace(Float32Array.from([Math.log(3), 0, 0, 0]), 2, 1);
    expect(p[0]).toBeCloseTo(0.75, 6);
    expect(p[1]).toBeCloseTo(0.25, 6);
    expect(p[2]).toBeCloseTo(0.5, 6);
    const sharp = softmaxInPlace(Float32Array.from([Math.log(3), 0]), 2, 0.5);
    expect(sharp[0]).toBeCloseTo(0.9, 6);
  });
});

describe('fitTemperature', () => {
  it('matches confidence to accuracy: 3 of 4 right at score gap 1 gives T = 1 / ln 3', () => {
    const scores = Float32Array.from([1, 0, 1, 0, 1, 0, 1, 0]);
    const labels = Int32Array.from([0, 0, 0, 1]);
    const t = fitTemperature(scores, labels, 2);
    expect(t).toBeCloseTo(1 / Math.log(3), 6);
    expect(negativeLogLikelihood(scores, labels, 2, t)).toBeLessThan(negativeLogLikelihood(scores, labels, 2, t * 1.1));
    expect(negativeLogLikelihood(scores, labels, 2, t)).toBeLessThan(negativeLogLikelihood(scores, labels, 2, t * 0.9));
  });

  it('returns 1 without data', () => {
    expect(fitTemperature(new Float32Array(0), new Int32Array(0), 3)).toBe(1);
  });
});

describe('fitSharedSigmoid', () => {
  it('fits the logistic MLE: 3 of 4 positives at score 1 and 1 of 4 at −1 gives slope ln 3, intercept 0', () => {
    // Rows [1, −1]: three labeled 0 and one labeled 1, so score 1 is the row's class 3 times of 4, score −1 once of 4.
    const scores = Float32Array.from([1, -1, 1, -1, 1, -1, 1, -1]);
    const fit = fitSharedSigmoid(scores, Int32Array.from([0, 0, 0, 1]), 2);
    expect(fit.slope).toBeCloseTo(Math.log(3), 6);
    expect(fit.intercept).toBeCloseTo(0, 6);
  });

  it('returns the identity sigmoid without data', () => {
    expect(fitSharedSigmoid(new Float32Array(0), new Int32Array(0), 3)).toEqual({ slope: 1, intercept: 0 });
  });
});

describe('sigmoidProbabilities', () => {
  it('takes the sigmoid of each class and normalizes the row', () => {
    const p = sigmoidProbabilities(Float32Array.from([1, -1, 0, 0, 0]), 1, { slope: Math.log(3), intercept: 0 });
    expect([...p].map((v) => +v.toFixed(6))).toEqual([1, 1, 1, 1, 1]);
    const q = sigmoidProbabilities(Float32Array.from([1, -1, 0, 0, 0, 0]), 3, { slope: Math.log(3), intercept: 0 });
    // Row 1: sigmoid(ln 3) = 0.75, sigmoid(−ln 3) = 0.25, sigmoid(0) = 0.5; sum 1.5.
    expect(q[0]).toBeCloseTo(0.5, 6);
    expect(q[1]).toBeCloseTo(1 / 6, 6);
    expect(q[2]).toBeCloseTo(1 / 3, 6);
    expect(q[3]).toBeCloseTo(1 / 3, 6);
  });
});
