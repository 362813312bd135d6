import { describe, expect, it } from 'vitest';
import { decidePush } from './pushGate';

describe('decidePush', () => {
  const none = { brokenCases: 0, pinnedCases: 12, netChange: null, overrideNote: null };

  it('lets a candidate through when no case breaks and no estimate is given', () => {
    expect(decidePush(none)).toEqual({ allowed: true, reasons: [], overridden: false });
  });

  it('blocks a candidate that breaks a pinned case, and lets it through with a note', () => {
    const blocked = decidePush({ ...none, brokenCases: 2 });
    expect(blocked).toEqual({ allowed: false, reasons: [{ kind: 'brokenCases', broken: 2, pinned: 12 }], overridden: false });
    expect(decidePush({ ...none, brokenCases: 2, overrideNote: '   ' }).allowed).toBe(false);
    expect(decidePush({ ...none, brokenCases: 2, overrideNote: 'known: the fraud wording changed' })).toMatchObject({ allowed: true, overridden: true });
  });

  it('blocks on a net change estimated below zero, not on one at or above zero', () => {
    const negative = { estimate: -0.01, low: -0.03, high: 0.01, judged: 200 };
    expect(decidePush({ ...none, netChange: negative }).reasons).toEqual([{ kind: 'negativeNetChange', estimate: -0.01, low: -0.03, high: 0.01 }]);
    expect(decidePush({ ...none, netChange: { ...negative, estimate: 0 } })).toMatchObject({ allowed: true, reasons: [] });
  });

  it('gives every reason when both hold', () => {
    const decision = decidePush({ ...none, brokenCases: 1, netChange: { estimate: -0.2, low: -0.3, high: -0.1, judged: 50 } });
    expect(decision.reasons.map((r) => r.kind)).toEqual(['brokenCases', 'negativeNetChange']);
  });
});
