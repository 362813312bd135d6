import { describe, expect, it } from 'vitest';
import { dotRows } from './csr';
import { fitFeaturizer, transformTexts, type CsrMatrix } from './featurize';
import { findLabelIssues } from './labelIssues';
import { createRng } from './random';
import {
  deferNearDuplicates,
  disagreementLevel,
  rankDisagreements,
  rankInformative,
  rankMislabeled,
  rankQueues,
  rankUncovered,
  scoreUncovered,
} from './rankQueues';

describe('scoreUncovered and rankUncovered', () => {
  // 0: platform sure, model in scope → covered; 1: platform unsure; 2: no platform match; 3 and 4: the model says out of scope.
  const conf = Float32Array.from([0.9, 0.3, 0, 1, 0.9]);
  const oos = Float32Array.from([0.1, 0.2, 0.05, 0.8, 0.7]);

  it('scores max(oos, 1 − confidence) + oos where uncovered, NaN where covered', () => {
    const s = scoreUncovered(conf, oos, { threshold: 0.6 });
    expect(Number.isNaN(s[0])).toBe(true);
    expect(s[1]).toBeCloseTo(0.9, 6);
    expect(s[2]).toBeCloseTo(1.05, 6);
    expect(s[3]).toBeCloseTo(1.6, 6);
    expect(s[4]).toBeCloseTo(1.4, 6);
  });

  it('ranks the uncovered highest score first, ties by index', () => {
    expect([...rankUncovered(conf, oos, { threshold: 0.6 })]).toEqual([3, 4, 2, 1]);
    // At threshold 0.75 row 4 (0.7) is covered; at 0.05 every row is uncovered (row 0: 0.1 + 0.1).
    expect([...rankUncovered(conf, oos, { threshold: 0.75 })]).toEqual([3, 2, 1]);
    expect([...rankUncovered(conf, oos, { threshold: 0.05 })]).toEqual([3, 4, 2, 1, 0]);
    expect([...rankUncovered([0, 0, 0], [0, 0, 0], { threshold: 0.5 })]).toEqual([0, 1, 2]);
  });

  it('puts the known out-of-scope utterances of a synthetic workspace first', () => {
    const rng = createRng(7);
    const n = 1000;
    const planted = new Set<number>();
    while (planted.size < 50) planted.add(rng.int(n));
    const c = new Float32Array(n);
    const o = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      c[i] = planted.has(i) ? rng.float(0, 0.3) : rng.float(0.55, 1);
      o[i] = planted.has(i) ? rng.float(0.7, 1) : rng.float(0, 0.5);
    }
    const order = rankUncovered(c, o, { threshold: 0.6 });
    expect(order.length).toBe(50);
    expect(new Set(order)).toEqual(planted);
  });
});

describe('deferNearDuplicates', () => {
  // Rows 0 and 1 are the same vector; row 2 is orthogonal to both; row 3 has cosine 0.6 with rows 0 and 1.
  const x: CsrMatrix = {
    rows: 4,
    cols: 4,
    indptr: Int32Array.from([0, 1, 2, 3, 5]),
    indices: Int32Array.from([0, 0, 1, 0, 2]),
    values: Float32Array.from([1, 1, 1, 0.6, 0.8]),
  };
  const keys = ['a', 'b', 'c', 'd'];

  it('computes the cosines the fixture states', () => {
    expect(dotRows(x, 0, 1)).toBe(1);
    expect(dotRows(x, 0, 2)).toBe(0);
    expect(dotRows(x, 3, 0)).toBeCloseTo(0.6, 6);
  });

  it('defers rows too similar to a kept row, strictly above the bound', () => {
    expect([...deferNearDuplicates(x, keys, { maxSimilarity: 0.9 })]).toEqual([0, 2, 3, 1]);
    expect([...deferNearDuplicates(x, keys, { maxSimilarity: 0.5 })]).toEqual([0, 2, 1, 3]);
    expect([...deferNearDuplicates(x, keys, { maxSimilarity: 0.61 })]).toEqual([0, 2, 3, 1]);
  });

  it('compares only with the last `window` kept rows', () => {
    // Window 1: row 3 is compared with row 2 alone (cosine 0), so it is kept though 0.6-similar to row 0.
    expect([...deferNearDuplicates(x, keys, { maxSimilarity: 0.5, window: 1 })]).toEqual([0, 2, 3, 1]);
  });

  it('defers a row whose content key equals a kept row, whatever the cosine', () => {
    expect([...deferNearDuplicates(x, ['a', 'b', 'a', 'd'], { maxSimilarity: 0.9 })]).toEqual([0, 3, 1, 2]);
  });
});

