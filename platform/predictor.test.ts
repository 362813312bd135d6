import { describe, expect, it } from 'vitest';
import type { Intent } from '../shared/domain/types';
import { loadModelArtifact, toArtifact } from '../shared/ml/modelArtifact';
import { predictTexts, trainIntentModel } from '../shared/ml/train';
import { charBigrams, createPredictor, DEFAULT_BIGRAM_THRESHOLD, type BigramArtifact } from './predictor';

function intent(id: string, examples: string[], status: Intent['status'] = 'active'): Intent {
  return { id, name: id, description: '', examples, status, createdAt: 0, updatedAt: 0 };
}

const catalogue = [intent('pay_now', ['I will pay now', '我现在就还款']), intent('wrong_number', ['you have the wrong number', '你打错了']), intent('old', ['pay pay pay'], 'deprecated')];

describe('charBigrams', () => {
  it('normalizes case, width and punctuation before taking bigrams', () => {
    expect([...charBigrams('Ａb, C!')]).toEqual(['ab', 'b ', ' c']);
    expect([...charBigrams('好')]).toEqual(['好']);
    expect(charBigrams('?!').size).toBe(0);
  });
});

describe('createPredictor', () => {
  it('predicts with the catalogue baseline when no model is active: nearest example by bigram overlap, null below the threshold', () => {
    const predictor = createPredictor(null, { version: null, catalogue });
    expect(predictor.kind).toBe('catalogue-baseline');
    const [pay, wrong, none, exact] = predictor.predict(['i will pay now please', '你打错了吧', 'tell me a joke about cats', 'you have the wrong number']);
    expect(pay!.intent).toBe('pay_now');
    expect(wrong!.intent).toBe('wrong_number');
    expect(none!.intent).toBeNull();
    expect(none!.confidence).toBeLessThan(DEFAULT_BIGRAM_THRESHOLD);
    expect(exact).toEqual({ intent: 'wrong_number', confidence: 1 });
  });

  it('gives the Dice coefficient of the bigram sets as confidence', () => {
    const [p] = createPredictor(null, { version: null, catalogue: [intent('a', ['abcd'])] }).predict(['abxy']);
    expect(p!.confidence).toBe(Math.round(((2 * 1) / (3 + 3)) * 1000) / 1000);
  });

  it('ignores deprecated intents and is deterministic', () => {
    const predictor = createPredictor(null, { version: null, catalogue });
    const texts = ['pay pay pay', '我现在还款', 'wrong number'];
    expect(predictor.predict(texts)).toEqual(predictor.predict(texts));
    expect(predictor.predict(['pay pay pay'])[0]!.intent).not.toBe('old');
  });

  it('predicts with a bigram artifact its own intents and threshold, and falls back to the baseline for an unknown artifact', () => {
    const artifact: BigramArtifact = { format: 'callsift-bigram-baseline', formatVersion: 1, threshold: 0.9, intents: [{ id: 'greet', examples: ['hello there'] }] };
    const predictor = createPredictor(artifact, { version: 4, catalogue });
    expect(predictor).toMatchObject({ version: 4, kind: 'bigram-artifact' });
    expect(predictor.predict(['Hello there!', 'hello'])).toEqual([{ intent: 'greet', confidence: 1 }, { intent: null, confidence: expect.any(Number) }]);
    const unknown = createPredictor({ format: 'something-else' }, { version: 5, catalogue });
    expect(unknown).toMatchObject({ version: 5, kind: 'catalogue-baseline' });
    expect(unknown.predict(['你打错了'])[0]!.intent).toBe('wrong_number');
  });
});

describe('a real Callsift model artifact', () => {
  it('predicts with the same probabilities as the app, and says "no match" above the out-of-scope threshold', () => {
    const texts = ['是我本人', '对，是我', 'yes it is me', '我在开会', '晚点再打', 'call me later', '转人工', 'transfer me to an agent', '找人工客服'];
    const labels = ['confirm', 'confirm', 'confirm', 'busy', 'busy', 'busy', 'human', 'human', 'human'];
    const artifact = JSON.parse(JSON.stringify(toArtifact(trainIntentModel(texts, labels, { calibrationFolds: 0 }), 0.5)));
    const predictor = createPredictor(artifact, { version: 3, catalogue: [] });
    expect(predictor.kind).toBe('artifact');
    const probe = ['是我', '我现在在开会', 'agent please', '今天天气怎么样'];
    const platform = predictor.predict(probe);
    const { model } = loadModelArtifact(artifact);
    const app = predictTexts(model, probe);
    probe.forEach((_, r) => {
      const row = app.subarray(r * model.classes, (r + 1) * model.classes);
      const best = row.indexOf(Math.max(...row));
      expect(platform[r]!.confidence).toBe(row[best]);
      expect(platform[r]!.intent).toBe(1 - row[best]! >= 0.5 ? null : model.labels[best]);
    });
    expect(platform.slice(0, 3).map((p) => p.intent)).toEqual(['confirm', 'busy', 'human']);
  });
});
