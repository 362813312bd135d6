import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURIZER_CONFIG, CONTEXT_GROUP_WEIGHTS, fitFeaturizer, hashFeatures, transformTexts } from './featurize';
import { loadModelArtifact, toArtifact } from './modelArtifact';
import { argmaxRows } from './metrics';
import { createArtifactPredictor } from './predictArtifact';
import { predictTexts, trainIntentModel } from './train';
import { contextualText, splitModelText } from './turnContext';
import { identityTransactionRows } from './fixtures/identityTransactionRows';
import { artifactV1Fixture as fixture } from './fixtures/artifactV1';

describe('contextualText', () => {
  it('is the utterance itself when there is no context, and splits back into its parts', () => {
    expect(contextualText('不是')).toBe('不是');
    expect(contextualText('不是', { prompt: '', node: '' })).toBe('不是');
    const text = contextualText('不是', { prompt: '请问是张先生吗？', node: 'identity' });
    expect(splitModelText(text)).toEqual({ utterance: '不是', prompt: '请问是张先生吗？', previous: '', node: 'identity' });
    expect(splitModelText('不是')).toEqual({ utterance: '不是', prompt: '', previous: '', node: '' });
  });

  it('keeps a separator inside a field from shifting the fields', () => {
    const text = contextualText('a\u001fb', { prompt: 'c\u001fd' });
    expect(splitModelText(text)).toEqual({ utterance: 'a b', prompt: 'c d', previous: '', node: '' });
  });
});

describe('context features', () => {
  const config = { ...DEFAULT_FEATURIZER_CONFIG, ...CONTEXT_GROUP_WEIGHTS };

  it('hashes the prompt into buckets of its own: the same words in the prompt and in the utterance do not meet', () => {
    const f = hashFeatures(contextualText('是的', { prompt: '是的', previous: '是的' }), config);
    const utterance = new Set([...f.word, ...f.char]);
    expect(f.prompt.length).toBe(f.word.length);
    expect(f.previous.length).toBe(f.word.length);
    expect(f.prompt.some((b) => utterance.has(b))).toBe(false);
    expect(f.previous.some((b) => utterance.has(b) || f.prompt.includes(b))).toBe(false);
  });

  it('reads no context when the config weighs it 0 (models trained before context existed)', () => {
    const f = hashFeatures(contextualText('是的', { prompt: '请问是本人吗', node: 'identity' }), DEFAULT_FEATURIZER_CONFIG);
    expect(f.prompt.length).toBe(0);
    expect(f.previous.length).toBe(0);
    const texts = ['是的', '不是', '可以'];
    const withContext = texts.map((t) => contextualText(t, { prompt: '请问是本人吗' }));
    const plain = fitFeaturizer(texts);
    expect(transformTexts(plain, withContext)).toEqual(transformTexts(plain, texts));
  });

  it('featurizes utterance-only texts exactly as without context groups, whatever their weights', () => {
    const texts = ['我要还款', 'i want to pay back', '转人工', '稍后再打'];
    const a = fitFeaturizer(texts);
    const b = fitFeaturizer(texts, CONTEXT_GROUP_WEIGHTS);
    expect(b.columnBuckets).toEqual(a.columnBuckets);
    expect(transformTexts(b, texts)).toEqual(transformTexts(a, texts));
  });
});

describe('a context-aware model', () => {
  // The same short replies mean different things after different questions.
  const identity = '请问您是张先生本人吗？';
  const transaction = '这笔交易是您本人操作的吗？';
  const extension = '需要帮您申请延期还款吗？';
  const rows: [string, string, string][] = [
    ...identityTransactionRows(identity, transaction),
    ['不是的', identity, 'wrong_person'],
    ['不是的', transaction, 'report_fraud'],
    ['不用了', extension, 'decline_offer'],
    ['不需要', extension, 'decline_offer'],
    ['可以', extension, 'accept_offer'],
    ['好的', extension, 'accept_offer'],
  ];
  const texts = rows.map(([u, prompt]) => contextualText(u, { prompt }));
  const labels = rows.map(([, , intent]) => intent);

  it('tells the same words apart by the question they answer', () => {
    const model = trainIntentModel(texts, labels, { calibrationFolds: 0 });
    expect(model.featurizer.config.promptGroupWeight).toBe(CONTEXT_GROUP_WEIGHTS.promptGroupWeight);
    const probes: [string, string, string][] = [
      ['不是', identity, 'wrong_person'],
      ['不是', transaction, 'report_fraud'],
      ['是的', identity, 'confirm_identity'],
      ['是的', transaction, 'confirm_transaction'],
      ['不是的呀', transaction, 'report_fraud'],
      ['嗯可以', extension, 'accept_offer'],
    ];
    const probs = predictTexts(model, probes.map(([u, prompt]) => contextualText(u, { prompt })));
    const predicted = [...argmaxRows(probs, model.classes)].map((c) => model.labels[c]);
    expect(predicted).toEqual(probes.map(([, , intent]) => intent));
  });

  it('without the question cannot tell them apart (the words alone give one intent for both)', () => {
    const model = trainIntentModel(rows.map(([u]) => u), labels, { calibrationFolds: 0 });
    expect(model.featurizer.config.promptGroupWeight).toBe(0);
    const probs = predictTexts(model, ['不是', '不是']);
    const predicted = [...argmaxRows(probs, model.classes)];
    expect(predicted[0]).toBe(predicted[1]);
  });

  it('writes a version-2 artifact that predicts with context bit for bit after JSON', () => {
    const model = trainIntentModel(texts, labels, { calibrationFolds: 3 });
    const artifact = JSON.parse(JSON.stringify(toArtifact(model, 0.5))) as unknown;
    const loaded = loadModelArtifact(artifact).model;
    expect(loaded.featurizer.config).toEqual(model.featurizer.config);
    const probe = [contextualText('不是', { prompt: transaction }), contextualText('不是', { prompt: identity, node: 'n1' })];
    expect([...predictTexts(loaded, probe)]).toEqual([...predictTexts(model, probe)]);
    expect(createArtifactPredictor(artifact)(probe).map((p) => p.intent)).toEqual(['report_fraud', 'wrong_person']);
  });
});

describe('a version-1 artifact (written before context existed)', () => {
  it('loads and predicts exactly what it predicted then', () => {
    expect(fixture.artifact.version).toBe(1);
    const { model } = loadModelArtifact(fixture.artifact);
    expect(model.featurizer.config.promptGroupWeight).toBe(0);
    expect([...predictTexts(model, fixture.probes)]).toEqual(fixture.probabilities.map((p) => Math.fround(p)));
    expect(createArtifactPredictor(fixture.artifact)(fixture.probes)).toEqual(fixture.predictions);
  });

  it('ignores context it was never trained on', () => {
    const withContext = fixture.probes.map((p) => contextualText(p, { prompt: '请问是本人吗', node: 'identity' }));
    expect(createArtifactPredictor(fixture.artifact)(withContext)).toEqual(fixture.predictions);
  });
});
