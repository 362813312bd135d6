import { describe, expect, it } from 'vitest';
import { softmaxInPlace } from './calibrate';
import { findLabelIssues } from './labelIssues';
import { outOfScopeScoresOf } from './outOfScope';
import { createRng, mixSeed, type Rng } from './random';
import { planTraining, predictTemperedTexts, predictTexts, trainIntentModel } from './train';
import { evaluate, runTraining } from './trainingRun';

const INTENTS = 8;
const FILLER = ['please', 'can', 'you', 'i', 'want', 'to', 'the', 'my', 'now', 'me', 'help', 'with'];
const KEYWORDS = [
  'balance', 'deposit', 'savings', 'checking', 'statement', 'funds',
  'weather', 'rain', 'sunny', 'forecast', 'umbrella', 'snow',
  'flight', 'airport', 'boarding', 'luggage', 'gate', 'plane',
  'pizza', 'burger', 'delivery', 'menu', 'order', 'dinner',
  'alarm', 'wake', 'timer', 'clock', 'remind', 'morning',
  'song', 'music', 'playlist', 'album', 'radio', 'volume',
  'hotel', 'room', 'booking', 'checkin', 'suite', 'reservation',
  'doctor', 'appointment', 'clinic', 'medicine', 'fever', 'nurse',
];
const keyword = (c: number, rng: Rng): string => KEYWORDS[c * 6 + rng.int(6)]!;

/** Utterances of `INTENTS` intents: two of the intent's six keywords among fillers; 10% of labels flipped. */
function noisyData(rng: Rng, perIntent: number): { texts: string[]; labels: string[]; flipped: Set<number> } {
  const texts: string[] = [];
  const truth: number[] = [];
  for (let c = 0; c < INTENTS; c++) {
    for (let i = 0; i < perIntent; i++) {
      const words = [rng.pick(FILLER), rng.pick(FILLER), keyword(c, rng), rng.pick(FILLER), keyword(c, rng)];
      texts.push(words.join(' '));
      truth.push(c);
    }
  }
  const labels = truth.map((c) => `intent${c}`);
  const flipped = new Set<number>();
  while (flipped.size < texts.length / 10) {
    const r = rng.int(texts.length);
    if (flipped.has(r)) continue;
    flipped.add(r);
    labels[r] = `intent${(truth[r]! + 1 + rng.int(INTENTS - 1)) % INTENTS}`;
  }
  return { texts, labels, flipped };
}

/** Utterances of `INTENTS` intents whose second keyword is, one time in three, another intent's: confidence tells. */
function blurredData(rng: Rng, perIntent: number): { texts: string[]; labels: string[] } {
  const texts: string[] = [];
  const labels: string[] = [];
  for (let c = 0; c < INTENTS; c++) {
    for (let i = 0; i < perIntent; i++) {
      const other = rng.int(3) === 0 ? (c + 1 + rng.int(INTENTS - 1)) % INTENTS : c;
      texts.push([rng.pick(FILLER), keyword(c, rng), rng.pick(FILLER), keyword(other, rng)].join(' '));
      labels.push(`intent${c}`);
    }
  }
  return { texts, labels };
}

function precisionAtN(quality: Float32Array, flipped: ReadonlySet<number>): number {
  const order = [...quality.keys()].sort((a, b) => quality[a]! - quality[b]! || a - b);
  return order.slice(0, flipped.size).filter((r) => flipped.has(r)).length / flipped.size;
}

/** Reference: out-of-fold probabilities from k full refits on the same folds. */
function refitQuality(texts: string[], labels: string[], k: number, seed: number): Float32Array {
  const plan = planTraining(texts, labels, { calibrationFolds: k, svm: { seed } });
  const folds = plan.folds!;
  const classes = plan.labels.length;
  const oof = new Float32Array(texts.length * classes);
  for (let f = 0; f < k; f++) {
    const train = [...folds.keys()].filter((r) => folds[r] !== f);
    const test = [...folds.keys()].filter((r) => folds[r] === f);
    const model = trainIntentModel(
      train.map((r) => texts[r]!),
      train.map((r) => labels[r]!),
      { svm: { seed } },
    );
    const probs = predictTexts(model, test.map((r) => texts[r]!));
    test.forEach((r, t) => model.labels.forEach((l, c) => (oof[r * classes + plan.labels.indexOf(l)] = probs[t * classes + c]!)));
  }
  return findLabelIssues(plan.y, oof, classes).quality;
}

