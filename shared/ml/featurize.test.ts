import { describe, expect, it } from 'vitest';
import { type CsrMatrix, DEFAULT_FEATURIZER_CONFIG, type FeaturizerConfig, fitFeaturizer, fnv1a32, forEachTransformedChunk, forEachTransformedChunkShared, hashFeatures, sameFeaturizerConfig, transformTexts } from './featurize';
import { contextualText } from './turnContext';

const wordsOnly: FeaturizerConfig = { ...DEFAULT_FEATURIZER_CONFIG, wordNgramMax: 1, charNgramMin: 2, charNgramMax: 1 };

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors and reads a range in place', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('xxfoobarxx', 2, 8)).toBe(0xbf9cf968);
  });
});

describe('hashFeatures', () => {
  it('emits word 1–2-grams and char_wb n-grams for Latin words', () => {
    const config = { ...DEFAULT_FEATURIZER_CONFIG, charNgramMin: 2, charNgramMax: 3 };
    const one = hashFeatures('ab', config);
    expect(one.word.length).toBe(1);
    expect(one.char.length).toBe(5);
    const two = hashFeatures('ab ab', config);
    expect(two.word.length).toBe(3);
    expect(two.word[1]).toBe(two.word[0]);
    expect(two.word[2]).not.toBe(two.word[0]);
    expect(Array.from(two.char)).toEqual([...one.char, ...one.char]);
  });

  it('emits CJK 1–3-grams over the padded run and breaks word bigrams at CJK runs', () => {
    const cjk = hashFeatures('打开灯', DEFAULT_FEATURIZER_CONFIG);
    expect(cjk.word.length).toBe(3 + 4 + 3);
    expect(cjk.char.length).toBe(0);
    const withBigrams = { ...wordsOnly, wordNgramMax: 2 };
    const mixed = hashFeatures('打开qq音乐', withBigrams);
    const qq = hashFeatures('qq', wordsOnly);
    expect(mixed.word.length).toBe(7 + 1 + 7);
    expect(mixed.word).toContain(qq.word[0]);
    expect(hashFeatures('hi qq', withBigrams).word.length).toBe(3);
    expect(hashFeatures('hi 打开 qq', withBigrams).word.length).toBe(1 + 7 + 1);
  });

  it('normalizes first, so full-width and case variants hash alike', () => {
    expect(hashFeatures('ＡＢ Cd！')).toEqual(hashFeatures('ab cd'));
  });
});

