import { describe, expect, it } from 'vitest';
import { accuracy, argmaxRows, auroc, expectedCalibrationError, expectedCalibrationErrorOfProbs, macroF1, maxRows, perClassScores } from './metrics';

describe('classification metrics', () => {
  const predicted = Int32Array.from([0, 0, 0, 1]);
  const truth = Int32Array.from([0, 0, 1, 1]);

  it('computes accuracy', () => {
    expect(accuracy(predicted, truth)).toBe(0.75);
    expect(accuracy(new Int32Array(0), new Int32Array(0))).toBe(0);
  });

  it('computes per-class precision, recall and F1 by hand', () => {
    const s = perClassScores(predicted, truth, 3);
    expect(Array.from(s.precision)).toEqual([2 / 3, 1, 0]);
    expect(Array.from(s.recall)).toEqual([1, 0.5, 0]);
    expect(s.f1[0]).toBeCloseTo(0.8, 12);
    expect(s.f1[1]).toBeCloseTo(2 / 3, 12);
    expect(Array.from(s.support)).toEqual([2, 2, 0]);
  });

  it('averages F1 over the classes present in truth or predictions', () => {
    expect(macroF1(predicted, truth, 3)).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
  });

  it('takes row argmax (first wins ties) and row max', () => {
    const m = Float32Array.from([0.2, 0.5, 0.3, 0.4, 0.4, 0.2]);
    expect(Array.from(argmaxRows(m, 3))).toEqual([1, 0]);
    expect(Array.from(maxRows(m, 3))).toEqual([0.5, 0.4].map(Math.fround));
  });
});

describe('expectedCalibrationError', () => {
  const confidence = Float32Array.from([0.95, 0.9, 0.6, 0.3]);
  const correct = Uint8Array.from([1, 0, 1, 0]);

  it('gives the mean gap when every item has its own bin (15 bins)', () => {
    expect(expectedCalibrationError(confidence, correct, 15)).toBeCloseTo((0.05 + 0.9 + 0.4 + 0.3) / 4, 6);
  });

  it('weights bin gaps by bin size (2 bins)', () => {
    expect(expectedCalibrationError(confidence, correct, 2)).toBeCloseTo((3 / 4) * Math.abs(2 / 3 - (0.95 + 0.9 + 0.6) / 3) + (1 / 4) * 0.3, 6);
  });

  it('reads confidence and correctness from probability rows', () => {
    const probs = Float32Array.from([0.8, 0.2, 0.3, 0.7]);
    expect(expectedCalibrationErrorOfProbs(probs, 2, Int32Array.from([0, 0]), 15)).toBeCloseTo((0.2 + 0.7) / 2, 6);
  });
});

describe('auroc', () => {
  it('counts ordered positive–negative pairs', () => {
    expect(auroc(Float32Array.from([0.1, 0.4, 0.35, 0.8]), Uint8Array.from([0, 0, 1, 1]))).toBe(0.75);
  });

  it('counts ties as one half', () => {
    expect(auroc(Float32Array.from([0.5, 0.5, 0.2, 0.9]), Uint8Array.from([1, 0, 0, 1]))).toBe(0.875);
  });

  it('is NaN without positives', () => {
    expect(auroc(Float32Array.from([0.1, 0.2]), Uint8Array.from([0, 0]))).toBeNaN();
  });
});
