import { fitFeaturizer, transformTexts, type CsrMatrix, type FeaturizerConfig } from '../featurize';
import { normalizeText } from '../normalize';

/** A candidate utterance and how closely it matches an intent's examples. */
export interface SimilarUtterance {
  /** Index into `candidates`. */
  readonly index: number;
  /** Score in [0, 1], higher = closer to the examples (see {@link rankSimilarUtterances}). */
  readonly similarity: number;
}

/** Options of {@link rankSimilarUtterances}. */
export interface RankSimilarOptions {
  /** Candidates returned at most; 100 when absent. */
  readonly top?: number;
  /** Candidates scoring below this are left out; 0 when absent (every candidate sharing a feature qualifies). */
  readonly minSimilarity?: number;
}

const DEFAULT_TOP = 100;
const NEAREST_EXAMPLES = 3;

/** Inverted lists of the example rows: for column c, the examples holding it and their weights. */
interface ExampleIndex {
  readonly starts: Int32Array;
  readonly examples: Int32Array;
  readonly weights: Float32Array;
}

function indexExamples(x: CsrMatrix, exampleRows: ArrayLike<number>): ExampleIndex {
  const starts = new Int32Array(x.cols + 1);
  for (let e = 0; e < exampleRows.length; e++) {
    const r = exampleRows[e]!;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) starts[x.indices[k]! + 1]!++;
  }
  for (let c = 0; c < x.cols; c++) starts[c + 1]! += starts[c]!;
  const fill = starts.slice(0, x.cols);
  const examples = new Int32Array(starts[x.cols]!);
  const weights = new Float32Array(examples.length);
  for (let e = 0; e < exampleRows.length; e++) {
    const r = exampleRows[e]!;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) {
      const slot = fill[x.indices[k]!]!++;
      examples[slot] = e;
      weights[slot] = x.values[k]!;
    }
  }
  return { starts, examples, weights };
}

/** L2 norm of the sum of the example rows (the unnormalized centroid). */
function centroidNorm(index: ExampleIndex, cols: number): number {
  let squared = 0;
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let k = index.starts[c]!; k < index.starts[c + 1]!; k++) sum += index.weights[k]!;
    squared += sum * sum;
  }
  return Math.sqrt(squared);
}

/** Folds texts by normalized form: the distinct texts, and each input's row among them. */
function foldTexts(groups: readonly (readonly string[])[]): { distinct: string[]; rows: Int32Array[] } {
  const rowOf = new Map<string, number>();
  const distinct: string[] = [];
  const rows = groups.map((texts) => {
    const out = new Int32Array(texts.length);
    texts.forEach((text, i) => {
      const normalized = normalizeText(text);
      let row = rowOf.get(normalized);
      if (row === undefined) {
        row = distinct.length;
        rowOf.set(normalized, row);
        distinct.push(normalized);
      }
      out[i] = row;
    });
    return out;
  });
  return { distinct, rows };
}

/**
 * Word 1–2-grams, char_wb 3-grams and CJK 1–3-grams: the 3-grams still tie "refund" to "refunds", at well under half
 * the nonzeros of the model's char 2–5-grams, which keeps 100k candidates fast.
 */
export const EXPANSION_FEATURES: Partial<FeaturizerConfig> = { charNgramMin: 3, charNgramMax: 3 };

/**
 * Scores rows of an L2-normalized TF-IDF matrix against example rows, for corpus expansion. For each row in
 * `candidateRows`: similarity = ½ × (mean of its 3 highest cosines to single example rows) + ½ × (cosine to the
 * examples' centroid); the first rewards paraphrases of any one example, the second the intent's common core, so a
 * row close to one stray example scores below one close to many. Fewer than 3 examples: the mean of those.
 * Returns one score per entry of `candidateRows`, index-aligned (higher = closer, in [0, 1]); repeated rows are
 * scored once. Sparse throughout: the cosines to all examples come from inverted lists of the example rows, so a
 * workspace can featurize its pool once and score it for every intent.
 * References: Rocchio (1971), "Relevance feedback in information retrieval"; k-NN scoring as in Manning, Raghavan,
 * Schütze (2008), "Introduction to Information Retrieval", ch. 14.
 */
