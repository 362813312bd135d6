import { describe, expect, it } from 'vitest';
import { measureThresholdChange } from './thresholdChange';

const before = { version: 3, threshold: 0.9, examples: 400, outOfScopeExamples: 2 };
// Ten in-scope scores and four "none of these" scores.
const inScope = Float32Array.from([0.05, 0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.5, 0.95]);
const outOfScope = Float32Array.from([0.4, 0.6, 0.8, 0.92]);

describe('measureThresholdChange', () => {
  it('gives both thresholds, what they were measured on, and what each flags on the new labels', () => {
    const change = measureThresholdChange(before, { threshold: 0.35, examples: 450, inScope, outOfScope })!;
    expect(change).toMatchObject({ previousVersion: 3, from: 0.9, to: 0.35, previousExamples: 400, examples: 450, previousOutOfScopeExamples: 2, outOfScopeExamples: 4 });
    // At 0.9: one in-scope false alarm of ten, one of four "none of these" caught.
    expect(change.atFrom).toEqual({ threshold: 0.9, inScopeFlagged: 0.1, oosRecall: 0.25, oosPrecision: 0.5 });
    // At 0.35: three false alarms (0.4, 0.5, 0.95), all four caught.
    expect(change.atTo).toEqual({ threshold: 0.35, inScopeFlagged: 0.3, oosRecall: 1, oosPrecision: 4 / 7 });
  });

  it('says nothing for a small move or without a previous measurement', () => {
    expect(measureThresholdChange({ ...before, threshold: 0.38 }, { threshold: 0.35, examples: 450, inScope, outOfScope })).toBeNull();
    expect(measureThresholdChange(null, { threshold: 0.35, examples: 450, inScope, outOfScope })).toBeNull();
  });
});
