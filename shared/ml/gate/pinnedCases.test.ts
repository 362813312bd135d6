import { describe, expect, it } from 'vitest';
import { findBrokenCases } from './pinnedCases';

describe('findBrokenCases', () => {
  const cases = [
    { id: 'a', modelText: 'a', intentId: 'stop_calling' },
    { id: 'b', modelText: 'b', intentId: 'complaint' },
    { id: 'c', modelText: 'c', intentId: 'request_human_agent' },
  ];

  it('lists the cases predicted as another intent or as no match, in order', () => {
    const broken = findBrokenCases(cases, [
      { intent: 'stop_calling', confidence: 0.9 },
      { intent: null, confidence: 0.2 },
      { intent: 'complaint', confidence: 0.6 },
    ]);
    expect(broken).toEqual([
      { id: 'b', intentId: 'complaint', predicted: null, confidence: 0.2 },
      { id: 'c', intentId: 'request_human_agent', predicted: 'complaint', confidence: 0.6 },
    ]);
  });

  it('finds nothing broken when every case keeps its intent', () => {
    expect(findBrokenCases(cases, cases.map((c) => ({ intent: c.intentId, confidence: 0.8 })))).toEqual([]);
  });

  it('refuses predictions that are not aligned with the cases', () => {
    expect(() => findBrokenCases(cases, [])).toThrow(/0 predictions for 3 cases/);
  });
});
