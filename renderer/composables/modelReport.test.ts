import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../shared/contract/dto';
import { deltaOf, deltasOf, overallProgress, pairConfusions } from './modelReport';

function summary(version: number, accuracy: number, macroF1: number, ece: number): ModelSummary {
  return { version, createdAt: version, examples: 10, intents: 2, accuracy, macroF1, ece, trainSeconds: 1, dataHash: 'h', outOfScopeThreshold: 0.5 };
}

describe('model report helpers', () => {
  it('phrases deltas in percentage points with their direction', () => {
    expect(deltaOf(0.9, 0.912)).toEqual({ text: '▲ 1.2', better: true });
    expect(deltaOf(0.9, 0.896)).toEqual({ text: '▼ 0.4', better: false });
    expect(deltaOf(0.05, 0.03, true)).toEqual({ text: '▼ 2.0', better: true });
    expect(deltaOf(0.5, 0.5002)).toEqual({ text: '=', better: null });
  });

  it('compares each version with the one before it', () => {
    const d = deltasOf([summary(3, 0.93, 0.9, 0.02), summary(1, 0.9, 0.85, 0.03), summary(2, 0.91, 0.86, 0.04)]);
    expect(d.get(1)).toBeNull();
    expect(d.get(2)?.accuracy.text).toBe('▲ 1.0');
    expect(d.get(2)?.ece).toEqual({ text: '▲ 1.0', better: false });
    expect(d.get(3)?.macroF1.text).toBe('▲ 4.0');
  });

  it('folds confusions in both directions into pairs, most confused first', () => {
    const pairs = pairConfusions(
      [
        { actual: 'b', predicted: 'a', count: 5 },
        { actual: 'a', predicted: 'b', count: 7 },
        { actual: 'c', predicted: 'd', count: 9 },
        { actual: 'e', predicted: 'e', count: 99 },
      ],
      2,
    );
    expect(pairs).toEqual([
      { a: 'a', b: 'b', count: 12 },
      { a: 'c', b: 'd', count: 9 },
    ]);
  });

  it('weighs phases into one progress figure', () => {
    expect(overallProgress('preparing', 0)).toBe(0);
    expect(overallProgress('folds', 0.5)).toBeCloseTo(0.35);
    expect(overallProgress('saving', 1)).toBeCloseTo(1);
  });
});
