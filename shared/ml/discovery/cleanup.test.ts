import { describe, expect, it } from 'vitest';
import { fitFeaturizer, transformTexts } from '../featurize';
import { normalizeText } from '../normalize';
import { createRng } from '../random';
import {
  conflictingDuplicates,
  confusedIntentPairs,
  NEAR_DUPLICATE_FEATURES,
  nearDuplicatesAcrossIntents,
  type LabeledText,
} from './cleanup';
import { splitRelabel, type SweepItem } from './relabelSweep';
import { questionKey } from '../turnContext';

/** An expected conflict group: its normalized text, its question and its (id, label) items in order. */
function group(normalized: string, question: string, ...items: [string, string][]) {
  return { normalized, question, items: items.map(([id, label]) => ({ id, label })) };
}

describe('conflictingDuplicates', () => {
  it('groups equal normalized texts with different labels, biggest first', () => {
    const items: LabeledText[] = [
      { id: '1', text: '退款进度？', label: 'refund' },
      { id: '2', text: 'Hi.', label: 'greet' },
      { id: '3', text: '退款进度', label: 'status' },
      { id: '4', text: 'Refund status!', label: 'refund' },
      { id: '5', text: 'refund status', label: 'refund' },
      { id: '6', text: 'hi', label: 'affirm' },
      { id: '7', text: 'HI', label: 'greet' },
      { id: '8', text: '!!', label: 'noise' },
      { id: '9', text: '？', label: 'other' },
    ];
    expect(conflictingDuplicates(items)).toEqual([
      group('hi', '', ['2', 'greet'], ['6', 'affirm'], ['7', 'greet']),
      group('退款进度', '', ['1', 'refund'], ['3', 'status']),
    ]);
  });
});

describe('conflictingDuplicates by question', () => {
  const identity = questionKey('请问是张先生本人吗？', 'identity_check');
  const transaction = questionKey('这笔 3,500 元的交易是您本人操作的吗？', 'confirm_transaction');
  const survey = questionKey('能占用您一分钟做个回访吗？', '');

  it('keys a question by its node, else by its normalized prompt, else none', () => {
    expect([identity, transaction, survey]).toEqual(['node:identity_check', 'node:confirm_transaction', 'prompt:能占用您一分钟做个回访吗']);
    expect(questionKey('这笔 99 元的交易是您本人操作的吗', null)).toBe(questionKey('这笔 3,500 元的交易是您本人操作的吗？', ''));
    expect(questionKey(null, null)).toBe('');
    expect(questionKey('  ？', undefined)).toBe('');
  });

  it('does not call the same words after two different questions a conflict, and groups a genuine one within a question', () => {
    const items: LabeledText[] = [
      { id: 'a', text: '是的', label: 'confirm_identity', question: identity },
      { id: 'b', text: '是的。', label: 'confirm_transaction', question: transaction },
      { id: 'c', text: '是的', label: 'confirm_identity', question: identity },
      { id: 'd', text: '是的', label: 'confirm_transaction', question: transaction },
      { id: 'e', text: '不是', label: 'wrong_person', question: identity },
      { id: 'f', text: '不是', label: 'deny_transaction', question: transaction },
      { id: 'g', text: '不是！', label: 'wrong_person', question: transaction },
      { id: 'h', text: '不是', label: 'deny_transaction', question: transaction },
      { id: 'i', text: '可以', label: 'agree_survey', question: survey },
      { id: 'j', text: '可以', label: 'refuse_survey', question: survey },
      { id: 'k', text: '可以', label: 'agree_survey', question: '' },
    ];
    expect(conflictingDuplicates(items)).toEqual([
      group('不是', 'node:confirm_transaction', ['f', 'deny_transaction'], ['g', 'wrong_person'], ['h', 'deny_transaction']),
      group('可以', 'prompt:能占用您一分钟做个回访吗', ['i', 'agree_survey'], ['j', 'refuse_survey']),
    ]);
    // Without the questions, the same set is three conflicts that would sweep two stages' replies together.
    const blind = conflictingDuplicates(items.map(({ id, text, label }) => ({ id, text, label })));
    expect(blind.map((g) => [g.normalized, g.items.length])).toEqual([
      ['不是', 4],
      ['是的', 4],
      ['可以', 3],
    ]);
  });
});

describe('splitRelabel', () => {
  it('sweeps the labels no model backs and holds back the ones an out-of-sample model agrees with', () => {
    const items: SweepItem[] = [
      { id: '1', label: 'wrong_person', modelIntent: 'deny_transaction' },
      { id: '2', label: 'deny_transaction', modelIntent: 'deny_transaction' },
      { id: '3', label: 'wrong_person', modelIntent: 'wrong_person' },
      { id: '4', label: 'wrong_person', modelIntent: null },
      { id: '5', label: 'callback', modelIntent: 'callback' },
    ];
    expect(splitRelabel(items, 'deny_transaction')).toEqual({ sweep: ['1', '4'], held: ['3', '5'] });
    expect(splitRelabel(items, 'wrong_person')).toEqual({ sweep: [], held: ['2', '5'] });
    expect(splitRelabel([], 'x')).toEqual({ sweep: [], held: [] });
  });
});

