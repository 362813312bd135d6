/** Cluster-agreement scores between a predicted assignment and true labels (both non-negative integer ids). */

interface Contingency {
  readonly rows: number;
  readonly cols: number;
  /** Row-major rows × cols counts; rows = predicted clusters, cols = true classes. */
  readonly table: Float64Array;
  readonly rowSums: Float64Array;
  readonly colSums: Float64Array;
  readonly total: number;
}

function contingency(predicted: ArrayLike<number>, truth: ArrayLike<number>): Contingency {
  if (predicted.length !== truth.length) throw new RangeError('predicted and truth differ in length');
  const pIds = new Map<number, number>();
  const tIds = new Map<number, number>();
  const p = new Int32Array(predicted.length);
  const t = new Int32Array(truth.length);
  for (let i = 0; i < predicted.length; i++) {
    let a = pIds.get(predicted[i]!);
    if (a === undefined) pIds.set(predicted[i]!, (a = pIds.size));
    let b = tIds.get(truth[i]!);
    if (b === undefined) tIds.set(truth[i]!, (b = tIds.size));
    p[i] = a;
    t[i] = b;
  }
  const rows = pIds.size;
  const cols = tIds.size;
  const table = new Float64Array(rows * cols);
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let i = 0; i < p.length; i++) {
    table[p[i]! * cols + t[i]!]!++;
    rowSums[p[i]!]!++;
    colSums[t[i]!]!++;
  }
  return { rows, cols, table, rowSums, colSums, total: p.length };
}

function entropy(sums: Float64Array, total: number): number {
  let h = 0;
  for (let i = 0; i < sums.length; i++) if (sums[i]! > 0) h -= (sums[i]! / total) * Math.log(sums[i]! / total);
  return h;
}

/**
 * Normalized mutual information with arithmetic-mean normalization, in [0, 1] (higher = closer agreement):
 * MI / ((H(predicted) + H(truth)) / 2). Two single-cluster assignments score 1, as scikit-learn does.
 * References: scikit-learn `normalized_mutual_info_score(average_method="arithmetic")`; Vinh, Epps, Bailey (2010).
 */
export function normalizedMutualInfo(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  const c = contingency(predicted, truth);
  if (c.total === 0 || (c.rows === 1 && c.cols === 1) || (c.rows === c.total && c.cols === c.total)) return 1;
  let mi = 0;
  for (let r = 0; r < c.rows; r++) {
    for (let k = 0; k < c.cols; k++) {
      const n = c.table[r * c.cols + k]!;
      if (n > 0) mi += (n / c.total) * Math.log((n * c.total) / (c.rowSums[r]! * c.colSums[k]!));
    }
  }
  const denominator = (entropy(c.rowSums, c.total) + entropy(c.colSums, c.total)) / 2;
  return denominator <= 0 ? 0 : Math.max(0, Math.min(1, mi / denominator));
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index, 1 for identical partitions, about 0 for random ones, may be negative (higher = closer).
 * References: Hubert & Arabie (1985), "Comparing partitions"; scikit-learn `adjusted_rand_score`.
 */
export function adjustedRandIndex(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  const c = contingency(predicted, truth);
  if (c.total <= 1 || (c.rows === c.cols && (c.rows === 1 || c.rows === c.total))) return 1;
  let index = 0;
  for (let i = 0; i < c.table.length; i++) index += pairs(c.table[i]!);
  let rowPairs = 0;
  for (let r = 0; r < c.rows; r++) rowPairs += pairs(c.rowSums[r]!);
  let colPairs = 0;
  for (let k = 0; k < c.cols; k++) colPairs += pairs(c.colSums[k]!);
  const expected = (rowPairs * colPairs) / pairs(c.total);
  const max = (rowPairs + colPairs) / 2;
  return max === expected ? 0 : (index - expected) / (max - expected);
}

/**
 * Minimum-cost assignment on a rectangular rows × cols cost matrix (row-major), rows ≤ cols or not:
 * returns, per row, its column (−1 when the row is left unmatched because rows > cols).
 * References: Kuhn (1955), Munkres (1957); the O(n²m) shortest-augmenting-path form (Jonker–Volgenant potentials).
 */
export function solveAssignment(cost: Float64Array, rows: number, cols: number): Int32Array {
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  const at = (i: number, j: number): number => (transpose ? cost[j * cols + i]! : cost[i * cols + j]!);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const matchOfCol = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    matchOfCol[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = matchOfCol[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[matchOfCol[j]!] = u[matchOfCol[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (matchOfCol[j0] !== 0);
    do {
      const j1 = way[j0]!;
      matchOfCol[j0] = matchOfCol[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= m; j++) {
    const i = matchOfCol[j]!;
    if (i === 0) continue;
    if (transpose) result[j - 1] = i - 1;
    else result[i - 1] = j - 1;
  }
  return result;
}

/**
 * Clustering accuracy in [0, 1] (higher = better): the share of items whose cluster maps to their true class under
 * the one-to-one cluster→class matching that maximizes it (Hungarian); clusters left unmatched count as wrong.
 * References: Xie, Girshick, Farhadi (2016), "Unsupervised deep embedding for clustering analysis" (ACC).
 */
export function clusteringAccuracy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  const c = contingency(predicted, truth);
  if (c.total === 0) return 1;
  let max = 0;
  for (let i = 0; i < c.table.length; i++) max = Math.max(max, c.table[i]!);
  const cost = new Float64Array(c.table.length);
  for (let i = 0; i < cost.length; i++) cost[i] = max - c.table[i]!;
  const match = solveAssignment(cost, c.rows, c.cols);
  let correct = 0;
  for (let r = 0; r < c.rows; r++) if (match[r]! >= 0) correct += c.table[r * c.cols + match[r]!]!;
  return correct / c.total;
}
