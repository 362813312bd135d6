import { describe, expect, it } from 'vitest';
import type { OutOfScopeThresholdChangeDto } from '../../shared/contract/dto';
import { describeThresholdChange } from './thresholdChange';

const t = (key: string, named: Record<string, unknown>) => `${key.split('.').pop()}(${Object.entries(named).map(([k, v]) => `${k}=${String(v)}`).join(',')})`;
const count = (n: number) => n.toLocaleString('en');

const change: OutOfScopeThresholdChangeDto = {
  previousVersion: 6,
  from: 0.92,
  to: 0.35,
  previousExamples: 1200,
  examples: 1250,
  previousOutOfScopeExamples: 2,
  outOfScopeExamples: 40,
  atFrom: { threshold: 0.92, inScopeFlagged: 0.004, oosRecall: 0.1, oosPrecision: 0.8 },
  atTo: { threshold: 0.35, inScopeFlagged: 0.08, oosRecall: 0.85, oosPrecision: 0.4 },
  applied: true,
};

describe('describeThresholdChange', () => {
  it('says from what to what, on which labels, and what each threshold flags on the new labels', () => {
    expect(describeThresholdChange(change, t, count)).toEqual([
      'moved(from=0.92,to=0.35,v=6)',
      'data(before=1,200,now=1,250,oosBefore=2,oos=40)',
      'figures(from=0.92,to=0.35,flaggedFrom=<1%,flaggedTo=8%,recallFrom=10%,recallTo=85%)',
    ]);
  });

  it('words the figures without "none of these" examples, and says a chosen threshold stays', () => {
    const none = { ...change, outOfScopeExamples: 0, atFrom: { ...change.atFrom, oosRecall: null }, atTo: { ...change.atTo, oosRecall: null }, applied: false };
    const parts = describeThresholdChange(none, t, count);
    expect(parts[2]).toBe('figuresWithoutExamples(from=0.92,to=0.35,flaggedFrom=<1%,flaggedTo=8%)');
    expect(parts[3]).toBe('chosenKept()');
  });
});
