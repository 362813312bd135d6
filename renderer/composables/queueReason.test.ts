import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/contract/dto';
import { createI18n } from 'vue-i18n';
import en from '../i18n/en';
import zh from '../i18n/zh-CN';
import { describeReason, isRankedQueue, isReviewQueue, suggestionOf, type ReasonWords, type Translate } from './queueReason';

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


  it('says how sure the model is, the top candidates by name, and the platform "no match" in Uncovered', () => {
    const parts = describeReason('uncovered', item({ predictedIntent: null, predictedConfidence: 0.15, reason }), words);
    expect(parts).toEqual([
      'reason.modelSure(p=41%)',
      'reason.topTwo(list=AFFIRM 0.41 / DENY 0.37)',
      'reason.platformNoMatch()',
      'reason.outOfScope(s=0.59)',
    ]);
  });

  it('shows the label against the suggestion with its quality in Likely mislabeled', () => {
    const r = { ...reason, suggestion: { intentId: 'deny', probability: null as unknown as number }, labelQuality: 0.004 };
    const parts = describeReason('mislabeled', item({ label: { utteranceId: 'c1#1', target: { kind: 'intent', intentId: 'affirm' }, annotator: 'a', at: 0, source: 'manual' }, reason: r }), words);
    expect(parts).toEqual(['reason.labelVsSuggestion(label=AFFIRM,suggestion=DENY)', 'reason.labelQuality(p=<1%)', 'reason.modelSure(p=41%)', 'reason.topTwo(list=AFFIRM 0.41 / DENY 0.37)']);
    const mislabeled = item({ label: { utteranceId: 'c1#1', target: { kind: 'intent', intentId: 'affirm' }, annotator: 'a', at: 0, source: 'manual' }, reason: r });
    expect(describeReason('mislabeled', mislabeled, words, { withoutLabel: true })).toEqual(['reason.modelSure(p=41%)', 'reason.topTwo(list=AFFIRM 0.41 / DENY 0.37)']);
    expect(suggestionOf(r)).toEqual({ intentId: 'deny', probability: 0.37, labelQuality: 0.004 });
  });

  it('names the top three the picker offers on Q W E, best first, and no more', () => {
    const top = [
      { intentId: 'affirm', probability: 0.41 },
      { intentId: 'deny', probability: 0.37 },
      { intentId: 'repeat', probability: 0.12 },
      { intentId: 'busy', probability: 0.05 },
    ];
    const parts = describeReason('informative', item({ reason: { top, outOfScopeScore: 0.59 } }), words);
    expect(parts).toEqual(['reason.modelSure(p=41%)', 'reason.topThree(list=AFFIRM 0.41 / DENY 0.37 / REPEAT 0.12)']);
    // One candidate is only the model's confidence: no list of one.
    expect(describeReason('informative', item({ reason: { top: top.slice(0, 1), outOfScopeScore: 0.59 } }), words)).toEqual(['reason.modelSure(p=41%)']);
  });

  it('reads "前三名" / "top three" in the real messages, never "前两名" with three names', () => {
    const top = [
      { intentId: 'affirm', probability: 0.41 },
      { intentId: 'deny', probability: 0.37 },
      { intentId: 'repeat', probability: 0.12 },
    ];
    const names: Record<string, string> = { affirm: '肯定', deny: '否定', repeat: '请重复' };
    const cases = [
      { locale: 'zh-CN', three: '模型把握 41%；前三名 肯定 0.41 / 否定 0.37 / 请重复 0.12', two: '模型把握 41%；前两名 肯定 0.41 / 否定 0.37' },
      { locale: 'en', three: 'model 41% sure; top three 肯定 0.41 / 否定 0.37 / 请重复 0.12', two: 'model 41% sure; top two 肯定 0.41 / 否定 0.37' },
    ] as const;
    for (const c of cases) {
      const i18n = createI18n({ legacy: false, locale: c.locale, messages: { 'zh-CN': zh, en } });
      const t: Translate = (key, named) => i18n.global.t(key, named);
      const real: ReasonWords = { t, nameOf: (id) => names[id] ?? id };
      const line = (n: number) => describeReason('informative', item({ reason: { top: top.slice(0, n), outOfScopeScore: 0.59 } }), real).join(t('reason.sep', {}));
      expect(line(3)).toBe(c.three);
      expect(line(2)).toBe(c.two);
    }
  });

  it('names label, platform and model in Disagreements, and nothing without a reason', () => {
    const parts = describeReason('disagreements', item({ label: { utteranceId: 'c1#1', target: { kind: 'none' }, annotator: 'a', at: 0, source: 'manual' }, reason: { ...reason, modelIntent: 'affirm' } }), words);
    expect(parts.slice(0, 3)).toEqual(['reason.label(name=label.noneLabel())', 'reason.modelSays(name=AFFIRM)', 'reason.platform(name=DENY,p=90%)']);
    expect(describeReason('informative', item({}), words)).toEqual([]);
  });
});
