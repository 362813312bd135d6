import { describe, expect, it } from 'vitest';
import { type CsrMatrix, fitFeaturizer, transformTexts } from './featurize';
import { argmaxRows, accuracy } from './metrics';
import { createRng, type Rng } from './random';
import { chooseSolver, decisionScores, heldOutRows, predictProba, predictTexts, stratifiedFolds, trainIntentModel, trainLinearSvm } from './train';

const TEMPLATES: Record<string, readonly string[]> = {
  check_balance: ['what is my {acct} balance', 'how much money is in my {acct}', '查一下我的{zacct}余额', '我的{zacct}还有多少钱'],
  transfer: ['send {n} dollars to {who}', 'transfer {n} to {who} please', '给{zwho}转{n}元', '帮我转账{n}块给{zwho}'],
  lost_card: ['i lost my {card}', 'my {card} was stolen', '我的{zcard}丢了', '{zcard}被偷了怎么办'],
  weather: ['what is the weather in {city}', 'will it rain in {city} tomorrow', '{zcity}明天天气怎么样', '{zcity}会下雨吗'],
};
const SLOTS: Record<string, readonly string[]> = {
  acct: ['checking', 'savings', 'credit', 'joint'],
  zacct: ['储蓄卡', '信用卡', '工资卡', '账户'],
  n: ['5', '20', '300', '1,000'],
  who: ['mom', 'alice', 'my landlord', 'bob'],
  zwho: ['妈妈', '小王', '房东', '张三'],
  card: ['card', 'debit card', 'visa', 'wallet'],
  zcard: ['银行卡', '信用卡', '钱包', '借记卡'],
  city: ['paris', 'boston', 'tokyo', 'berlin'],
  zcity: ['北京', '上海', '深圳', '杭州'],
};

function synthesize(rng: Rng, perIntent: number): { texts: string[]; labels: string[] } {
  const texts: string[] = [];
  const labels: string[] = [];
  for (const [intent, templates] of Object.entries(TEMPLATES)) {
    for (let i = 0; i < perIntent; i++) {
      texts.push(rng.pick(templates).replace(/\{(\w+)\}/g, (_, slot: string) => rng.pick(SLOTS[slot]!)));
      labels.push(intent);
    }
  }
  return { texts, labels };
}

function denseCsr(rows: number[][]): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  rows.forEach((row, r) => {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    indptr[r + 1] = indices.length;
  });
  return { rows: rows.length, cols: rows[0]!.length, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

describe('trainLinearSvm', () => {
  it('reaches the hand-solved squared-hinge optimum: w = 4C / (1 + 4C), b = 0', () => {
    const x = denseCsr([[1], [-1]]);
    const y = Int32Array.from([0, 1]);
    const { scorer } = trainLinearSvm(x, y, 2, { C: 2, tolerance: 1e-9, maxEpochs: 10_000 });
    expect(scorer.weights[0]).toBeCloseTo(8 / 9, 5);
    expect(scorer.weights[1]).toBeCloseTo(-8 / 9, 5);
    expect(scorer.bias[0]).toBeCloseTo(0, 5);
    expect(Array.from(decisionScores(scorer, x)).map((v) => Math.round(v * 9))).toEqual([8, -8, -8, 8]);
  });

  it('gives the same weights when the classes are trained in two ranges', () => {
    const x = denseCsr([[1, 0, 0.5], [0, 1, 0.5], [0.2, 0.1, 1], [1, 0.1, 0]]);
    const y = Int32Array.from([0, 1, 2, 0]);
    const whole = trainLinearSvm(x, y, 3, { seed: 9 }).scorer;
    const left = trainLinearSvm(x, y, 3, { seed: 9 }, { classRange: [0, 1] }).scorer;
    const right = trainLinearSvm(x, y, 3, { seed: 9 }, { classRange: [1, 3] }).scorer;
    const merged = whole.weights.map((_, k) => (k % 3 === 0 ? left.weights[k]! : right.weights[k]!));
    expect(merged).toEqual(whole.weights);
  });
});

describe('out-of-fold scores by unlearning', () => {
  it('equal a refit without the fold when no fold row is a support vector', () => {
    const rows = [[1], [-1], [3], [-3]];
    const y = Int32Array.from([0, 1, 0, 1]);
    const folds = Int32Array.from([-1, -1, 0, 0]);
    const exact = { C: 2, tolerance: 1e-9, maxEpochs: 100_000 };
    const fit = trainLinearSvm(denseCsr(rows), y, 2, exact, { folds });
    const refit = trainLinearSvm(denseCsr([[1], [-1]]), Int32Array.from([0, 1]), 2, exact).scorer;
    const expected = decisionScores(refit, denseCsr([[3], [-3]]));
    expect(fit.outOfFoldScores.subarray(0, 4)).toEqual(new Float32Array(4));
    Array.from(fit.outOfFoldScores.subarray(4)).forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 5));
    expect(fit.outOfFoldScores[4]).toBeCloseTo((3 * 8) / 9, 5);
  });

  it('remove a fold support vector from the scores of its own row', () => {
    const rows = [[1], [-1], [0.5], [-3]];
    const y = Int32Array.from([0, 1, 0, 1]);
    const fit = trainLinearSvm(denseCsr(rows), y, 2, { tolerance: 1e-9, maxEpochs: 100_000 }, { folds: Int32Array.from([-1, -1, 0, -1]) });
    const full = decisionScores(fit.scorer, denseCsr([[0.5]]));
    expect(fit.outOfFoldScores[2 * 2]).toBeLessThan(full[0]!);
  });
});

