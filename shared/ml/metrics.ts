/** Index of the largest value of each row (rows × classes, row-major); the first wins ties. */
export function argmaxRows(matrix: Float32Array, classes: number): Int32Array {
  const rows = matrix.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (matrix[base + c]! > matrix[base + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** Largest value of each row (rows × classes, row-major). */
export function maxRows(matrix: Float32Array, classes: number): Float32Array {
  const rows = matrix.length / classes;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = -Infinity;
    for (let c = 0; c < classes; c++) if (matrix[r * classes + c]! > best) best = matrix[r * classes + c]!;
    out[r] = best;
  }
  return out;
}

/** Share of items whose prediction equals the truth, in [0, 1]; 0 for no items. */
export function accuracy(predicted: Int32Array, truth: Int32Array): number {
  if (truth.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) hits++;
  return hits / truth.length;
}

/** Per-class precision, recall, F1 and support (true count), index-aligned with class ids; 0 where undefined. */
export interface PerClassScores {
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly f1: Float64Array;
  readonly support: Int32Array;
  readonly predicted: Int32Array;
}

/** Precision, recall and F1 per class (0 where a denominator is 0, as scikit-learn's zero_division=0). */
export function perClassScores(predicted: Int32Array, truth: Int32Array, classes: number): PerClassScores {
  const tp = new Int32Array(classes);
  const support = new Int32Array(classes);
  const predictedCount = new Int32Array(classes);
  for (let i = 0; i < truth.length; i++) {
    support[truth[i]!]!++;
    predictedCount[predicted[i]!]!++;
    if (predicted[i] === truth[i]) tp[truth[i]!]!++;
  }
  const precision = new Float64Array(classes);
  const recall = new Float64Array(classes);
  const f1 = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    precision[c] = predictedCount[c]! > 0 ? tp[c]! / predictedCount[c]! : 0;
    recall[c] = support[c]! > 0 ? tp[c]! / support[c]! : 0;
    const sum = precision[c]! + recall[c]!;
    f1[c] = sum > 0 ? (2 * precision[c]! * recall[c]!) / sum : 0;
  }
  return { precision, recall, f1, support, predicted: predictedCount };
}

/** Mean F1 over the classes that occur in the truth or the predictions, in [0, 1]. */
export function macroF1(predicted: Int32Array, truth: Int32Array, classes: number): number {
  const scores = perClassScores(predicted, truth, classes);
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < classes; c++) {
    if (scores.support[c] === 0 && scores.predicted[c] === 0) continue;
    sum += scores.f1[c]!;
    counted++;
  }
  return counted > 0 ? sum / counted : 0;
}

/**
 * Expected calibration error of top-1 confidences: items fall into `bins` equal-width bins over (0, 1]
 * (bin b holds confidence in (b/bins, (b+1)/bins], 0 goes to the first), and ECE = Σ_b |B_b|/n · |acc(B_b) − conf(B_b)|.
 * In [0, 1], lower = better calibrated. References: Guo et al. (2017), "On Calibration of Modern Neural Networks".
 */
export function expectedCalibrationError(confidence: Float32Array, correct: Uint8Array, bins = 15): number {
  const n = confidence.length;
  if (n === 0) return 0;
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const hitSum = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = confidence[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
    count[b]!++;
    confSum[b] = confSum[b]! + p;
    hitSum[b] = hitSum[b]! + correct[i]!;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(hitSum[b]! - confSum[b]!) / n;
  return ece;
}

/** ECE (see `expectedCalibrationError`) of probability rows against true classes, using the top class and its probability. */
export function expectedCalibrationErrorOfProbs(probs: Float32Array, classes: number, truth: Int32Array, bins = 15): number {
  const predicted = argmaxRows(probs, classes);
  const confidence = maxRows(probs, classes);
  const correct = Uint8Array.from(truth, (t, i) => (predicted[i] === t ? 1 : 0));
  return expectedCalibrationError(confidence, correct, bins);
}

/**
 * Area under the ROC curve of `scores` for `positives` (1 = positive): the probability that a random positive
 * scores higher than a random negative, ties counting one half (Mann–Whitney U with average ranks). In [0, 1];
 * 0.5 = chance. NaN when either class is empty.
 */
export function auroc(scores: Float32Array, positives: Uint8Array): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPositive = 0;
  let positiveCount = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positives[order[k]!] === 1) {
        rankSumPositive += averageRank;
        positiveCount++;
      }
    }
    i = j + 1;
  }
  const negativeCount = n - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) return Number.NaN;
  return (rankSumPositive - (positiveCount * (positiveCount + 1)) / 2) / (positiveCount * negativeCount);
}
