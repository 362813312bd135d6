import { describe, expect, it } from 'vitest';
import { atypicalMembers } from './clusterTypicality';

describe('atypicalMembers', () => {
  it('marks members attached as noise and those far under the cluster mean, nothing else', () => {
    // Mean 0.8 over ten members; sd ≈ 0.167, so the cut at 1.5 sd is ≈ 0.55.
    const similarity = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.6, 0.3];
    const low = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0];
    expect(atypicalMembers(similarity, low)).toEqual([false, false, false, false, false, false, false, true, false, true]);
  });

  it('flags only noise members in a cluster too small to have a spread', () => {
    expect(atypicalMembers([0.9, 0.2, 0.8], [0, 0, 1])).toEqual([false, false, true]);
  });

  it('flags none in an even cluster', () => {
    expect(atypicalMembers([0.8, 0.81, 0.79, 0.8, 0.8, 0.82], [0, 0, 0, 0, 0, 0]).some(Boolean)).toBe(false);
  });
});
