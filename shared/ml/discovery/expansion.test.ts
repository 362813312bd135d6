import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from '../featurize';
import { rankSimilarUtterances, scoreSimilarRows } from './expansion';

describe('scoreSimilarRows', () => {
  // Rows 0–2 are examples: (1,0,0), (0,1,0), (0.6,0.8,0). Rows 3–5 are candidates: (1,0,0), (0,0,1), (0.8,0.6,0).
  const x: CsrMatrix = {
    rows: 6,
    cols: 3,
    indptr: Int32Array.from([0, 1, 2, 4, 5, 6, 8]),
    indices: Int32Array.from([0, 1, 0, 1, 0, 2, 0, 1]),
    values: Float32Array.from([1, 1, 0.6, 0.8, 1, 1, 0.8, 0.6]),
  };
  const centroidNorm = Math.hypot(1.6, 1.8);

  it('mixes the mean of the 3 nearest example cosines with the centroid cosine', () => {
    const scores = scoreSimilarRows(x, [0, 1, 2], [3, 4, 5, 3]);
    const first = 0.5 * ((1 + 0.6 + 0) / 3) + 0.5 * (1.6 / centroidNorm);
    const third = 0.5 * ((0.8 + 0.96 + 0.6) / 3) + 0.5 * ((0.8 + 0.6 + 0.96) / centroidNorm);
    expect([...scores].map((s) => Math.round(s * 1e6) / 1e6)).toEqual(
      [first, 0, third, first].map((s) => Math.round(s * 1e6) / 1e6),
    );
  });

  it('averages fewer nearest cosines when there are fewer than 3 examples, and scores nothing without examples', () => {
    const scores = scoreSimilarRows(x, [0, 1], [5]);
    expect(scores[0]).toBeCloseTo(0.5 * ((0.8 + 0.6) / 2) + 0.5 * (1.4 / Math.SQRT2), 6);
    expect([...scoreSimilarRows(x, [], [3, 4])]).toEqual([0, 0]);
  });
});

describe('rankSimilarUtterances', () => {
  it('ranks English paraphrases of the examples first', () => {
    const examples = ['what is my refund status', 'where is my refund', 'check refund status'];
    const candidates = ['refund status please', 'book a flight to paris', 'Where is my refund?', 'what is the weather', 'has my refund arrived', 'refunds status'];
    const ranked = rankSimilarUtterances(examples, candidates);
    expect(ranked.map((r) => r.index)).toEqual([2, 0, 5, 4, 3, 1]);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.similarity).toBeGreaterThanOrEqual(ranked[i]!.similarity);
    expect(ranked[0]!.similarity).toBeLessThanOrEqual(1);
    expect(rankSimilarUtterances(examples, candidates, { top: 2 }).map((r) => r.index)).toEqual([2, 0]);
    expect(rankSimilarUtterances(examples, candidates, { minSimilarity: 0.35 }).map((r) => r.index)).toEqual([2, 0]);
  });

  it('ranks Chinese paraphrases first and leaves out candidates sharing nothing', () => {
    const examples = ['退款进度', '我的退款到哪了', '查一下退款'];
    const candidates = ['退款什么时候到账', '帮我订机票', '退款进度查询', '今天天气怎么样'];
    expect(rankSimilarUtterances(examples, candidates).map((r) => r.index)).toEqual([2, 0, 1]);
  });

  it('scores equal normalized candidates the same and returns nothing without examples', () => {
    const ranked = rankSimilarUtterances(['refund status'], ['Refund status!', 'refund   status', 'card fee']);
    expect(ranked.map((r) => r.index)).toEqual([0, 1]);
    expect(ranked[0]!.similarity).toBe(ranked[1]!.similarity);
    expect(rankSimilarUtterances([], ['refund'])).toEqual([]);
  });
});
