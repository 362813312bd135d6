import { describe, expect, it } from 'vitest';
import { clusterKeywords, isStopword, segmentWords, suggestName } from './keywords';

const close = (value: number): number => Math.round(value * 1e6) / 1e6;
const rounded = (terms: { term: string; score: number }[]): [string, number][] => terms.map((t) => [t.term, close(t.score)]);

describe('segmentWords', () => {
  it('splits Chinese with the dictionary and drops stopwords', () => {
    expect(segmentWords('我想查一下退款进度')).toEqual(['查', '退款', '进度']);
    expect(segmentWords('信用卡账单什么时候出？')).toEqual(['信用卡', '账单', '什么时候', '出']);
  });

  it('lower-cases English, folds apostrophes and drops stopwords', () => {
    expect(segmentWords("What's my Refund status?")).toEqual(['refund', 'status']);
  });

  it('splits mixed-script runs with one segmenter', () => {
    expect(segmentWords('打开QQ音乐')).toEqual(['打开', 'qq', '音乐']);
  });

  it('drops number placeholders and tokens without a letter', () => {
    expect(segmentWords('我要退0.5元')).toEqual(['退', '元']);
    expect(segmentWords('Call me at 10:30 !!')).toEqual(['call']);
    expect(segmentWords('  ')).toEqual([]);
  });

  it('knows its stopwords in both languages', () => {
    expect(['的', '请问', '一下', 'the', 'please', 'my'].every(isStopword)).toBe(true);
    expect(isStopword('退款')).toBe(false);
  });
});

describe('clusterKeywords', () => {
  it('scores class-based TF-IDF and lets a close bigram replace its words', () => {
    // A: refund 3, status 1, fee 1, "refund status" 1, "refund fee" 1 (7 terms); B: card, fee, "card fee" (3); A = 5.
    const [a, b] = clusterKeywords([['refund status', 'refund fee', 'refund'], ['card fee']]);
    expect(rounded(a!)).toEqual([
      ['refund', close((3 / 7) * Math.log(1 + 5 / 3))],
      ['refund fee', close((1 / 7) * Math.log(1 + 5))],
      ['refund status', close((1 / 7) * Math.log(1 + 5))],
    ]);
    expect(rounded(b!)).toEqual([['card fee', close((1 / 3) * Math.log(1 + 5))]]);
  });

  it('drops a bigram that scores well below both of its words', () => {
    const [a] = clusterKeywords([['refund status', 'refund', 'refund', 'status', 'status'], ['card fee']]);
    const score = close((3 / 7) * Math.log(1 + 5 / 3));
    expect(rounded(a!)).toEqual([
      ['refund', score],
      ['status', score],
    ]);
  });

  it('treats a weight as that many copies of the text', () => {
    const weighted = clusterKeywords([['refund status', 'refund'], ['card fee']], { weights: [[1, 4], [2]] });
    const repeated = clusterKeywords([['refund status', 'refund', 'refund', 'refund', 'refund'], ['card fee', 'card fee']]);
    expect(weighted).toEqual(repeated);
    expect(weighted[0]![0]!.term).toBe('refund');
  });

  it('finds Chinese keywords and joins Chinese bigrams without a space', () => {
    const [refund, invoice] = clusterKeywords([
      ['退款进度', '查询退款进度', '退款进度怎么样'],
      ['开发票', '开张发票', '发票抬头'],
    ]);
    expect(refund!.map((k) => k.term)).toEqual(['退款进度', '查询退款']);
    expect(invoice!.map((k) => k.term)).toEqual(['发票', '发票抬头', '开发票', '开张发票']);
  });

  it('keeps the top terms only, and gives an empty cluster none', () => {
    const keywords = clusterKeywords([['alpha beta gamma delta'], []], { top: 2 });
    expect(keywords[0]).toHaveLength(2);
    expect(keywords[1]).toEqual([]);
  });

  it('falls back to stopwords for a cluster made only of them', () => {
    const [affirm, refund] = clusterKeywords([['好的', '好的', '行'], ['退款']]);
    expect(affirm!.map((k) => k.term)).toEqual(['好的', '行']);
    expect(refund!.map((k) => k.term)).toEqual(['退款']);
  });
});

describe('suggestName', () => {
  const terms = (...names: string[]): { term: string; score: number }[] => names.map((term, i) => ({ term, score: 1 - i * 0.01 }));

  it('writes Chinese words together and snake-cases English ones', () => {
    expect(suggestName(terms('退款', '进度', '查询'))).toBe('退款进度');
    expect(suggestName(terms('refund status', 'check refund'))).toBe('refund_status');
    expect(suggestName(terms('refund', 'status'))).toBe('refund_status');
    expect(suggestName(terms('qq', '音乐'))).toBe('qq音乐');
  });

  it('lets a close superstring replace a chosen term and skips overlaps', () => {
    expect(suggestName(terms('发票', '开发票', '抬头'))).toBe('开发票');
    expect(suggestName([{ term: '发票', score: 1 }, { term: '开发票', score: 0.5 }, { term: '抬头', score: 0.6 }])).toBe('发票抬头');
    expect(suggestName([{ term: '发票', score: 1 }, { term: '飘', score: 0.3 }])).toBe('发票');
    expect(suggestName(terms('退款进度', '退款', '进度'))).toBe('退款进度');
  });

  it('respects maxTerms and names an empty list ""', () => {
    expect(suggestName(terms('refund', 'status', 'check'), { maxTerms: 3 })).toBe('refund_status_check');
    expect(suggestName(terms('refund status', 'check'), { maxTerms: 1 })).toBe('check');
    expect(suggestName([])).toBe('');
  });

  it('names clusters end to end', () => {
    const keywords = clusterKeywords([
      ['what is my refund status', 'check refund status please', 'refund status?'],
      ['我想查一下退款进度', '退款进度怎么样了', '帮我查询退款进度'],
    ]);
    expect(keywords.map((k) => suggestName(k))).toEqual(['refund_status', '退款进度']);
  });
});
