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

/** Options of `findLabelIssues`. */
export interface LabelIssueOptions {
  /**
   * 'confident_joint' (default): flag the off-diagonal entries of the confident joint. 'prune_by_noise_rate':
   * cleanlab's default filter, which flags as many rows per (given, true) pair as the calibrated confident joint
   * estimates, taking those with the largest margin p_true − p_given.
   */
  readonly filterBy?: 'confident_joint' | 'prune_by_noise_rate';
}

/**
 * Finds likely label errors by confident learning: per class j the threshold t_j is the mean out-of-fold
 * probability of j over examples labeled j; an example labeled i is confidently counted as class j when
 * p_j(x) ≥ t_j (the largest such p_j when several), and it is flagged when that j differs from i.
 * `probs` must be out-of-sample (k-fold) probabilities, rows × classes row-major; `labels` are class indexes.
 * References: Northcutt, Jiang & Chuang (2021), "Confident Learning: Estimating Uncertainty in Dataset Labels", §3.1.
 */
export function findLabelIssues(labels: Int32Array, probs: Float32Array, classes: number, options: LabelIssueOptions = {}): LabelIssues {
  if (options.filterBy === 'prune_by_noise_rate') return pruneByNoiseRate(labels, probs, classes);
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
    const best = confidentClass(probs, r, classes, thresholds);
    if (best >= 0 && best !== y) {
      isIssue[r] = 1;
      suggested[r] = best;
      flagged.push(r);
    }
  }
  flagged.sort((a, b) => quality[a]! - quality[b]! || a - b);
  return { quality, isIssue, suggested, ranked: Int32Array.from(flagged) };
}

/** Per-class thresholds t_j (mean probability of j over rows labeled j; Infinity for an empty class) and class sizes. */
function classThresholds(labels: Int32Array, probs: Float32Array, classes: number): { thresholds: Float64Array; counts: Int32Array } {
  const sums = new Float64Array(classes);
  const counts = new Int32Array(classes);
  for (let r = 0; r < labels.length; r++) {
    sums[labels[r]!]! += probs[r * classes + labels[r]!]!;
    counts[labels[r]!]! += 1;
  }
  const thresholds = Float64Array.from(sums, (sum, c) => (counts[c]! > 0 ? sum / counts[c]! : Infinity));
  return { thresholds, counts };
}

/**
 * Confident learning, prune by noise rate: counts the confident joint C[i][j] (rows labeled i whose largest
 * probability at or above its class threshold is class j), calibrates each row i to the n_i rows labeled i, and for
 * each i ≠ j flags the round(C̃[i][j]) rows labeled i with the largest p_j − p_i, suggesting j (a row picked for
 * several j keeps the j of largest margin). Quality = p(given label), lower = more likely mislabeled.
 * References: Northcutt, Jiang & Chuang (2021), "Confident Learning", §3.1–3.2 (Eq. 2, "prune by noise rate").
 */
function pruneByNoiseRate(labels: Int32Array, probs: Float32Array, classes: number): LabelIssues {
  const n = labels.length;
  const { thresholds, counts } = classThresholds(labels, probs, classes);
  const joint = new Float64Array(classes * classes);
  const byLabel: number[][] = Array.from({ length: classes }, () => []);
  const quality = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const y = labels[r]!;
    quality[r] = probs[r * classes + y]!;
    byLabel[y]!.push(r);
    const best = confidentClass(probs, r, classes, thresholds);
    if (best >= 0) joint[y * classes + best]! += 1;
  }
  const isIssue = new Uint8Array(n);
  const suggested = new Int32Array(n).fill(-1);
  const bestMargin = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < classes; i++) {
    let confident = 0;
    for (let j = 0; j < classes; j++) confident += joint[i * classes + j]!;
    if (confident === 0) continue;
    for (let j = 0; j < classes; j++) {
      const prune = j === i ? 0 : Math.round((joint[i * classes + j]! * counts[i]!) / confident);
      if (prune === 0) continue;
      const margin = (r: number): number => probs[r * classes + j]! - probs[r * classes + i]!;
      const picked = byLabel[i]!.slice().sort((a, b) => margin(b) - margin(a) || a - b).slice(0, prune);
      for (const r of picked) {
        isIssue[r] = 1;
        if (margin(r) > bestMargin[r]!) {
          bestMargin[r] = margin(r);
          suggested[r] = j;
        }
      }
    }
  }
  const flagged = [...isIssue.keys()].filter((r) => isIssue[r] === 1).sort((a, b) => quality[a]! - quality[b]! || a - b);
  return { quality, isIssue, suggested, ranked: Int32Array.from(flagged) };
}

/** The most probable class of row `r` among those whose probability reaches the class's threshold, or −1. */
function confidentClass(probs: Float32Array, r: number, classes: number, thresholds: Float64Array): number {
  let best = -1;
  let bestP = -Infinity;
  for (let c = 0; c < classes; c++) {
    const p = probs[r * classes + c]!;
    if (p >= thresholds[c]! && p > bestP) {
      best = c;
      bestP = p;
    }
  }
  return best;
}