describe('rankInformative', () => {
  it('orders by margin, skips labeled rows in the head and defers a duplicate of a recent pick', () => {
    const texts = ['refund the order please', 'lost card', 'lost card', 'change pin number', 'hello there'];
    const featurizer = fitFeaturizer(texts);
    // Margins 0.5, 0.125, 0.125, 0.3125, 0.0625 (exact in binary).
    const firstProb = Float32Array.from([0.75, 0.5, 0.5, 0.625, 0.5]);
    const secondProb = Float32Array.from([0.25, 0.375, 0.375, 0.3125, 0.4375]);
    const labeled = Uint8Array.from([0, 0, 0, 0, 1]);
    const x = transformTexts(featurizer, texts);
    expect(dotRows(x, 1, 3)).toBeLessThan(0.6);
    expect(dotRows(x, 3, 0)).toBeLessThan(0.6);
    expect(dotRows(x, 1, 0)).toBeLessThan(0.6);
    // Head (unlabeled by margin): 1, 2, 3, 0; row 2 repeats row 1 and goes after the head; labeled row 4 comes last.
    expect([...rankInformative({ firstProb, secondProb, texts, featurizer, labeled })]).toEqual([1, 3, 0, 2, 4]);
    // With a head of two candidates only rows 1 and 2 get the pass; the rest follow by margin.
    expect([...rankInformative({ firstProb, secondProb, texts, featurizer, labeled }, { candidates: 2 })]).toEqual([1, 2, 4, 3, 0]);
  });

  it('spreads a synthetic pool of repeated utterances: the first picks are all different', () => {
    const distinct = Array.from({ length: 10 }, (_, k) => `request number ${'abcdefghij'[k]!.repeat(3)} ${k * 7919} zone ${String.fromCharCode(0x4e00 + k * 97)}`);
    const texts: string[] = [];
    for (let copy = 0; copy < 5; copy++) texts.push(...distinct);
    const n = texts.length;
    // Every copy of every text is uncertain (margin under 0.1); the copies of one text sit next to each other by margin.
    const firstProb = Float32Array.from(texts, (_, i) => 0.5 + (i % 10) * 0.005 + Math.floor(i / 10) * 0.0001);
    const secondProb = Float32Array.from(texts, () => 0.45);
    const featurizer = fitFeaturizer(texts);
    const order = rankInformative({ firstProb, secondProb, texts, featurizer, labeled: new Uint8Array(n) });
    expect(new Set([...order.slice(0, 10)].map((i) => texts[i]))).toEqual(new Set(distinct));
    expect(new Set(order).size).toBe(n);
    // Margin alone would show the same text five times first.
    const byMargin = [...texts.keys()].sort((a, b) => firstProb[a]! - secondProb[a]! - (firstProb[b]! - secondProb[b]!));
    expect(new Set(byMargin.slice(0, 5).map((i) => texts[i])).size).toBe(1);
  });
});

describe('rankMislabeled', () => {
  it('lists flagged rows, lowest quality first, ties by row', () => {
    expect([...rankMislabeled(Uint8Array.from([1, 0, 1, 1]), Float32Array.from([0.3, 0.1, 0.05, 0.3]))]).toEqual([2, 0, 3]);
    expect([...rankMislabeled(new Uint8Array(3), Float32Array.from([0, 0, 0]))]).toEqual([]);
  });

  it('puts the flipped labels of a synthetic dataset first (confident learning on out-of-sample probabilities)', () => {
    const rng = createRng(3);
    const classes = 4;
    const n = 400;
    const truth = Int32Array.from({ length: n }, (_, i) => i % classes);
    const probs = new Float32Array(n * classes);
    for (let r = 0; r < n; r++) {
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        const p = (c === truth[r] ? 4 : 0.5) * rng.float(0.8, 1.2);
        probs[r * classes + c] = p;
        sum += p;
      }
      for (let c = 0; c < classes; c++) probs[r * classes + c]! /= sum;
    }
    const given = Int32Array.from(truth);
    const flipped = new Set<number>();
    while (flipped.size < n / 10) flipped.add(rng.int(n));
    for (const r of flipped) given[r] = (truth[r]! + 1 + rng.int(classes - 1)) % classes;
    const issues = findLabelIssues(given, probs, classes);
    const order = rankMislabeled(issues.isIssue, issues.quality);
    expect(new Set(order.slice(0, flipped.size))).toEqual(flipped);
  });
});