describe('nearDuplicatesAcrossIntents', () => {
  const items: LabeledText[] = [
    { id: 'a1', text: 'what is my refund status', label: 'refund' },
    { id: 'a2', text: 'what is my refund status please', label: 'status' },
    { id: 'a3', text: 'What is my refund status?', label: 'other' },
    { id: 'a4', text: 'what is my refund status please', label: 'refund' },
    { id: 'a5', text: 'book a flight', label: 'flight' },
    { id: 'z1', text: '我想查一下退款进度', label: 'refund' },
    { id: 'z2', text: '我想查一下退款进度吧', label: 'status' },
    { id: 'z3', text: '我想查一下退款进度吗', label: 'refund' },
  ];

  it('pairs near-identical texts across labels, one pair per label pair, most similar first', () => {
    const pairs = nearDuplicatesAcrossIntents(items, { minSimilarity: 0.65 });
    expect(pairs.map(({ a, b, labelA, labelB }) => [a, b, labelA, labelB])).toEqual([
      ['a1', 'a2', 'refund', 'status'],
      ['a3', 'a2', 'other', 'status'],
      ['a3', 'a4', 'other', 'refund'],
      ['z1', 'z2', 'refund', 'status'],
      ['z2', 'z3', 'status', 'refund'],
    ]);
    for (const pair of pairs) expect(pair.similarity).toBeGreaterThanOrEqual(0.65);
    expect(pairs[0]!.similarity).toBeCloseTo(pairs[2]!.similarity, 6);
    expect(pairs[2]!.similarity).toBeGreaterThan(pairs[3]!.similarity);
    expect(pairs[3]!.similarity).toBeGreaterThan(pairs[4]!.similarity);
  });

  it('leaves out pairs below the threshold and respects maxPairs', () => {
    expect(nearDuplicatesAcrossIntents(items, { minSimilarity: 0.99 })).toEqual([]);
    expect(nearDuplicatesAcrossIntents(items, { minSimilarity: 0.65, maxPairs: 2 }).map((p) => p.a)).toEqual(['a1', 'a3']);
    expect(nearDuplicatesAcrossIntents(items, { minSimilarity: 0.75 }).map((p) => p.a)).toEqual(['a1', 'a3', 'a3', 'z1']);
  });

  it('finds exactly the pairs a brute-force all-pairs search finds', () => {
    const rng = createRng(11);
    const words = ['refund', 'status', 'card', 'fee', 'lost', 'pin', 'transfer', 'limit', 'atm', 'cash', 'app', 'login'];
    const zh = ['退款', '进度', '信用卡', '额度', '密码', '转账', '到账', '挂失'];
    const labeled: LabeledText[] = [];
    for (let i = 0; i < 400; i++) {
      const pool = i % 3 === 0 ? zh : words;
      const length = 2 + rng.int(3);
      const picked = Array.from({ length }, () => rng.pick(pool));
      labeled.push({ id: `u${i}`, text: picked.join(pool === zh ? '' : ' '), label: `l${rng.int(4)}` });
    }
    const threshold = 0.7;
    const found = nearDuplicatesAcrossIntents(labeled, { minSimilarity: threshold, maxPairs: 1e6 });

    const distinct: string[] = [];
    const firstOf = new Map<string, Map<string, string>>();
    for (const item of labeled) {
      const normalized = normalizeText(item.text);
      let byLabel = firstOf.get(normalized);
      if (!byLabel) {
        byLabel = new Map();
        firstOf.set(normalized, byLabel);
        distinct.push(normalized);
      }
      if (!byLabel.has(item.label)) byLabel.set(item.label, item.id);
    }
    const x = transformTexts(fitFeaturizer(distinct, NEAR_DUPLICATE_FEATURES), distinct);
    const expected: string[] = [];
    for (let i = 0; i < x.rows; i++) {
      const dense = new Map<number, number>();
      for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) dense.set(x.indices[k]!, x.values[k]!);
      for (let j = i + 1; j < x.rows; j++) {
        let dot = 0;
        for (let k = x.indptr[j]!; k < x.indptr[j + 1]!; k++) dot += (dense.get(x.indices[k]!) ?? 0) * x.values[k]!;
        if (dot < threshold - 1e-6) continue;
        for (const [labelA, a] of firstOf.get(distinct[i]!)!) {
          for (const [labelB, b] of firstOf.get(distinct[j]!)!) if (labelA !== labelB) expected.push(`${a}|${b}`);
        }
      }
    }
    expect(expected.length).toBeGreaterThan(50);
    expect(found.map((p) => `${p.a}|${p.b}`).sort()).toEqual(expected.sort());
    for (let i = 1; i < found.length; i++) expect(found[i - 1]!.similarity).toBeGreaterThanOrEqual(found[i]!.similarity);
  });
});

describe('confusedIntentPairs', () => {
  // a: 6 right, 3 → b, 1 → c (support 10); b: 9 right, 1 → a (10); c: 4 right, 1 → a (5); one unlabeled row.
  const labels = ['a', 'b', 'c'];
  const truth = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, -1]);
  const predicted = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 2, 2, 2, 2, 0, 1]);

  it('counts both directions and rates them by the pair support', () => {
    expect(confusedIntentPairs(truth, predicted, labels)).toEqual([
      { a: 'a', b: 'b', aToB: 3, bToA: 1, rate: 4 / 20 },
      { a: 'a', b: 'c', aToB: 1, bToA: 1, rate: 2 / 15 },
    ]);
  });

  it('puts the more confused side first and applies minCount and top', () => {
    const flipped = confusedIntentPairs(predicted.map((p, i) => (truth[i]! < 0 ? -1 : p)), truth.map((t, i) => (predicted[i]! < 0 ? -1 : t)), labels, { minCount: 4 });
    expect(flipped.map(({ a, b, aToB, bToA }) => [a, b, aToB, bToA])).toEqual([['b', 'a', 3, 1]]);
    expect(confusedIntentPairs(truth, predicted, labels, { top: 1 })).toHaveLength(1);
    expect(confusedIntentPairs(truth, predicted, labels, { minCount: 5 })).toEqual([]);
  });
});
