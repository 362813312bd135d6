import { describe, expect, it } from 'vitest';
import { fitFeaturizer, transformTexts } from '../featurize';
import { createRng } from '../random';
import { embedTexts, intentEntropyWeights } from './embed';
import { foldNearDuplicates } from './fold';
import { projectRows, randomizedSvd } from './linalg';

describe('intentEntropyWeights', () => {
  it('down-weights an n-gram spread over every intent and keeps unseen or intent-specific ones', () => {
    const texts = ['please check balance', 'please send money', 'please block card', 'please reset password', 'weather today'];
    const featurizer = fitFeaturizer(texts, { hashBits: 16, wordNgramMax: 1, charGroupWeight: 0 });
    const x = transformTexts(featurizer, texts.slice(0, 4));
    const w = intentEntropyWeights(x, Int32Array.from([0, 1, 2, 3]), 4, 1, 0.05);
    const column = (word: string): number => {
      const xs = transformTexts(featurizer, [word]);
      return xs.indices[0]!;
    };
    expect(w[column('please')]).toBeCloseTo(0.05, 6);
    expect(w[column('balance')]).toBe(1);
    expect(w[column('weather')]).toBe(1);
  });
});

describe('randomizedSvd', () => {
  it('recovers the singular values of a small exactly low-rank matrix', () => {
    // rows: 2·e0, 1·e1 repeated: singular values sqrt(3·4) and sqrt(3·1).
    const rows = 6;
    const indptr = Int32Array.from([0, 1, 2, 3, 4, 5, 6]);
    const indices = Int32Array.from([0, 1, 0, 1, 0, 1]);
    const values = Float32Array.from([2, 1, 2, 1, 2, 1]);
    const svd = randomizedSvd({ rows, cols: 3, indptr, indices, values }, 2, createRng(1));
    expect(svd.singularValues[0]).toBeCloseTo(Math.sqrt(12), 6);
    expect(svd.singularValues[1]).toBeCloseTo(Math.sqrt(3), 6);
    const projected = projectRows({ rows, cols: 3, indptr, indices, values }, svd);
    expect(Array.from(svd.columnOf)).toEqual([0, 1, -1]);
    expect(Math.abs(projected[0]!)).toBeCloseTo(2, 6);
  });
});

describe('embedTexts and foldNearDuplicates', () => {
  it('folds case, punctuation, width and spacing variants with counts', () => {
    const folded = foldNearDuplicates(['打开 音乐', '打开音乐！', 'Play music', 'play  music?', 'stop']);
    expect(folded.distinct.length).toBe(3);
    expect(Array.from(folded.counts)).toEqual([2, 2, 1]);
    expect(Array.from(folded.groupOf)).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(folded.firstIndex)).toEqual([0, 2, 4]);
  });

  it('gives unit vectors, similar for paraphrases, and the same ones for the same seed', () => {
    const unknown = ['will it rain tomorrow', 'will it rain today', 'book a table tonight'];
    const known = ['check my balance', 'show my balance', 'send money', 'send money now'];
    const labels = Int32Array.from([0, 0, 1, 1]);
    const a = embedTexts(unknown, known, labels, 2, createRng(4));
    const b = embedTexts(unknown, known, labels, 2, createRng(4));
    expect(Array.from(a.unknown)).toEqual(Array.from(b.unknown));
    const d = a.dims;
    const dot = (i: number, j: number): number => {
      let s = 0;
      for (let t = 0; t < d; t++) s += a.unknown[i * d + t]! * a.unknown[j * d + t]!;
      return s;
    };
    expect(dot(0, 0)).toBeCloseTo(1, 5);
    expect(dot(0, 1)).toBeGreaterThan(dot(0, 2));
  });
});
