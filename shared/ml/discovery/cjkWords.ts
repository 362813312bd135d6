/** Chinese (and other CJK) word features for discovery: dictionary words from Intl.Segmenter, as hashed TF-IDF columns. */
import type { CsrMatrix } from '../featurize';
import { fnv1a32 } from '../featurize';
import { segmentWords } from './keywords';

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** True when any text holds a CJK character (then word features are worth computing). */
export function hasCjkText(texts: readonly string[]): boolean {
  return texts.some((t) => CJK_CHAR.test(t));
}

/**
 * Per text, the CJK content words (segmentWords: normalized, segmented by Intl.Segmenter, stopwords dropped) as a
 * hashed TF-IDF row (binary term frequency, smoothed idf over `texts`, L2-normalized), 2^hashBits columns. Texts
 * without CJK words get an empty row. Deterministic.
 */
export function cjkWordTfidf(texts: readonly string[], hashBits: number): CsrMatrix {
  const cols = 1 << hashBits;
  const mask = cols - 1;
  const rowsOf: Int32Array[] = texts.map((text) => {
    const buckets = new Set<number>();
    for (const word of segmentWords(text)) if (CJK_CHAR.test(word)) buckets.add(fnv1a32(word) & mask);
    return Int32Array.from([...buckets].sort((a, b) => a - b));
  });
  const df = new Float64Array(cols);
  for (const row of rowsOf) for (const c of row) df[c] = df[c]! + 1;
  const n = texts.length;
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  rowsOf.forEach((row, r) => {
    nnz += row.length;
    indptr[r + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  rowsOf.forEach((row, r) => {
    const start = indptr[r]!;
    let norm = 0;
    for (let t = 0; t < row.length; t++) {
      const idf = Math.log((1 + n) / (1 + df[row[t]!]!)) + 1;
      indices[start + t] = row[t]!;
      values[start + t] = idf;
      norm += idf * idf;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let t = 0; t < row.length; t++) values[start + t] = values[start + t]! * inv;
  });
  return { rows: n, cols, indptr, indices, values };
}

/**
 * [a | weight·b] row by row (b's columns after a's), each row L2-normalized again; a and b have the same rows and
 * rows of a are unit length or empty.
 */
export function appendColumns(a: CsrMatrix, b: CsrMatrix, weight: number): CsrMatrix {
  const indptr = new Int32Array(a.rows + 1);
  const indices = new Int32Array(a.indptr[a.rows]! + b.indptr[b.rows]!);
  const values = new Float32Array(indices.length);
  let k = 0;
  for (let r = 0; r < a.rows; r++) {
    const start = k;
    let norm = 0;
    for (let p = a.indptr[r]!; p < a.indptr[r + 1]!; p++, k++) {
      indices[k] = a.indices[p]!;
      values[k] = a.values[p]!;
      norm += values[k]! ** 2;
    }
    for (let p = b.indptr[r]!; p < b.indptr[r + 1]!; p++, k++) {
      indices[k] = a.cols + b.indices[p]!;
      values[k] = weight * b.values[p]!;
      norm += values[k]! ** 2;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let p = start; p < k; p++) values[p] = values[p]! * inv;
    indptr[r + 1] = k;
  }
  return { rows: a.rows, cols: a.cols + b.cols, indptr, indices, values };
}