describe('fitFeaturizer + transformTexts', () => {
  const texts = ['x y', 'x', 'x x z'];

  it('gives exact sublinear TF-IDF rows, L2-normalized', () => {
    const featurizer = fitFeaturizer(texts, wordsOnly);
    const [x, y, z] = ['x', 'y', 'z'].map((t) => hashFeatures(t, wordsOnly).word[0]!);
    expect(new Set([x, y, z]).size).toBe(3);
    expect(Array.from(featurizer.columnBuckets)).toEqual([x!, y!, z!].sort((a, b) => a - b));
    const col = (bucket: number): number => featurizer.columnBuckets.indexOf(bucket);
    const rareIdf = 1 + Math.log(2);
    expect(featurizer.idf[col(x!)]).toBeCloseTo(1, 6);
    expect(featurizer.idf[col(y!)]).toBeCloseTo(rareIdf, 6);

    const m = transformTexts(featurizer, [...texts, 'w']);
    expect(Array.from(m.indptr)).toEqual([0, 2, 3, 5, 5]);
    const norm0 = Math.hypot(1, rareIdf);
    const row = (r: number): Map<number, number> => {
      const out = new Map<number, number>();
      for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) out.set(m.indices[k]!, m.values[k]!);
      return out;
    };
    expect(row(0).get(col(x!))).toBeCloseTo(1 / norm0, 6);
    expect(row(0).get(col(y!))).toBeCloseTo(rareIdf / norm0, 6);
    expect(row(1).get(col(x!))).toBeCloseTo(1, 6);
    expect(row(2).get(col(x!))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(row(2).get(col(z!))).toBeCloseTo(Math.SQRT1_2, 6);
    for (let r = 0; r < 3; r++) {
      const idx = m.indices.subarray(m.indptr[r], m.indptr[r + 1]);
      expect(Array.from(idx)).toEqual(Array.from(idx).sort((a, b) => a - b));
    }
  });

  it('sums colliding features in a tiny 2-bucket space', () => {
    const tiny = { ...wordsOnly, hashBits: 1 };
    const featurizer = fitFeaturizer(['x y z'], tiny);
    const buckets = ['x', 'y', 'z'].map((t) => hashFeatures(t, tiny).word[0]!);
    const counts = [0, 0];
    for (const b of buckets) counts[b]!++;
    const m = transformTexts(featurizer, ['x y z']);
    const present = [0, 1].filter((b) => counts[b]! > 0);
    expect(Array.from(m.indices)).toEqual(present.map((_, j) => j));
    const weights = present.map((b) => 1 + Math.log(counts[b]!));
    const norm = Math.hypot(...weights);
    Array.from(m.values).forEach((v, j) => expect(v).toBeCloseTo(weights[j]! / norm, 6));
  });

  it('normalizes the word and char groups separately before the row', () => {
    const featurizer = fitFeaturizer(['ab'], { ...DEFAULT_FEATURIZER_CONFIG, charNgramMin: 2, charNgramMax: 2 });
    const m = transformTexts(featurizer, ['ab']);
    expect(m.indices.length).toBe(4);
    const sorted = Array.from(m.values).sort((a, b) => b - a);
    expect(sorted[0]).toBeCloseTo(Math.SQRT1_2, 6);
    for (const v of sorted.slice(1)) expect(v).toBeCloseTo(Math.SQRT1_2 / Math.sqrt(3), 6);
  });

  it('drops buckets below minDf and is deterministic', () => {
    const a = fitFeaturizer(['a b', 'a c'], { ...wordsOnly, minDf: 2 });
    expect(a.columnBuckets.length).toBe(1);
    const b = fitFeaturizer(['a b', 'a c'], { ...wordsOnly, minDf: 2 });
    expect(transformTexts(a, ['a b c'])).toEqual(transformTexts(b, ['a b c']));
  });
});

describe('transformTexts in chunks', () => {
  const words = ['open', 'the', 'door', 'pay', 'my', 'bill', '打开', '音乐', 'qq', 'what\'s', '3,500', 'ＡＰＰ', 'x'];
  const texts = Array.from({ length: 2600 }, (_, i) => Array.from({ length: 1 + (i % 7) }, (_, k) => words[(i * 5 + k * 3) % words.length]).join(i % 3 ? ' ' : '  '));
  const featurizer = fitFeaturizer(texts.slice(0, 1500));
  const rowOf = (x: CsrMatrix, r: number): { indices: number[]; values: number[] } => ({
    indices: Array.from(x.indices.subarray(x.indptr[r], x.indptr[r + 1])),
    values: Array.from(x.values.subarray(x.indptr[r], x.indptr[r + 1])),
  });

  it('gives every row exactly as transforming that text alone, across chunk boundaries', () => {
    const all = transformTexts(featurizer, texts);
    expect(all.rows).toBe(texts.length);
    expect(all.indptr[texts.length]).toBe(all.indices.length);
    for (let r = 0; r < texts.length; r += 37) expect(rowOf(all, r)).toEqual(rowOf(transformTexts(featurizer, [texts[r]!]), 0));
    expect(rowOf(all, texts.length - 1)).toEqual(rowOf(transformTexts(featurizer, [texts.at(-1)!]), 0));
  });

  it('hands chunks of the asked size with their first index, matching the whole matrix', () => {
    const all = transformTexts(featurizer, texts);
    const firsts: number[] = [];
    forEachTransformedChunk(
      featurizer,
      texts,
      (x, first) => {
        firsts.push(first);
        for (let r = 0; r < x.rows; r++) expect(rowOf(x, r)).toEqual(rowOf(all, first + r));
      },
      1000,
    );
    expect(firsts).toEqual([0, 1000, 2000]);
  });

  it('handles no texts and texts without known features', () => {
    expect(transformTexts(featurizer, [])).toEqual({ rows: 0, cols: featurizer.columnBuckets.length, indptr: Int32Array.of(0), indices: new Int32Array(0), values: new Float32Array(0) });
    const unknown = transformTexts(featurizer, ['', 'zzzz', '？']);
    expect(Array.from(unknown.indptr)).toEqual([0, 0, 0, 0]);
  });
});


