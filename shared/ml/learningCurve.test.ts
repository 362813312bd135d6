import { describe, expect, it } from 'vitest';
import { labelsToReach } from './learningCurve';

describe('labelsToReach', () => {
  it('interpolates linearly between the rounds around the target', () => {
    // 0.80 at 100 labels, 0.90 at 200: 0.85 is reached halfway, at 150.
    expect(labelsToReach([100, 200, 300], [0.8, 0.9, 0.95], 0.85)).toBeCloseTo(150, 9);
  });

  it('returns the first count when the start already reaches the target, null when nothing does', () => {
    expect(labelsToReach([100, 200], [0.9, 0.95], 0.85)).toBe(100);
    expect(labelsToReach([100, 200], [0.5, 0.6], 0.85)).toBeNull();
  });
});
