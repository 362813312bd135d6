import { selectRows, stackRows } from '../csr';
import type { CsrMatrix } from '../featurize';
import { fitFeaturizer, transformTexts } from '../featurize';
import { sampleIndexes, type Rng } from '../random';
import { appendColumns, cjkWordTfidf, hasCjkText } from './cjkWords';
import { multiplyDenseInPlace, normalizeRows, projectRows, randomizedSvd, symmetricEigen } from './linalg';

/** How utterances become discovery vectors. */
export interface EmbeddingOptions {
  /** LSA dimensions. */
  readonly dims: number;
  /** Hash space 2^hashBits for the n-gram featurizer. */
  readonly hashBits: number;
  /** Weight of the Latin character n-gram group against the word group (0 drops character n-grams). */
  readonly charGroupWeight: number;
  /** Exponent β of the intent-entropy weight (1 − H/ln C)^β of each n-gram; 0 turns the re-weighting off. */
  readonly entropyPower: number;
  /** Floor of the intent-entropy weight. */
  readonly entropyFloor: number;
  /** Shrinkage γ of within-intent whitening: 1 turns it off, 0 whitens fully. */
  readonly whiteningShrinkage: number;
  /** At most this many labeled rows join the SVD fit (all are projected). */
  readonly svdKnownSample: number;
  /** At most this many unknown rows join the SVD fit (all are projected). */
  readonly svdUnknownSample: number;
  /** Subspace iterations of the randomized SVD. */
  readonly powerIterations: number;
  /** Weight of the CJK dictionary-word group (Intl.Segmenter words) against the n-gram groups; 0 leaves it out. */
  readonly cjkWordWeight: number;
}

export const DEFAULT_EMBEDDING_OPTIONS: EmbeddingOptions = {
  dims: 128,
  hashBits: 18,
  charGroupWeight: 0.5,
  entropyPower: 1,
  entropyFloor: 0.05,
  whiteningShrinkage: 1,
  svdKnownSample: 3000,
  svdUnknownSample: 5000,
  powerIterations: 1,
  cjkWordWeight: 0,
};

const CJK_WORD_HASH_BITS = 16;

/** Unit-length vectors (rows × dims, row-major) of the unknown and the labeled texts in one space. */
export interface Embedding {
  readonly dims: number;
  readonly unknown: Float32Array;
  readonly known: Float32Array;
}

/**
 * Per column, a weight in [floor, 1] that is low for n-grams spread evenly over the labeled intents (intent-agnostic
 * filler such as "can you tell me", "请问") and 1 for n-grams unseen in the labeled rows: (1 − H/ln C)^β, with H the
 * entropy of the column's class-size-normalized TF-IDF mass over the C intents.
 */
export function intentEntropyWeights(x: CsrMatrix, labels: Int32Array, classes: number, power: number, floor: number): Float32Array {
  const weights = new Float32Array(x.cols).fill(1);
  if (classes < 2 || power === 0) return weights;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let r = 0; r < x.rows; r++) byClass[labels[r]!]!.push(r);
  const mass = new Float64Array(x.cols);
  const touched = new Int32Array(x.cols);
  const sum = new Float64Array(x.cols);
  const sumLog = new Float64Array(x.cols);
  for (const rows of byClass) {
    if (rows.length === 0) continue;
    let count = 0;
    for (const r of rows) {
      for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
        const c = x.indices[p]!;
        if (mass[c] === 0) touched[count++] = c;
        mass[c] = mass[c]! + x.values[p]!;
      }
    }
    for (let t = 0; t < count; t++) {
      const c = touched[t]!;
      const m = mass[c]! / rows.length;
      sum[c] = sum[c]! + m;
      sumLog[c] = sumLog[c]! + m * Math.log(m);
      mass[c] = 0;
    }
  }
  const maxEntropy = Math.log(classes);
  for (let c = 0; c < x.cols; c++) {
    if (sum[c]! <= 0) continue;
    const h = Math.max(0, Math.log(sum[c]!) - sumLog[c]! / sum[c]!) / maxEntropy;
    weights[c] = Math.max(floor, Math.pow(Math.max(0, 1 - h), power));
  }
  return weights;
}

/** A copy of X with each column scaled by its weight and every row L2-normalized again. */
function reweighColumns(x: CsrMatrix, weights: Float32Array): CsrMatrix {
  const values = new Float32Array(x.values.length);
  for (let r = 0; r < x.rows; r++) {
    let norm = 0;
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
      values[p] = x.values[p]! * weights[x.indices[p]!]!;
      norm += values[p]! * values[p]!;
    }
    if (norm <= 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) values[p] = values[p]! * inv;
  }
  return { ...x, values };
}

/** The listed rows of `a` followed by the listed rows of `b` (same columns). */
function stackListedRows(a: CsrMatrix, aRows: ArrayLike<number>, b: CsrMatrix, bRows: ArrayLike<number>): CsrMatrix {
  return stackRows([selectRows(a, aRows), selectRows(b, bRows)], a.cols);
}

