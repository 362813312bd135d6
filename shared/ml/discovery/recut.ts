/** Top-down re-cutting of a dendrogram cut: clusters less coherent than the known intents are split into their two branches. */
import type { Dendrogram } from './linkage';

/** The tree of a dendrogram: node ids < points are points, node `points + t` is merge t. */
interface MergeTree {
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Per node: total weight of its points. */
  readonly mass: Float64Array;
  /** Per node: the weighted sum of its points' unit vectors (nodes × dims). */
  readonly sums: Float64Array;
}

function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

function buildTree(d: Dendrogram, vectors: Float32Array, dims: number, rows: Int32Array, weights: Float64Array): MergeTree {
  const n = d.points;
  const merges = d.heights.length;
  const nodes = n + merges;
  const left = new Int32Array(merges);
  const right = new Int32Array(merges);
  const mass = new Float64Array(nodes);
  const sums = new Float64Array(nodes * dims);
  const parent = new Int32Array(n);
  const nodeOfRoot = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    parent[i] = i;
    nodeOfRoot[i] = i;
    const w = weights[rows[i]!]!;
    mass[i] = w;
    const o = rows[i]! * dims;
    for (let j = 0; j < dims; j++) sums[i * dims + j] = w * vectors[o + j]!;
  }
  for (let t = 0; t < merges; t++) {
    const a = findRoot(parent, d.pairs[2 * t]!);
    const b = findRoot(parent, d.pairs[2 * t + 1]!);
    const node = n + t;
    left[t] = nodeOfRoot[a]!;
    right[t] = nodeOfRoot[b]!;
    mass[node] = mass[left[t]!]! + mass[right[t]!]!;
    for (let j = 0; j < dims; j++) sums[node * dims + j] = sums[left[t]! * dims + j]! + sums[right[t]! * dims + j]!;
    const root = Math.min(a, b);
    parent[Math.max(a, b)] = root;
    nodeOfRoot[root] = node;
  }
  return { left, right, mass, sums };
}

/**
 * Mean cosine similarity over the pairs of texts a group of unit vectors stands for, (|Σ w·v|² − W) / (W (W − 1)) with
 * W = Σ w (copies of one text count as pairs of similarity 1); unlike the similarity to the centre, it does not grow
 * as the group shrinks. 1 for a group of one text.
 */
export function meanPairwiseSimilarity(squaredSumNorm: number, mass: number): number {
  return mass > 1 ? (squaredSumNorm - mass) / (mass * (mass - 1)) : 1;
}

function cohesionOf(tree: MergeTree, node: number, dims: number): number {
  let norm = 0;
  for (let j = 0; j < dims; j++) norm += tree.sums[node * dims + j]! ** 2;
  return meanPairwiseSimilarity(norm, tree.mass[node]!);
}

/** The re-cut partition: a cluster id per listed point, and the lowest linkage similarity inside a kept cluster (1 when none). */
export interface Recut {
  readonly labels: Int32Array;
  readonly k: number;
  readonly lowestKept: number;
  readonly splits: number;
}

/**
 * Starts from the cut after `merges` merges and splits, top-down, every cluster of mass ≥ `minMass` whose cohesion
 * (mean pairwise cosine similarity of its texts, see meanPairwiseSimilarity) is below `floor` into the two branches that formed
 * it, until every cluster is coherent enough or too small to split. Ids are in order of the first point.
 * References: divisive reading of an average-linkage dendrogram with an internal validity floor (cf. Jain & Dubes
 * (1988), "Algorithms for Clustering Data", cluster validity of hierarchical cuts).
 */
export function splitIncoherent(d: Dendrogram, vectors: Float32Array, dims: number, rows: Int32Array, weights: Float64Array, merges: number, floor: number, minMass: number): Recut {
  const n = d.points;
  const tree = buildTree(d, vectors, dims, rows, weights);
  const applied = Math.max(0, Math.min(merges, d.heights.length));
  const parent = new Int32Array(n);
  const nodeOfRoot = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    parent[i] = i;
    nodeOfRoot[i] = i;
  }
  for (let t = 0; t < applied; t++) {
    const a = findRoot(parent, d.pairs[2 * t]!);
    const b = findRoot(parent, d.pairs[2 * t + 1]!);
    const root = Math.min(a, b);
    parent[Math.max(a, b)] = root;
    nodeOfRoot[root] = n + t;
  }
  const stack: number[] = [];
  for (let i = 0; i < n; i++) if (findRoot(parent, i) === i) stack.push(nodeOfRoot[i]!);
  const kept: number[] = [];
  let splits = 0;
  let lowestKept = 1;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node >= n && tree.mass[node]! >= minMass && cohesionOf(tree, node, dims) < floor) {
      stack.push(tree.left[node - n]!, tree.right[node - n]!);
      splits++;
      continue;
    }
    kept.push(node);
    if (node >= n) lowestKept = Math.min(lowestKept, d.heights[node - n]!);
  }
  const labels = new Int32Array(n);
  const members: number[] = [];
  kept.forEach((root, c) => {
    members.push(root);
    while (members.length > 0) {
      const node = members.pop()!;
      if (node < n) labels[node] = c;
      else members.push(tree.left[node - n]!, tree.right[node - n]!);
    }
  });
  return { labels, k: kept.length, lowestKept, splits };
}
