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
