/**
 * Out-of-scope score of each probability row (rows × classes): 1 − max probability, in [0, 1 − 1/classes].
 * Higher = more likely out of scope (no known intent fits). References: Hendrycks & Gimpel (2017), "A Baseline for
 * Detecting Misclassified and Out-of-Distribution Examples" (maximum softmax probability).
 */
export function outOfScopeScores(probs: Float32Array, classes: number): Float32Array {
  const rows = probs.length / classes;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 0; c < classes; c++) if (probs[r * classes + c]! > best) best = probs[r * classes + c]!;
    out[r] = 1 - best;
  }
  return out;
}

/** A threshold on the out-of-scope score and what it gives on the data it was chosen on. */
export interface OutOfScopeThreshold {
  /** Items with score ≥ threshold are flagged out of scope. */
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/**
 * Chooses the out-of-scope threshold that maximizes F1 of flagging (score ≥ threshold) against `isOutOfScope`
 * (1 = truly out of scope), trying every distinct score; ties keep the higher threshold (fewer flags).
 * Returns threshold +Infinity with zeros when there is no positive.
 */
export function chooseOutOfScopeThreshold(scores: Float32Array, isOutOfScope: Uint8Array): OutOfScopeThreshold {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += isOutOfScope[i]!;
  let best: OutOfScopeThreshold = { threshold: Infinity, precision: 0, recall: 0, f1: 0 };
  if (positives === 0) return best;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let flagged = 0;
  let hits = 0;
  let i = 0;
  while (i < n) {
    const threshold = scores[order[i]!]!;
    while (i < n && scores[order[i]!] === threshold) {
      flagged++;
      hits += isOutOfScope[order[i]!]!;
      i++;
    }
    const precision = hits / flagged;
    const recall = hits / positives;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold, precision, recall, f1 };
  }
  return best;
}

/** What flagging items with out-of-scope score ≥ `threshold` gives on labeled data. */
export interface OutOfScopePoint {
  readonly threshold: number;
  /** Share of in-scope items flagged (false alarms), in [0, 1]; 0 when there are no in-scope items. */
  readonly inScopeFlagged: number;
  /** Share of out-of-scope items flagged; null when there are none. */
  readonly oosRecall: number | null;
  /** Share of flagged items that are out of scope; null when there are no out-of-scope items or nothing is flagged. */
  readonly oosPrecision: number | null;
}

/**
 * The figures of flagging score ≥ `threshold`, given the out-of-scope scores of in-scope items (`inScope`, ideally
 * out of fold) and of known out-of-scope items (`outOfScope`, e.g. utterances labeled "none of these").
 */
export function outOfScopeFiguresAt(inScope: Float32Array, outOfScope: Float32Array, threshold: number): OutOfScopePoint {
  const falseAlarms = countAtLeast(inScope, threshold);
  const hits = countAtLeast(outOfScope, threshold);
  const measured = outOfScope.length > 0;
  return {
    threshold,
    inScopeFlagged: inScope.length ? falseAlarms / inScope.length : 0,
    oosRecall: measured ? hits / outOfScope.length : null,
    oosPrecision: measured && hits + falseAlarms > 0 ? hits / (hits + falseAlarms) : null,
  };
}

/** `outOfScopeFiguresAt` at `steps` + 1 evenly spaced thresholds from 0 to 1 (0, 1/steps, …, 1), ascending. */
export function outOfScopeCurve(inScope: Float32Array, outOfScope: Float32Array, steps = 100): OutOfScopePoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => outOfScopeFiguresAt(inScope, outOfScope, i / steps));
}

/** Options of `chooseThresholdFromScores`. */
export interface ThresholdChoiceOptions {
  /** Fewest out-of-scope examples for the F1-best choice; with fewer, the in-scope quantile is used. Default 5. */
  readonly minOutOfScope?: number;
  /** Share of in-scope items the fallback threshold flags. Default 0.05. */
  readonly inScopeFlagShare?: number;
}

/**
 * The out-of-scope threshold for a model: with at least `minOutOfScope` known out-of-scope items, the F1-best
 * threshold of flagging them among the in-scope ones; otherwise (or when no threshold flags any) the score at the
 * (1 − `inScopeFlagShare`) quantile of in-scope scores, so about that share of in-scope items is flagged. 0.5 with no data.
 */
export function chooseThresholdFromScores(inScope: Float32Array, outOfScope: Float32Array, options: ThresholdChoiceOptions = {}): number {
  if (outOfScope.length >= (options.minOutOfScope ?? 5)) {
    const scores = new Float32Array(inScope.length + outOfScope.length);
    scores.set(inScope);
    scores.set(outOfScope, inScope.length);
    const positives = new Uint8Array(scores.length).fill(1, inScope.length);
    const chosen = chooseOutOfScopeThreshold(scores, positives);
    if (Number.isFinite(chosen.threshold)) return chosen.threshold;
  }
  const sorted = Float32Array.from(inScope).sort();
  return sorted.length ? sorted[Math.floor((1 - (options.inScopeFlagShare ?? 0.05)) * (sorted.length - 1))]! : 0.5;
}

function countAtLeast(scores: Float32Array, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) n++;
  return n;
}