describe('runTraining', () => {
  it('ranks flipped labels first with out-of-fold probabilities from unlearning, as well as k refits do', () => {
    const { texts, labels, flipped } = noisyData(createRng(mixSeed(3, 1)), 60);
    const out = runTraining({ texts, labels, score: ['rain please'], folds: 5, seed: 4 });
    const unlearned = precisionAtN(out.labelIssues.quality, flipped);
    expect(unlearned).toBeGreaterThanOrEqual(0.9);
    expect(unlearned).toBeGreaterThanOrEqual(precisionAtN(refitQuality(texts, labels, 5, 4), flipped) - 0.02);
    const flagged = [...out.labelIssues.ranked];
    expect(flagged.filter((r) => flipped.has(r)).length / flagged.length).toBeGreaterThanOrEqual(0.9);
    expect(flagged.length).toBeGreaterThanOrEqual(0.8 * flipped.size);
    for (const r of flagged.filter((row) => flipped.has(row)).slice(0, 10)) {
      expect(out.model.labels[out.labelIssues.suggested[r]!]).not.toBe(labels[r]);
    }
  });

  it('keeps its output shape: one out-of-fold row per text, probabilities summing to 1, the report over every text', () => {
    const { texts, labels } = noisyData(createRng(5), 20);
    const out = runTraining({ texts, labels, score: ['deposit now', 'fever clinic'], folds: 4, seed: 2 });
    expect(out.outOfFoldPrediction.length).toBe(texts.length);
    expect(out.labelIssues.quality.length).toBe(texts.length);
    expect(out.report.examples).toBe(texts.length);
    expect(out.report.folds).toBe(4);
    expect(out.report.perIntent.length).toBe(INTENTS);
    expect(out.scored.first.length).toBe(2);
    expect(out.model.labels[out.scored.first[0]!]).toBe('intent0');
    expect(out.model.labels[out.scored.first[1]!]).toBe('intent7');
    expect(out.report.accuracy).toBeGreaterThan(0.8);
    expect(out.inScopeOutOfScope.length).toBe(texts.length);
    expect(Math.min(...out.inScopeOutOfScope)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out.inScopeOutOfScope)).toBeLessThan(1 - 1 / INTENTS + 1e-6);
    const matrix = out.report.confusionMatrix;
    expect(matrix.intents.length).toBeLessThanOrEqual(12);
    expect(matrix.counts.length).toBe(matrix.intents.length);
    const again = runTraining({ texts, labels, score: ['deposit now'], folds: 4, seed: 2 });
    expect([...again.labelIssues.quality]).toEqual([...out.labelIssues.quality]);
  });

  it('chooses the out-of-scope temperature on known out-of-scope texts and scores everything with it', () => {
    const { texts, labels } = noisyData(createRng(5), 20);
    const outOfScopeTexts = ['zebra quartz', 'what is love', 'sing me a song', 'purple elephants', 'the moon tonight', 'random words here'];
    const out = runTraining({ texts, labels, score: ['deposit now', 'zebra moon'], folds: 4, seed: 2, outOfScopeTexts });
    expect(out.outOfScopeExamples.length).toBe(outOfScopeTexts.length);
    expect(out.scoredOutOfScope.length).toBe(2);
    const oosT = out.model.outOfScopeTemperature ?? out.model.temperature;
    expect([1, 2, 4, 8, 16].map((m) => m * out.model.temperature)).toContain(oosT);
    expect([...out.scoredOutOfScope]).toEqual([...outOfScopeScoresOf(out.model, predictTemperedTexts(out.model, ['deposit now', 'zebra moon']), out.model.classes)]);
    const plain = runTraining({ texts, labels, score: [], folds: 4, seed: 2 });
    expect(plain.model.outOfScopeTemperature).toBeUndefined();
    expect(plain.outOfScopeExamples.length).toBe(0);
    expect(plain.inScopeOutOfScope.length).toBe(texts.length);
  });

  it('scales the top probability by what the folds got right: scored and reported confidences are the scaled ones', () => {
    const { texts, labels } = blurredData(createRng(7), 30);
    const score = ['balance deposit now', 'pizza weather please', 'with the my'];
    const out = runTraining({ texts, labels, score, folds: 5, seed: 3 });
    expect(out.model.topLabelScaling).toBeDefined();
    const probs = predictTexts(out.model, score);
    const tempered = predictTemperedTexts(out.model, score);
    const classes = out.model.classes;
    score.forEach((_, r) => {
      const row = probs.subarray(r * classes, (r + 1) * classes);
      expect(out.scored.firstProb[r]).toBe(Math.max(...row));
      expect(out.scored.first[r]).toBe(row.indexOf(Math.max(...row)));
      expect(Math.max(...row)).not.toBe(Math.max(...tempered.subarray(r * classes, (r + 1) * classes)));
    });
    const reliability = out.report.reliability.filter((bin) => bin.count > 0);
    const meanConfidence = reliability.reduce((sum, bin) => sum + bin.meanConfidence * bin.count, 0) / out.report.examples;
    expect(Math.abs(meanConfidence - out.report.accuracy)).toBeLessThan(0.05);
  });

  it('reports the confusion among the intents with errors, by intent id', () => {
    const probs = Float32Array.from([0.9, 0.1, 0, 0.2, 0.8, 0, 0.6, 0.4, 0, 0, 0.3, 0.7]);
    const report = evaluate(probs, Int32Array.from([0, 1, 1, 2]), ['a', 'b', 'c'], 2);
    expect(report.confusionMatrix).toEqual({ intents: ['a', 'b'], counts: [[1, 0], [1, 1]] });
    expect(report.confusedPairs).toEqual([{ actual: 'b', predicted: 'a', count: 1 }]);
  });

  it('softmaxes out-of-fold scores with the fitted temperature', () => {
    const scores = Float32Array.from([2, 0, 0, 2]);
    expect(softmaxInPlace(scores, 2, 2)[0]).toBeCloseTo(Math.E / (Math.E + 1), 6);
  });
});