describe('disagreementLevel and rankDisagreements', () => {
  it('grades label, model and platform', () => {
    expect(disagreementLevel('a', 'a', 'a')).toBe(0);
    expect(disagreementLevel('a', 'b', 'a')).toBe(1);
    expect(disagreementLevel('a', 'a', 'b')).toBe(1);
    expect(disagreementLevel('a', 'b', 'b')).toBe(2);
    expect(disagreementLevel('a', 'b', 'c')).toBe(3);
    expect(disagreementLevel('a', 'a', null)).toBe(0);
    expect(disagreementLevel('a', 'b', null)).toBe(1);
  });

  it('ranks higher levels first, then lower quality, then row', () => {
    expect([...rankDisagreements(Uint8Array.from([0, 1, 3, 2, 1, 1]), Float32Array.from([0.1, 0.5, 0.9, 0.2, 0.4, 0.5]))]).toEqual([2, 3, 4, 1, 5]);
  });

  it('holds only the planted disagreements when there are no platform predictions', () => {
    const rng = createRng(5);
    const n = 300;
    const label = Array.from({ length: n }, (_, i) => `i${i % 6}`);
    const model = [...label];
    const planted = new Set<number>();
    while (planted.size < 12) planted.add(rng.int(n));
    for (const r of planted) model[r] = 'other';
    const levels = Uint8Array.from(label, (l, r) => disagreementLevel(l, model[r]!, null));
    const order = rankDisagreements(levels, new Float32Array(n));
    expect(new Set(order)).toEqual(planted);
    expect([...order]).toEqual([...planted].sort((a, b) => a - b));
  });
});

describe('rankQueues', () => {
  it('maps training rows to utterances and composes the four rules', () => {
    const texts = ['a b c', 'd e f', 'g h i', 'j k l'];
    const orders = rankQueues({
      firstProb: Float32Array.from([0.9, 0.5, 0.75, 0.5]),
      secondProb: Float32Array.from([0.05, 0.25, 0.125, 0.5]),
      outOfScope: Float32Array.from([0.1, 0.7, 0.2, 0.9]),
      texts,
      featurizer: fitFeaturizer(texts),
      labeled: Uint8Array.from([0, 1, 0, 1]),
      platformConfidence: Float32Array.from([1, 0.9, 0, 0.8]),
      platformIntent: Int32Array.from([0, 0, -1, 1]),
      platformIntents: ['x', 'y'],
      outOfScopeThreshold: 0.6,
      // Training rows 0 and 1 are utterances 3 and 1.
      training: { utterances: Int32Array.from([3, 1]), intentIds: ['y', 'x'], quality: Float32Array.from([0.2, 0.1]), isIssue: Uint8Array.from([1, 1]), modelIntentIds: ['z', 'y'] },
    });
    // Uncovered: 3 (0.9 + 0.9 = 1.8), 1 (0.7 + 0.7), 2 (1 + 0.2); 0 is covered.
    expect([...orders.uncovered]).toEqual([3, 1, 2]);
    // Margins 0.85, 0.25, 0.625, 0: unlabeled head 2, 0; then labeled 3, 1 by margin.
    expect([...orders.informative]).toEqual([2, 0, 3, 1]);
    expect([...orders.mislabeled]).toEqual([1, 3]);
    // Utterance 3: label y, model z, platform y → 1; utterance 1: label x, model y, platform x → 1; quality breaks the tie.
    expect([...orders.disagreements]).toEqual([1, 3]);
  });
});
