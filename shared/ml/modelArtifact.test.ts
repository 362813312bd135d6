import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64';
import { loadModelArtifact, toArtifact } from './modelArtifact';
import { outOfScopeScoresOf } from './outOfScope';
import { createArtifactPredictor } from './predictArtifact';
import { argmaxRows } from './metrics';
import { scaleTopLabel } from './topLabelScaling';
import { predictTemperedTexts, predictTexts, trainIntentModel } from './train';

describe('base64', () => {
  it('matches known encodings and round-trips every length', () => {
    expect(encodeBase64(new TextEncoder().encode('Man'))).toBe('TWFu');
    expect(encodeBase64(new TextEncoder().encode('Ma'))).toBe('TWE=');
    expect(encodeBase64(new TextEncoder().encode('M'))).toBe('TQ==');
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect([...decodeBase64(encodeBase64(bytes))]).toEqual([...bytes]);
    }
    expect(() => decodeBase64('ab$d')).toThrow(RangeError);
  });
});

describe('model artifact', () => {
  const texts = ['是我本人', '对是我', 'yes it is me', '我在开会', '晚点再打', 'call me later', '转人工', 'transfer me to an agent', '找人工客服'];
  const labels = ['confirm', 'confirm', 'confirm', 'busy', 'busy', 'busy', 'human', 'human', 'human'];

  it('round-trips through JSON to byte-identical probabilities', () => {
    const model = trainIntentModel(texts, labels, { calibrationFolds: 0 });
    const json = JSON.stringify(toArtifact(model, 0.6));
    const loaded = loadModelArtifact(JSON.parse(json));
    expect(loaded.outOfScopeThreshold).toBe(0.6);
    const probe = ['是我', '我现在在开会', 'agent please'];
    expect([...predictTexts(loaded.model, probe)]).toEqual([...predictTexts(model, probe)]);
  });

  it('names what is wrong with a damaged artifact', () => {
    const artifact = toArtifact(trainIntentModel(texts, labels, { calibrationFolds: 0 }), 0.5);
    expect(() => loadModelArtifact({ ...artifact, format: 'other' })).toThrow(/format/);
    expect(() => loadModelArtifact({ ...artifact, version: 9 })).toThrow(/version 9/);
    expect(() => loadModelArtifact({ ...artifact, bias: encodeBase64(new Uint8Array(4)) })).toThrow(/bias/);
  });

  it('keeps the out-of-scope temperature, and loads artifacts without one as 1 − max probability', () => {
    const model = { ...trainIntentModel(texts, labels, { calibrationFolds: 0 }), outOfScopeTemperature: 4 };
    const probe = ['是我', '我现在在开会', 'agent please', 'what is the weather'];
    const loaded = loadModelArtifact(JSON.parse(JSON.stringify(toArtifact(model, 0.5)))).model;
    expect(loaded.outOfScopeTemperature).toBe(4);
    const probs = predictTexts(model, probe);
    expect([...outOfScopeScoresOf(loaded, probs, model.classes)]).toEqual([...outOfScopeScoresOf(model, probs, model.classes)]);
    const { outOfScopeTemperature: _, ...withoutTemperature } = toArtifact(model, 0.5);
    expect(withoutTemperature).not.toHaveProperty('outOfScopeTemperature');
    const old = loadModelArtifact(withoutTemperature).model;
    expect(old.outOfScopeTemperature).toBeUndefined();
    const oldScores = outOfScopeScoresOf(old, probs, model.classes);
    probe.forEach((_, r) => expect(oldScores[r]).toBe(Math.fround(1 - Math.max(...probs.subarray(r * 3, r * 3 + 3)))));
  });

  it('keeps the top-label scaling: confidences move, intents and out-of-scope scores do not', () => {
    const base = trainIntentModel(texts, labels, { calibrationFolds: 0 });
    const model = { ...base, topLabelScaling: { slope: 0.5, intercept: -0.3 } };
    const probe = ['是我', '我现在在开会', 'agent please', 'what is the weather'];
    const artifact = JSON.parse(JSON.stringify(toArtifact(model, 0.5))) as ReturnType<typeof toArtifact>;
    expect(artifact.topLabelScaling).toEqual({ slope: 0.5, intercept: -0.3 });
    const loaded = loadModelArtifact(artifact).model;
    const scaled = predictTexts(loaded, probe);
    expect([...scaled]).toEqual([...scaleTopLabel(predictTexts(base, probe), base.classes, model.topLabelScaling)]);
    expect([...scaled]).not.toEqual([...predictTexts(base, probe)]);
    expect([...argmaxRows(scaled, base.classes)]).toEqual([...argmaxRows(predictTexts(base, probe), base.classes)]);
    expect([...predictTemperedTexts(loaded, probe)]).toEqual([...predictTexts(base, probe)]);
    const predictor = createArtifactPredictor(artifact);
    const plain = createArtifactPredictor(toArtifact(base, 0.5));
    probe.forEach((text, r) => {
      const [withScaling] = predictor([text]);
      const [without] = plain([text]);
      expect(withScaling!.intent).toBe(without!.intent);
      expect(withScaling!.confidence).toBe(Math.max(...scaled.subarray(r * base.classes, (r + 1) * base.classes)));
    });
    expect(() => loadModelArtifact({ ...artifact, topLabelScaling: { slope: -1, intercept: 0 } })).toThrow(/topLabelScaling/);
    expect(() => loadModelArtifact({ ...artifact, topLabelScaling: { slope: 1 } })).toThrow(/topLabelScaling/);
  });

  it('predicts "no match" from the out-of-scope score at the artifact temperature', () => {
    const model = { ...trainIntentModel(texts, labels, { calibrationFolds: 0 }), outOfScopeTemperature: 1000 };
    const probe = ['是我', 'agent please'];
    const scores = outOfScopeScoresOf(model, predictTexts(model, probe), model.classes);
    const threshold = (scores[0]! + scores[1]!) / 2;
    const predicted = createArtifactPredictor(JSON.parse(JSON.stringify(toArtifact(model, threshold))))(probe);
    const lower = scores[0]! < scores[1]! ? 0 : 1;
    expect(predicted[lower]!.intent).not.toBeNull();
    expect(predicted[1 - lower]!.intent).toBeNull();
  });
});
