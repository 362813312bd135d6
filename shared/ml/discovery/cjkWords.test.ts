import { describe, expect, it } from 'vitest';
import { appendColumns, cjkWordTfidf, hasCjkText } from './cjkWords';

describe('cjkWordTfidf', () => {
  const texts = ['我要退款', '申请退款', 'play some music', '银行卡丢了'];
  const x = cjkWordTfidf(texts, 12);

  it('gives unit rows of CJK words, an empty row to text without CJK', () => {
    expect(x.rows).toBe(4);
    expect(x.cols).toBe(4096);
    for (const r of [0, 1, 3]) {
      let norm = 0;
      for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) norm += x.values[p]! ** 2;
      expect(norm).toBeCloseTo(1, 5);
    }
    expect(x.indptr[3]! - x.indptr[2]!).toBe(0);
  });

  it('shares the 退款 column between the two refund texts', () => {
    const cols = (r: number) => new Set(Array.from(x.indices.subarray(x.indptr[r]!, x.indptr[r + 1]!)));
    const shared = [...cols(0)].filter((c) => cols(1).has(c));
    expect(shared.length).toBe(1);
    expect([...cols(3)].filter((c) => cols(0).has(c))).toEqual([]);
  });

  it('detects CJK text', () => {
    expect(hasCjkText(['hello', '你好'])).toBe(true);
    expect(hasCjkText(['hello'])).toBe(false);
  });
});

describe('appendColumns', () => {
  it('puts b after a with its weight and renormalizes each row', () => {
    const a = { rows: 2, cols: 2, indptr: Int32Array.from([0, 1, 2]), indices: Int32Array.from([0, 1]), values: Float32Array.from([1, 1]) };
    const b = { rows: 2, cols: 3, indptr: Int32Array.from([0, 1, 1]), indices: Int32Array.from([2]), values: Float32Array.from([1]) };
    const c = appendColumns(a, b, 1);
    expect(c.cols).toBe(5);
    expect(Array.from(c.indptr)).toEqual([0, 2, 3]);
    expect(Array.from(c.indices)).toEqual([0, 4, 1]);
    expect(c.values[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(c.values[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(c.values[2]).toBeCloseTo(1, 6);
  });
});