export function scoreSimilarRows(x: CsrMatrix, exampleRows: ArrayLike<number>, candidateRows: ArrayLike<number>): Float64Array {
  const scores = new Float64Array(candidateRows.length);
  const exampleCount = exampleRows.length;
  if (exampleCount === 0) return scores;
  const index = indexExamples(x, exampleRows);
  const norm = centroidNorm(index, x.cols);
  const nearest = Math.min(NEAREST_EXAMPLES, exampleCount);
  const cosines = new Float64Array(exampleCount);
  const touched = new Int32Array(exampleCount);
  const touchedBy = new Int32Array(exampleCount).fill(-1);
  const best = new Float64Array(nearest);
  const scoreOfRow = new Float64Array(x.rows).fill(-1);
  for (let i = 0; i < candidateRows.length; i++) {
    const r = candidateRows[i]!;
    if (scoreOfRow[r]! >= 0) {
      scores[i] = scoreOfRow[r]!;
      continue;
    }
    let touchedCount = 0;
    let sum = 0;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) {
      const c = x.indices[k]!;
      const v = x.values[k]!;
      for (let p = index.starts[c]!; p < index.starts[c + 1]!; p++) {
        const e = index.examples[p]!;
        if (touchedBy[e] !== i) {
          touchedBy[e] = i;
          touched[touchedCount++] = e;
        }
        const contribution = v * index.weights[p]!;
        cosines[e]! += contribution;
        sum += contribution;
      }
    }
    best.fill(0);
    for (let t = 0; t < touchedCount; t++) {
      const e = touched[t]!;
      let value = cosines[e]!;
      cosines[e] = 0;
      for (let b = 0; b < nearest && value > 0; b++) {
        if (value > best[b]!) {
          const displaced = best[b]!;
          best[b] = value;
          value = displaced;
        }
      }
    }
    let nearestSum = 0;
    for (let b = 0; b < nearest; b++) nearestSum += best[b]!;
    const score = touchedCount === 0 || norm === 0 ? 0 : Math.min(1, 0.5 * (nearestSum / nearest) + 0.5 * (sum / norm));
    scoreOfRow[r] = score;
    scores[i] = score;
  }
  return scores;
}

/** Indices of the `top` highest scores that are above 0 and ≥ `minSimilarity`, best first, ties by index. */
function topScores(scores: Float64Array, top: number, minSimilarity: number): SimilarUtterance[] {
  const kept: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > 0 && scores[i]! >= minSimilarity) kept.push(i);
  kept.sort((p, q) => scores[q]! - scores[p]! || p - q);
  return kept.slice(0, top).map((i) => ({ index: i, similarity: scores[i]! }));
}

/**
 * Ranks candidate utterances by how closely they match an intent's examples, for corpus expansion.
 * Texts are normalized and folded (equal normalized texts share one vector) and turned into L2-normalized hashed
 * TF-IDF vectors (Latin word 1–2-grams and char_wb 3-grams, CJK 1–3-grams; IDF fitted on the distinct examples
 * and candidates together), then scored by {@link scoreSimilarRows}: ½ × mean of the 3 highest cosines to single
 * examples + ½ × cosine to the examples' centroid.
 * Returns the candidates scoring above 0 and ≥ `minSimilarity`, best first (higher = closer, in [0, 1]), ties by
 * index; at most `top`. Candidates equal to an example (after normalization) score highest and are kept.
 */
export function rankSimilarUtterances(
  examples: readonly string[],
  candidates: readonly string[],
  options: RankSimilarOptions = {},
): SimilarUtterance[] {
  const top = options.top ?? DEFAULT_TOP;
  const minSimilarity = options.minSimilarity ?? 0;
  if (examples.length === 0 || candidates.length === 0 || top <= 0) return [];
  const { distinct, rows } = foldTexts([examples, candidates]);
  const x = transformTexts(fitFeaturizer(distinct, EXPANSION_FEATURES), distinct);
  return topScores(scoreSimilarRows(x, rows[0]!, rows[1]!), top, minSimilarity);
}