describe('heldOutRows', () => {
  /** Row r of x as bucket → value, so rows over different featurizers compare. */
  function bucketValues(x: CsrMatrix, r: number, buckets: Int32Array): Map<number, number> {
    const out = new Map<number, number>();
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) out.set(buckets[x.indices[k]!]!, x.values[k]!);
    return out;
  }

  it('featurizes each row exactly as a refit without its fold would, dropping n-grams only its fold has', () => {
    const texts = ['check my balance', 'balance of savings', 'send money to bob', 'send cash to alice', '查余额', '给妈妈转账', 'zebra balance'];
    const folds = Int32Array.from([0, 1, 0, 1, 0, 1, -1]);
    const featurizer = fitFeaturizer(texts);
    const x = transformTexts(featurizer, texts);
    const held = heldOutRows(featurizer, x, texts, folds);
    let dropped = 0;
    for (const f of [0, 1]) {
      const others = texts.filter((_, r) => folds[r] !== f);
      const refit = fitFeaturizer(others);
      texts.forEach((text, r) => {
        if (folds[r] !== f) return;
        const expected = bucketValues(transformTexts(refit, [text]), 0, refit.columnBuckets);
        expect(bucketValues(held, r, featurizer.columnBuckets)).toEqual(expected);
        dropped += x.indptr[r + 1]! - x.indptr[r]! - expected.size;
      });
    }
    expect(dropped).toBeGreaterThan(0);
    expect(bucketValues(held, 6, featurizer.columnBuckets)).toEqual(bucketValues(x, 6, featurizer.columnBuckets));
  });
});

describe('stratifiedFolds', () => {
  it('deals each class round-robin over k folds and leaves singleton classes out', () => {
    const y = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2]);
    const folds = stratifiedFolds(y, 3, 2, createRng(3));
    expect(folds[8]).toBe(-1);
    for (const c of [0, 1]) {
      const ofClass = Array.from(folds).filter((_, r) => y[r] === c);
      expect(ofClass.filter((f) => f === 0).length).toBe(2);
    }
  });
});

describe('trainIntentModel on synthetic Chinese and English intents', () => {
  const data = synthesize(createRng(7), 60);
  const test = synthesize(createRng(8), 25);
  const model = trainIntentModel(data.texts, data.labels, { svm: { seed: 5 } });

  it('classifies held-out utterances with at least 95% accuracy', () => {
    const probs = predictTexts(model, test.texts);
    const truth = Int32Array.from(test.labels, (l) => model.labels.indexOf(l));
    expect(model.labels).toEqual(['check_balance', 'lost_card', 'transfer', 'weather']);
    expect(accuracy(argmaxRows(probs, model.classes), truth)).toBeGreaterThanOrEqual(0.95);
    for (let r = 0; r < test.texts.length; r++) {
      let sum = 0;
      for (let c = 0; c < model.classes; c++) sum += probs[r * model.classes + c]!;
      expect(sum).toBeCloseTo(1, 5);
    }
    expect(model.temperature).toBeGreaterThan(0);
    expect(Number.isFinite(model.temperature)).toBe(true);
  });

  it('scores an utterance that fits no intent lower than one that fits', () => {
    const scores = decisionScores(model, transformTexts(model.featurizer, ['我的信用卡余额', 'play some jazz music']));
    const top = (r: number): number => Math.max(...Array.from(scores.subarray(r * 4, r * 4 + 4)));
    expect(top(0)).toBeGreaterThan(top(1));
  });

  it('gives identical weights and temperature for the same seed', () => {
    const again = trainIntentModel(data.texts, data.labels, { svm: { seed: 5 } });
    expect(again.weights).toEqual(model.weights);
    expect(again.bias).toEqual(model.bias);
    expect(again.temperature).toBe(model.temperature);
  });
});

