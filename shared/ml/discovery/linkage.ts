/** Average-linkage agglomerative clustering over unit vectors (cosine similarity), and its cuts. */

/** The merges of an agglomerative clustering, most similar first. */
export interface Dendrogram {
  readonly points: number;
  /** Merge t joins the clusters holding points `pairs[2t]` and `pairs[2t+1]`. */
  readonly pairs: Int32Array;
  /** Merge t's linkage similarity (average cosine between the two clusters), non-increasing. */
  readonly heights: Float64Array;
}

/** Cosine similarities (dot products of unit rows) of the listed rows, rows.length² row-major. */
function similarityMatrix(vectors: Float32Array, dims: number, rows: Int32Array): Float32Array {
  const n = rows.length;
  const s = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    const oa = rows[a]! * dims;
    for (let b = a; b < n; b++) {
      const ob = rows[b]! * dims;
      let dot = 0;
      for (let j = 0; j < dims; j++) dot += vectors[oa + j]! * vectors[ob + j]!;
      s[a * n + b] = dot;
      s[b * n + a] = dot;
    }
  }
  return s;
}

/**
 * Weighted average-linkage (UPGMA) clustering of the listed unit rows by the nearest-neighbour chain algorithm,
 * O(n²) time and memory; a point's weight is how many folded texts it stands for.
 * References: Murtagh (1983), "A survey of recent advances in hierarchical clustering algorithms" (NN-chain);
 * Sokal & Michener (1958) (UPGMA).
 */
export function averageLinkage(vectors: Float32Array, dims: number, rows: Int32Array, weights: Float64Array): Dendrogram {
  const n = rows.length;
  const s = similarityMatrix(vectors, dims, rows);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) size[i] = weights[rows[i]!]!;
  const active = new Uint8Array(n).fill(1);
  const chain = new Int32Array(n);
  const pairs = new Int32Array(Math.max(0, 2 * (n - 1)));
  const heights = new Float64Array(Math.max(0, n - 1));
  let length = 0;
  let merges = 0;
  let firstActive = 0;
  while (merges < n - 1) {
    if (length === 0) {
      while (!active[firstActive]) firstActive++;
      chain[length++] = firstActive;
    }
    const a = chain[length - 1]!;
    const previous = length >= 2 ? chain[length - 2]! : -1;
    let best = previous;
    let bestSim = previous >= 0 ? s[a * n + previous]! : -Infinity;
    const row = a * n;
    for (let j = 0; j < n; j++) {
      if (j === a || !active[j]) continue;
      if (s[row + j]! > bestSim) {
        bestSim = s[row + j]!;
        best = j;
      }
    }
    if (best !== previous) {
      chain[length++] = best;
      continue;
    }
    length -= 2;
    const keep = Math.min(a, best);
    const gone = Math.max(a, best);
    const wk = size[keep]!;
    const wg = size[gone]!;
    for (let j = 0; j < n; j++) {
      if (!active[j] || j === keep || j === gone) continue;
      const merged = (wk * s[keep * n + j]! + wg * s[gone * n + j]!) / (wk + wg);
      s[keep * n + j] = merged;
      s[j * n + keep] = merged;
    }
    size[keep] = wk + wg;
    active[gone] = 0;
    pairs[2 * merges] = a;
    pairs[2 * merges + 1] = best;
    heights[merges] = bestSim;
    merges++;
  }
  const order = Array.from({ length: merges }, (_, t) => t).sort((x, y) => heights[y]! - heights[x]! || x - y);
  const sortedPairs = new Int32Array(pairs.length);
  const sortedHeights = new Float64Array(merges);
  order.forEach((from, to) => {
    sortedPairs[2 * to] = pairs[2 * from]!;
    sortedPairs[2 * to + 1] = pairs[2 * from + 1]!;
    sortedHeights[to] = heights[from]!;
  });
  return { points: n, pairs: sortedPairs, heights: sortedHeights };
}

function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/** Cluster ids 0..k−1 (in order of first point) after applying the first `merges` merges of the dendrogram. */
export function cutAfterMerges(d: Dendrogram, merges: number): Int32Array {
  const parent = new Int32Array(d.points);
  for (let i = 0; i < d.points; i++) parent[i] = i;
  const count = Math.max(0, Math.min(merges, d.heights.length));
  for (let t = 0; t < count; t++) {
    const a = findRoot(parent, d.pairs[2 * t]!);
    const b = findRoot(parent, d.pairs[2 * t + 1]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const labels = new Int32Array(d.points);
  const ids = new Int32Array(d.points).fill(-1);
  let next = 0;
  for (let i = 0; i < d.points; i++) {
    const root = findRoot(parent, i);
    if (ids[root] === -1) ids[root] = next++;
    labels[i] = ids[root]!;
  }
  return labels;
}

/** How many merges have a linkage similarity at or above `threshold`. */
export function mergesAbove(d: Dendrogram, threshold: number): number {
  let t = 0;
  while (t < d.heights.length && d.heights[t]! >= threshold) t++;
  return t;
}
