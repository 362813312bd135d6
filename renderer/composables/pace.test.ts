import { describe, expect, it } from 'vitest';
import { etaMs, labelsPerActiveHour } from './pace';

const at = (seconds: number[]) => seconds.map((s) => 1_700_000_000_000 + s * 1000);

describe('labelsPerActiveHour', () => {
  it('counts labels over the time spent labeling', () => {
    // Ten labels, one every 6 s: 9 gaps of 6 s = 54 s for 9 labels → 600 an hour.
    expect(labelsPerActiveHour(at([0, 6, 12, 18, 24, 30, 36, 42, 48, 54]))).toBeCloseTo(600, 6);
  });

  it('leaves a break out: a 20-minute pause counts as 2 minutes', () => {
    const withBreak = labelsPerActiveHour(at([0, 6, 12, 18, 24, 1224, 1230, 1236, 1242, 1248]))!;
    // 8 gaps of 6 s plus one capped at 120 s = 168 s for 9 labels.
    expect(withBreak).toBeCloseTo((9 / 168) * 3600, 6);
  });

  it('gives no rate for fewer than five labels', () => {
    expect(labelsPerActiveHour(at([0, 5, 10, 15]))).toBeNull();
  });

  it('turns a rate and the labels left into a time', () => {
    expect(etaMs(300, 600)).toBe(30 * 60_000);
    expect(etaMs(300, null)).toBeNull();
  });
});
