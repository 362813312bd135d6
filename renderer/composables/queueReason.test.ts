import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/contract/dto';
import { describeReason, isRankedQueue, isReviewQueue, suggestionOf, type ReasonWords } from './queueReason';

const words: ReasonWords = {
  t: (key, named) => `${key}(${Object.entries(named).map(([k, v]) => `${k}=${String(v)}`).join(',')})`,
  nameOf: (id) => id.toUpperCase(),
};

function item(patch: Partial<QueueItem>): QueueItem {
  return {
    id: 'c1#1',
    callId: 'c1',
    turnIndex: 1,
    text: '不行',
    predictedIntent: 'deny',
    predictedConfidence: 0.9,
    asrConfidence: null,
    label: null,
    botPrompt: null,
    campaign: 'x',
    startedAt: 0,
    ...patch,
  };
}

const reason = {
  top: [
    { intentId: 'affirm', probability: 0.41 },
    { intentId: 'deny', probability: 0.37 },
  ],
  outOfScopeScore: 0.59,
};

describe('queue reasons', () => {
  it('tells ranked and review queues apart', () => {
    expect(isRankedQueue('uncovered')).toBe(true);
    expect(isRankedQueue('recent')).toBe(false);
    expect(isReviewQueue('mislabeled')).toBe(true);
    expect(isReviewQueue('disagreements')).toBe(true);
    expect(isReviewQueue('informative')).toBe(false);
  });


  it('says how sure the model is, the top two by name, and the platform "no match" in Uncovered', () => {
    const parts = describeReason('uncovered', item({ predictedIntent: null, predictedConfidence: 0.15, reason }), words);
    expect(parts).toEqual([
      'reason.modelSure(p=41%)',
      'reason.topTwo(a=AFFIRM,pa=0.41,b=DENY,pb=0.37)',
      'reason.platformNoMatch()',
      'reason.outOfScope(s=0.59)',
    ]);
  });

  it('shows the label against the suggestion with its quality in Likely mislabeled', () => {
    const r = { ...reason, suggestion: { intentId: 'deny', probability: null as unknown as number }, labelQuality: 0.004 };
    const parts = describeReason('mislabeled', item({ label: { utteranceId: 'c1#1', target: { kind: 'intent', intentId: 'affirm' }, annotator: 'a', at: 0, source: 'manual' }, reason: r }), words);
    expect(parts).toEqual(['reason.labelVsSuggestion(label=AFFIRM,suggestion=DENY)', 'reason.labelQuality(p=<1%)', 'reason.modelSure(p=41%)', 'reason.topTwo(a=AFFIRM,pa=0.41,b=DENY,pb=0.37)']);
    const mislabeled = item({ label: { utteranceId: 'c1#1', target: { kind: 'intent', intentId: 'affirm' }, annotator: 'a', at: 0, source: 'manual' }, reason: r });
    expect(describeReason('mislabeled', mislabeled, words, { withoutLabel: true })).toEqual(['reason.modelSure(p=41%)', 'reason.topTwo(a=AFFIRM,pa=0.41,b=DENY,pb=0.37)']);
    expect(suggestionOf(r)).toEqual({ intentId: 'deny', probability: 0.37, labelQuality: 0.004 });
  });

  it('names label, platform and model in Disagreements, and nothing without a reason', () => {
    const parts = describeReason('disagreements', item({ label: { utteranceId: 'c1#1', target: { kind: 'none' }, annotator: 'a', at: 0, source: 'manual' }, reason: { ...reason, modelIntent: 'affirm' } }), words);
    expect(parts.slice(0, 3)).toEqual(['reason.label(name=label.noneLabel())', 'reason.modelSays(name=AFFIRM)', 'reason.platform(name=DENY,p=90%)']);
    expect(describeReason('informative', item({}), words)).toEqual([]);
  });
});