describe('decisionScores', () => {
  it('equals the plain product bias + x · W for class counts around the block of eight, ignoring unknown columns', () => {
    for (const classes of [3, 8, 13, 14, 15]) {
      const features = 5;
      const weights = Float32Array.from({ length: features * classes }, (_, k) => ((k * 7) % 11) / 10 - 0.5);
      const bias = Float32Array.from({ length: classes }, (_, c) => c / 10);
      const x = denseCsr([[0.5, 0, 1, 0, 0.25], [0, 0, 0, 0, 0]]);
      const wide = { ...x, cols: 7, indptr: Int32Array.from([0, 4, 4]), indices: Int32Array.from([0, 2, 4, 6]), values: Float32Array.from([0.5, 1, 0.25, 9]) };
      const scores = decisionScores({ classes, features, weights, bias }, wide);
      for (let c = 0; c < classes; c++) {
        const expected = bias[c]! + 0.5 * weights[c]! + 1 * weights[2 * classes + c]! + 0.25 * weights[4 * classes + c]!;
        expect(scores[c]).toBeCloseTo(expected, 6);
        expect(scores[classes + c]).toBeCloseTo(bias[c]!, 6);
      }
    }
  });
});

describe('decisionScores and predictTexts, bit for bit', () => {
  it('adds each class\'s terms in column order from the bias, for every class block size', () => {
    for (const classes of [1, 2, 5, 7, 8, 9, 11, 14, 15, 150]) {
      const features = 6;
      const weights = Float32Array.from({ length: features * classes }, (_, k) => Math.fround(Math.sin(k * 12.9898) * 3));
      const bias = Float32Array.from({ length: classes }, (_, c) => Math.fround(Math.cos(c) / 3));
      const x: CsrMatrix = { rows: 1, cols: features, indptr: Int32Array.of(0, 3), indices: Int32Array.of(1, 3, 5), values: Float32Array.of(0.1, 0.7, 0.3) };
      const scores = decisionScores({ classes, features, weights, bias }, x);
      for (let c = 0; c < classes; c++) {
        let sum = bias[c]!;
        for (let k = 0; k < 3; k++) sum += x.values[k]! * weights[x.indices[k]! * classes + c]!;
        expect(scores[c]).toBe(Math.fround(sum));
      }
    }
  });

  it('predictTexts equals predictProba over transformTexts exactly, across chunks', () => {
    const rng = createRng(3);
    const train = synthesize(rng, 30);
    const model = trainIntentModel(train.texts, train.labels, { svm: { seed: 1 } });
    const texts = synthesize(rng, 700).texts;
    expect(texts.length).toBeGreaterThan(2048);
    expect(predictTexts(model, texts)).toEqual(predictProba(model, transformTexts(model.featurizer, texts)));
    expect(predictTexts(model, texts.slice(5, 6))).toEqual(predictTexts(model, texts).subarray(5 * model.classes, 6 * model.classes));
  });
});

describe('chooseSolver', () => {
  const labels = (counts: number[]) => Int32Array.from(counts.flatMap((n, c) => Array.from({ length: n }, () => c)));

  it('picks the softmax solver at a median of 20 examples per intent or fewer, the SVM above', () => {
    expect(chooseSolver(labels([5, 5, 100]), 3, 1000)).toBe('softmax');
    expect(chooseSolver(labels([20, 20, 300]), 3, 1000)).toBe('softmax');
    expect(chooseSolver(labels([21, 21, 3]), 3, 1000)).toBe('svm');
  });

  it('keeps the SVM when the softmax model would outgrow its memory budget', () => {
    expect(chooseSolver(labels([5, 5, 5]), 3, 2 ** 22)).toBe('svm');
    expect(chooseSolver(labels(Array.from({ length: 300 }, () => 20)), 300, 20_000)).toBe('softmax');
    expect(chooseSolver(labels(Array.from({ length: 300 }, () => 20)), 300, 40_000)).toBe('svm');
  });
});