/**
 * Whitens the vectors against the within-intent scatter of the labeled rows: directions along which utterances of one
 * intent vary (phrasing) shrink, with shrinkage γ towards the identity.
 * References: Fisher's linear discriminant / within-class whitening (Fukunaga, "Statistical Pattern Recognition").
 */
function whitenWithinClass(known: Float64Array, labels: Int32Array, classes: number, dims: number, shrinkage: number, targets: readonly Float64Array[]): void {
  const rows = labels.length;
  const means = new Float64Array(classes * dims);
  const sizes = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    const c = labels[r]!;
    sizes[c]!++;
    for (let j = 0; j < dims; j++) means[c * dims + j] = means[c * dims + j]! + known[r * dims + j]!;
  }
  for (let c = 0; c < classes; c++) for (let j = 0; j < dims; j++) means[c * dims + j] = means[c * dims + j]! / Math.max(1, sizes[c]!);
  const scatter = new Float64Array(dims * dims);
  const centred = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    const c = labels[r]!;
    for (let j = 0; j < dims; j++) centred[j] = known[r * dims + j]! - means[c * dims + j]!;
    for (let i = 0; i < dims; i++) {
      const ci = centred[i]!;
      for (let j = i; j < dims; j++) scatter[i * dims + j] = scatter[i * dims + j]! + ci * centred[j]!;
    }
  }
  for (let i = 0; i < dims; i++) for (let j = 0; j < i; j++) scatter[i * dims + j] = scatter[j * dims + i]!;
  const { values, vectors } = symmetricEigen(scatter, dims);
  let mean = 0;
  for (let i = 0; i < dims; i++) mean += values[i]! / dims;
  const t = new Float64Array(dims * dims);
  for (let k = 0; k < dims; k++) {
    const scale = 1 / Math.sqrt((1 - shrinkage) * Math.max(0, values[k]!) + shrinkage * mean + 1e-12);
    for (let i = 0; i < dims; i++) {
      const vik = vectors[i * dims + k]! * scale;
      for (let j = 0; j < dims; j++) t[i * dims + j] = t[i * dims + j]! + vik * vectors[j * dims + k]!;
    }
  }
  for (const target of targets) multiplyDenseInPlace(target, target.length / dims, dims, t);
}

/**
 * Embeds unknown and labeled utterances in one space: hashed TF-IDF (word 1–2, char_wb 2–5, CJK 1–3 n-grams, and
 * optionally CJK dictionary words from Intl.Segmenter) fitted on both, n-grams re-weighted by their spread over the labeled intents, LSA by randomized truncated SVD, optional
 * within-intent whitening, unit length. Deterministic for a given rng state.
 * References: Deerwester et al. (1990), "Indexing by latent semantic analysis".
 */
export function embedTexts(
  unknown: readonly string[],
  known: readonly string[],
  knownLabels: Int32Array,
  classes: number,
  rng: Rng,
  options: EmbeddingOptions = DEFAULT_EMBEDDING_OPTIONS,
): Embedding {
  const all = unknown.length + known.length;
  const featurizer = fitFeaturizer([...unknown, ...known], {
    hashBits: options.hashBits,
    minDf: all >= 200 ? 2 : 1,
    charGroupWeight: options.charGroupWeight,
    charNgramMax: options.charGroupWeight === 0 ? 2 : 5,
  });
  let xu = transformTexts(featurizer, unknown);
  let xk = transformTexts(featurizer, known);
  if (options.cjkWordWeight > 0 && (hasCjkText(unknown) || hasCjkText(known))) {
    const words = cjkWordTfidf([...unknown, ...known], CJK_WORD_HASH_BITS);
    xu = appendColumns(xu, selectRows(words, Int32Array.from({ length: unknown.length }, (_, i) => i)), options.cjkWordWeight);
    xk = appendColumns(xk, selectRows(words, Int32Array.from({ length: known.length }, (_, i) => unknown.length + i)), options.cjkWordWeight);
  }
  const weights = intentEntropyWeights(xk, knownLabels, classes, options.entropyPower, options.entropyFloor);
  xu = reweighColumns(xu, weights);
  xk = reweighColumns(xk, weights);
  const knownRows = sampleIndexes(known.length, options.svdKnownSample, rng);
  const unknownRows = sampleIndexes(unknown.length, options.svdUnknownSample, rng);
  const svd = randomizedSvd(stackListedRows(xu, unknownRows, xk, knownRows), options.dims, rng, 10, options.powerIterations);
  const dims = svd.dims;
  const pu = projectRows(xu, svd);
  const pk = projectRows(xk, svd);
  normalizeRows(pu, unknown.length, dims);
  normalizeRows(pk, known.length, dims);
  if (options.whiteningShrinkage < 1 && classes >= 2 && known.length > dims) {
    whitenWithinClass(pk, knownLabels, classes, dims, options.whiteningShrinkage, [pu, pk]);
    normalizeRows(pu, unknown.length, dims);
    normalizeRows(pk, known.length, dims);
  }
  return { dims, unknown: Float32Array.from(pu), known: Float32Array.from(pk) };
}
