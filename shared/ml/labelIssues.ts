/** What confident learning says about each labeled example. */
export interface LabelIssues {
  /** Self-confidence p(given label | x), out of fold: lower = more likely mislabeled, in [0, 1]. */
  readonly quality: Float32Array;
  /** 1 where the example is flagged as a likely label error. */
  readonly isIssue: Uint8Array;
  /** The class confident learning would give instead (its most likely confident class), or -1 when not flagged. */
  readonly suggested: Int32Array;
  /** Flagged rows, lowest quality first. */
  readonly ranked: Int32Array;
}

/**
 * Finds likely label errors by confident learning: per class j the threshold t_j is the mean out-of-fold
 * probability of j over examples labeled j; an example labeled i is confidently counted as class j when
 * p_j(x) ≥ t_j (the largest such p_j when several), and it is flagged when that j differs from i.
 * `probs` must be out-of-sample (k-fold) probabilities, rows × classes row-major; `labels` are class indexes.
 * References: Northcutt, Jiang & Chuang (2021), "Confident Learning: Estimating Uncertainty in Dataset Labels", §3.1.
 */
export function findLabelIssues(labels: Int32Array, probs: Float32Array, classes: number): LabelIssues {
  const n = labels.length;
  const sums = new Float64Array(classes);
  const counts = new Int32Array(classes);
  for (let r = 0; r < n; r++) {
    const y = labels[r]!;
    sums[y]! += probs[r * classes + y]!;
    counts[y]! += 1;
  }
  const thresholds = new Float64Array(classes);
  for (let c = 0; c < classes; c++) thresholds[c] = counts[c]! > 0 ? sums[c]! / counts[c]! : Infinity;
  const quality = new Float32Array(n);
  const isIssue = new Uint8Array(n);
  const suggested = new Int32Array(n).fill(-1);
  const flagged: number[] = [];
  for (let r = 0; r < n; r++) {
    const y = labels[r]!;
    quality[r] = probs[r * classes + y]!;
    let best = -1;
    let bestP = -Infinity;
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c]!;
      if (p >= thresholds[c]! && p > bestP) {
        best = c;
        bestP = p;
      }
    }
    if (best >= 0 && best !== y) {
      isIssue[r] = 1;
      suggested[r] = best;
      flagged.push(r);
    }
  }
  flagged.sort((a, b) => quality[a]! - quality[b]! || a - b);
  return { quality, isIssue, suggested, ranked: Int32Array.from(flagged) };
}
