import { describe, expect, it } from 'vitest';
import { fitTemperature, negativeLogLikelihood, softmaxInPlace } from './calibrate';

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