describe('column lookup', () => {
  it('maps every known bucket to its column, across 32-bucket words and bit 31, and drops unknown buckets', () => {
    const texts = ['open the door', 'close the window please', '打开空调', '把灯关掉', 'what time is it', 'set an alarm for 7', 'play some jazz', '明天天气'];
    const featurizer = fitFeaturizer(texts, { hashBits: 6, minDf: 2 });
    const buckets = [...featurizer.columnBuckets];
    expect(buckets.some((b) => b % 32 === 31)).toBe(true);
    expect(buckets.length).toBeLessThan(64);
    const probe = [...texts, 'turn on the lights in the kitchen', '播放音乐'];
    const x = transformTexts(featurizer, probe);
    probe.forEach((text, r) => {
      const { word, char } = hashFeatures(text, featurizer.config);
      const expected = [...new Set([...word, ...char].map((b) => buckets.indexOf(b)).filter((c) => c >= 0))].sort((a, b) => a - b);
      expect([...x.indices.subarray(x.indptr[r]!, x.indptr[r + 1]!)]).toEqual(expected);
    });
  });
});

describe('forEachTransformedChunkShared', () => {
  const prompts = ['您现在方便吗？', 'Is now a good time to talk?', ''];
  const utterances = ['是的 可以', '不要再打了', 'call me later please', 'no', '晚点', 'yes sure', ''];
  // Parts repeat across texts (as a bot's questions do), in every combination, some without context.
  const texts = Array.from({ length: 60 }, (_, i) =>
    contextualText(utterances[i % utterances.length]!, { prompt: prompts[i % prompts.length]!, previous: i % 4 ? utterances[(i + 3) % utterances.length]! : '', node: i % 5 ? `node_${i % 3}` : '' }),
  );
  const config = { promptGroupWeight: 1, previousGroupWeight: 0.7 };
  const a = fitFeaturizer(texts.slice(0, 40), config);
  const b = fitFeaturizer(texts.slice(20), config);

  it('gives each featurizer the rows transformTexts gives, bit for bit, hashing each repeated part once', () => {
    const include = (k: number, r: number) => k === 0 || r % 3 !== 0;
    const got: CsrMatrix[][] = [];
    const firsts: number[] = [];
    forEachTransformedChunkShared([a, b], texts, include, (xs, first, last) => {
      got.push(xs.map((x) => ({ ...x, indptr: x.indptr.slice(), indices: x.indices.slice(), values: x.values.slice() })));
      firsts.push(first);
      expect(last - first).toBeLessThanOrEqual(16);
    }, 16);
    expect(firsts).toEqual([0, 16, 32, 48]);
    [a, b].forEach((f, k) => {
      const rows = texts.map((_, r) => r).filter((r) => include(k, r));
      const want = transformTexts(f, rows.map((r) => texts[r]!));
      const indices = got.flatMap((xs) => [...xs[k]!.indices]);
      const values = got.flatMap((xs) => [...xs[k]!.values]);
      expect(got.reduce((n, xs) => n + xs[k]!.rows, 0)).toBe(rows.length);
      expect(indices).toEqual([...want.indices]);
      expect(values).toEqual([...want.values]);
    });
  });

  it('gives the same rows when its part caches start over every few parts', () => {
    const rowsOf = (maxParts: number) => {
      const values: number[] = [];
      forEachTransformedChunkShared([a], texts, null, ([x]) => values.push(...x!.values), 1024, maxParts);
      return values;
    };
    expect(rowsOf(2)).toEqual([...transformTexts(a, texts).values]);
  });

  it('refuses featurizers that hash differently', () => {
    const plain = fitFeaturizer(texts);
    expect(sameFeaturizerConfig(a.config, b.config)).toBe(true);
    expect(sameFeaturizerConfig(a.config, plain.config)).toBe(false);
    expect(() => forEachTransformedChunkShared([a, plain], texts, null, () => undefined)).toThrow(RangeError);
  });
});
