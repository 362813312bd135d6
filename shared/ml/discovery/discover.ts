import { createRng, mixSeed, sampleIndexes, type Rng } from '../random';
import { normalizedMutualInfo } from './clusterMetrics';
import { DEFAULT_EMBEDDING_OPTIONS, embedTexts, type EmbeddingOptions } from './embed';
import { foldNearDuplicates } from './fold';
import { averageLinkage, cutAfterMerges, type Dendrogram, mergesAbove } from './linkage';
import { meanPairwiseSimilarity, splitIncoherent } from './recut';

/** Tuning of the discovery method; every field has a measured default (bench/discovery). */
export interface DiscoveryOptions extends EmbeddingOptions {
  /** At most this many distinct texts enter the agglomeration (the rest join their nearest cluster). */
  readonly linkageSample: number;
  /** Average-linkage similarity at which merging stops when no labeled intents can calibrate it. */
  readonly defaultThreshold: number;
  /** A cluster smaller than this share of the median cluster (and always a singleton) is dissolved as noise. */
  readonly noiseShare: number;
  /** Calibration runs on different draws of labeled intents; the median threshold is taken. */
  readonly calibrationDraws: number;
  /** A member less similar to its centre than this share of the cluster's median member similarity is marked low-confidence. */
  readonly outlierShare: number;
  /** Calibration cuts whose NMI is within this of the best one form the plateau a cut is taken from. */
  readonly calibrationTolerance: number;
  /** Where on the within-tolerance plateau the calibrated cut lies: 0 = its coarsest cut, 1 = its finest, 0.5 = its middle. */
  readonly calibrationPlateau: number;
  /** The cohesion floor is this quantile of the known intents' cohesions (each thinned like the unknown sample). */
  readonly cohesionQuantile: number;
  /** … times this factor; 0 turns re-cutting off. */
  readonly cohesionScale: number;
  /** With a calibrated cut, only clusters holding at least this share of the sample's mass are re-cut below the floor. */
  readonly recutShare: number;
  /** Spherical k-means passes over all texts after the agglomeration. */
  readonly refineIterations: number;
}

export const DEFAULT_DISCOVERY_OPTIONS: DiscoveryOptions = {
  ...DEFAULT_EMBEDDING_OPTIONS,
  linkageSample: 2500,
  defaultThreshold: 0.2,
  noiseShare: 0.2,
  refineIterations: 0,
  calibrationTolerance: 0.03,
  calibrationPlateau: 0,
  cohesionQuantile: 0.1,
  cohesionScale: 1,
  recutShare: 0.25,
  outlierShare: 0.5,
  calibrationDraws: 1,
};

export interface DiscoveryInput {
  /** Uncovered utterance texts to cluster (raw text; duplicates allowed, they are folded). */
  readonly texts: readonly string[];
  /** Labeled utterances of the known intents; they shape the representation and how coarse a cluster should be. May be empty. */
  readonly knownTexts: readonly string[];
  readonly knownLabels: readonly string[];
  readonly seed: number;
  /** At least this many clusters when there are that many distinct texts (e.g. 2 to split a cluster); default 1. */
  readonly minClusters?: number;
  /** Overrides of the method's tuning (benchmarks). */
  readonly options?: Partial<DiscoveryOptions>;
}

export interface DiscoveredCluster {
  /** Indexes into `texts`, most typical first. */
  readonly members: Int32Array;
  /** Aligned with members: cosine similarity to the cluster centre, in [0, 1]. */
  readonly memberSimilarity: Float32Array;
  /** Aligned with members: 1 when the member was attached to its nearest cluster as noise (low confidence). */
  readonly lowConfidence: Uint8Array;
  /** Aligned with members: how many input texts were folded together with the member (itself included). */
  readonly copies: Int32Array;
  /** Mean member similarity to the centre, in [0, 1] (higher = tighter). */
  readonly cohesion: number;
  /** Up to 5 member indexes (into texts) with distinct normalized texts, most typical first. */
  readonly representatives: Int32Array;
  /** Up to 5 least typical members (distinct normalized texts), least typical first. */
  readonly outliers: Int32Array;
  /** Up to 3 known intents nearest to the cluster centre, most similar first (similarity in [0,1]). */
  readonly nearestIntents: readonly { readonly label: string; readonly similarity: number }[];
}

export interface DiscoveryResult {
  /** Largest first. Every input text is in exactly one cluster (none thrown away). */
  readonly clusters: readonly DiscoveredCluster[];
  /** Per input text: its cluster index. */
  readonly assignment: Int32Array;
  /** Distinct texts after near-duplicate folding. */
  readonly distinctTexts: number;
  /** Texts attached to a cluster with low confidence. */
  readonly lowConfidence: number;
  /** The average-linkage similarity at which merging stopped. */
  readonly threshold?: number;
  /** True when the threshold was calibrated on the labeled intents (else the default). */
  readonly calibrated?: boolean;
  /** The cohesion below which a cluster was re-cut (from the known intents), when there was one. */
  readonly cohesionFloor?: number;
}

const REPRESENTATIVES = 5;
const NEAREST_INTENTS = 3;
const MIN_CALIBRATION_INTENTS = 3;
/** Distinct labels in first-seen order and each row's label id. */
function encodeLabels(labels: readonly string[]): { names: string[]; ids: Int32Array } {
  const index = new Map<string, number>();
  const ids = new Int32Array(labels.length);
  labels.forEach((label, i) => {
    let id = index.get(label);
    if (id === undefined) index.set(label, (id = index.size));
    ids[i] = id;
  });
  return { names: [...index.keys()], ids };
}

/** Labeled rows standing in for the unknown sample: whole intents in random order, each thinned to the sample's rate. */
function drawCalibrationRows(labels: Int32Array, classes: number, targetRows: number, rate: number, rng: Rng): { rows: Int32Array; intents: number } {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((c, i) => byClass[c]!.push(i));
  const order = rng.shuffle(Array.from({ length: classes }, (_, c) => c));
  const rows: number[] = [];
  let used = 0;
  for (const c of order) {
    if (rows.length >= targetRows && used >= MIN_CALIBRATION_INTENTS) break;
    const members = rng.shuffle([...byClass[c]!]);
    const take = Math.max(2, Math.round(members.length * rate));
    rows.push(...members.slice(0, take));
    used++;
  }
  return { rows: Int32Array.from(rows.sort((a, b) => a - b)), intents: used };
}

/**
 * The linkage threshold that best reproduces the labeled intents: the drawn labeled rows are clustered the same way
 * (including the dissolving of small clusters); the cuts whose NMI against the labels is within `tolerance` of the
 * best form a plateau, and the cut at `plateau` along it (0 = coarsest) gives the threshold. Null when fewer than
 * three intents take part.
 */
function calibrateThreshold(known: Float32Array, dims: number, labels: Int32Array, drawn: { rows: Int32Array; intents: number }, options: DiscoveryOptions): number | null {
  const sample = drawn.rows;
  if (drawn.intents < MIN_CALIBRATION_INTENTS || sample.length < 6) return null;
  const truth = Int32Array.from(sample, (r) => labels[r]!);
  const unitWeights = new Float64Array(known.length / dims).fill(1);
  const dendrogram = averageLinkage(known, dims, sample, unitWeights);
  const n = sample.length;
  const candidates: number[] = [];
  const scores: number[] = [];
  let k = 1;
  while (k < n) {
    const merges = n - k;
    const settled = settlePartition(known, dims, sample, cutAfterMerges(dendrogram, merges), unitWeights, options.noiseShare).labels;
    candidates.push(merges);
    scores.push(normalizedMutualInfo(settled, truth));
    k = Math.max(k + 1, Math.floor(k * 1.08));
  }
  const bestScore = Math.max(...scores);
  const plateau = candidates.filter((_, c) => scores[c]! >= bestScore - options.calibrationTolerance);
  return thresholdAfter(dendrogram, plateau[Math.round(clamp01(options.calibrationPlateau) * (plateau.length - 1))]!);
}

/**
 * How coherent a known intent is: the `quantile` of the drawn intents' mean pairwise cosine similarities. Null when
 * no drawn intent has two rows.
 */
function cohesionFloor(known: Float32Array, dims: number, labels: Int32Array, rows: Int32Array, quantile: number): number | null {
  const sums = new Map<number, { sum: Float64Array; count: number }>();
  for (const r of rows) {
    const c = labels[r]!;
    let entry = sums.get(c);
    if (!entry) sums.set(c, (entry = { sum: new Float64Array(dims), count: 0 }));
    for (let j = 0; j < dims; j++) entry.sum[j] = entry.sum[j]! + known[r * dims + j]!;
    entry.count++;
  }
  const cohesions: number[] = [];
  for (const { sum, count } of sums.values()) {
    if (count < 2) continue;
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += sum[j]! ** 2;
    cohesions.push(meanPairwiseSimilarity(norm, count));
  }
  if (cohesions.length === 0) return null;
  cohesions.sort((a, b) => a - b);
  return cohesions[Math.min(cohesions.length - 1, Math.floor(clamp01(quantile) * cohesions.length))]!;
}

/** A similarity between the last merge applied and the next one, nearer the former (unseen stragglers stay apart). */
function thresholdAfter(d: Dendrogram, merges: number): number {
  if (merges <= 0) return d.heights.length > 0 ? d.heights[0]! + 1e-6 : 1;
  if (merges >= d.heights.length) return d.heights[d.heights.length - 1]! - 1e-6;
  return d.heights[merges]! + 0.75 * (d.heights[merges - 1]! - d.heights[merges]!);
}

/** Unit-length weighted centroids (k × dims) of the points with a cluster id ≥ 0. */
function centroidsOf(vectors: Float32Array, dims: number, clusterOf: Int32Array, weights: Float64Array, k: number): Float64Array {
  const centres = new Float64Array(k * dims);
  for (let i = 0; i < clusterOf.length; i++) {
    const c = clusterOf[i]!;
    if (c < 0) continue;
    const w = weights[i]!;
    for (let j = 0; j < dims; j++) centres[c * dims + j] = centres[c * dims + j]! + w * vectors[i * dims + j]!;
  }
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += centres[c * dims + j]! ** 2;
    if (norm <= 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < dims; j++) centres[c * dims + j] = centres[c * dims + j]! * inv;
  }
  return centres;
}

/** Per point: its most similar centre and the similarity (ties go to the lower centre index). */
function nearestCentres(vectors: Float32Array, dims: number, points: number, centres: Float64Array, k: number, best: Int32Array, bestSim: Float64Array): void {
  for (let i = 0; i < points; i++) {
    let b = 0;
    let bs = -Infinity;
    const o = i * dims;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      const oc = c * dims;
      for (let j = 0; j < dims; j++) dot += vectors[o + j]! * centres[oc + j]!;
      if (dot > bs) {
        bs = dot;
        b = c;
      }
    }
    best[i] = b;
    bestSim[i] = bs;
  }
}

/** Renumbers cluster ids ≥ 0 to 0..k−1 in order of first appearance; returns k. */
function compactIds(clusterOf: Int32Array): number {
  const map = new Map<number, number>();
  for (let i = 0; i < clusterOf.length; i++) {
    const c = clusterOf[i]!;
    if (c < 0) continue;
    let id = map.get(c);
    if (id === undefined) map.set(c, (id = map.size));
    clusterOf[i] = id;
  }
  return map.size;
}

/** Marks clusters too small to stand alone (noise) by setting their points to −1; returns how many were dissolved. */
function dissolveSmallClusters(clusterOf: Int32Array, weights: Float64Array, k: number, share: number): number {
  const mass = new Float64Array(k);
  for (let i = 0; i < clusterOf.length; i++) if (clusterOf[i]! >= 0) mass[clusterOf[i]!] = mass[clusterOf[i]!]! + weights[i]!;
  const plural = Array.from(mass).filter((m) => m >= 2).sort((a, b) => a - b);
  const median = plural.length > 0 ? plural[Math.floor(plural.length / 2)]! : 0;
  const minimum = Math.max(2, share * median);
  let largest = 0;
  for (let c = 1; c < k; c++) if (mass[c]! > mass[largest]!) largest = c;
  let dissolved = 0;
  const gone = new Uint8Array(k);
  for (let c = 0; c < k; c++) {
    if (c !== largest && mass[c]! < minimum) {
      gone[c] = 1;
      dissolved++;
    }
  }
  for (let i = 0; i < clusterOf.length; i++) if (clusterOf[i]! >= 0 && gone[clusterOf[i]!]) clusterOf[i] = -1;
  return dissolved;
}

/**
 * Dissolves clusters too small to stand alone and attaches their points to the nearest remaining centre. `labels` are
 * per listed point (rows of `vectors`); returns the settled labels (compact ids) and a low-confidence mark per point.
 */
function settlePartition(vectors: Float32Array, dims: number, points: Int32Array, labels: Int32Array, weights: Float64Array, noiseShare: number): { labels: Int32Array; low: Uint8Array; k: number } {
  const settled = Int32Array.from(labels);
  const pointWeights = Float64Array.from(points, (p) => weights[p]!);
  let k = compactIds(settled);
  dissolveSmallClusters(settled, pointWeights, k, noiseShare);
  const low = new Uint8Array(points.length);
  k = compactIds(settled);
  const centres = new Float64Array(k * dims);
  for (let t = 0; t < points.length; t++) {
    const c = settled[t]!;
    if (c < 0) continue;
    const o = points[t]! * dims;
    for (let j = 0; j < dims; j++) centres[c * dims + j] = centres[c * dims + j]! + pointWeights[t]! * vectors[o + j]!;
  }
  for (let t = 0; t < points.length; t++) {
    if (settled[t]! >= 0) continue;
    low[t] = 1;
    const o = points[t]! * dims;
    let best = 0;
    let bestSim = -Infinity;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      let norm = 0;
      for (let j = 0; j < dims; j++) {
        dot += vectors[o + j]! * centres[c * dims + j]!;
        norm += centres[c * dims + j]! ** 2;
      }
      const sim = norm > 0 ? dot / Math.sqrt(norm) : 0;
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    settled[t] = best;
  }
  return { labels: settled, low, k };
}

/** How the sample's cut is chosen. */
interface CutChoice {
  /** Threshold calibrated on the known intents, or null. */
  readonly calibrated: number | null;
  /** Cohesion below which a cluster is re-cut, or null (no known intent to learn it from). */
  readonly floor: number | null;
  readonly defaultThreshold: number;
  readonly minClusters: number;
  readonly noiseShare: number;
  readonly recutShare: number;
}

/**
 * Average linkage over the sample, cut at the calibrated threshold; clusters of at least `recutShare` of the mass that
 * are less coherent than the known intents (cohesion below the floor) are then split top-down. With a floor but no
 * calibration (one or two known intents), the whole dendrogram is split top-down by the floor; with neither, it is
 * cut at the default threshold. When fewer than `minClusters` clusters remain, fewer merges are applied until there
 * are enough (finally without dissolving small clusters).
 */
function clusterSample(vectors: Float32Array, dims: number, sample: Int32Array, weights: Float64Array, choice: CutChoice): { labels: Int32Array; low: Uint8Array; k: number; threshold: number } {
  const n = sample.length;
  const dendrogram = averageLinkage(vectors, dims, sample, weights);
  const settle = (labels: Int32Array) => settlePartition(vectors, dims, sample, labels, weights, choice.noiseShare);
  let threshold = choice.calibrated ?? choice.defaultThreshold;
  let merges = mergesAbove(dendrogram, threshold);
  let settled: { labels: Int32Array; low: Uint8Array; k: number };
  if (choice.floor === null) settled = settle(cutAfterMerges(dendrogram, merges));
  else {
    let mass = 0;
    for (const p of sample) mass += weights[p]!;
    const fromRoot = choice.calibrated === null;
    if (fromRoot) merges = n - 1;
    const recut = splitIncoherent(dendrogram, vectors, dims, sample, weights, merges, choice.floor, fromRoot ? 2 : Math.max(2, choice.recutShare * mass));
    if (fromRoot) threshold = recut.lowestKept;
    settled = settle(recut.labels);
  }
  while (settled.k < choice.minClusters && merges > 0) {
    merges = Math.max(0, Math.min(merges, n - settled.k) - Math.max(1, Math.floor(merges * 0.1)));
    settled = settle(cutAfterMerges(dendrogram, merges));
    threshold = thresholdAfter(dendrogram, merges);
  }
  if (settled.k >= choice.minClusters) return { ...settled, threshold };
  const labels = cutAfterMerges(dendrogram, n - choice.minClusters);
  return { labels, low: new Uint8Array(n), k: choice.minClusters, threshold };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * Groups uncovered utterances into candidate intents. Near-duplicates are folded (their counts become weights);
 * utterances are embedded by TF-IDF n-grams re-weighted by the labeled intents and reduced by LSA; a sample is
 * clustered by average linkage, cut at the similarity that best reproduces the labeled intents when clustered the
 * same way (so the labeled intents teach how coarse an intent is; a default threshold without them); clusters too
 * small to stand alone are dissolved and their texts attached to the nearest cluster with a low-confidence mark;
 * texts outside the sample join their nearest cluster (optionally refined by spherical k-means passes), and members far
 * less typical than their cluster's median are marked low-confidence too. Nothing is thrown away. Deterministic for a given seed.
 * References: Lin, Xu, Zhang (2020), "Discovering new intents via constrained deep adaptive clustering with cluster
 * refinement" (known intents guide the clustering of unknown ones); Zhang et al. (2021), "Discovering new intents with
 * deep aligned clustering" (choosing k).
 */
export function discoverClusters(input: DiscoveryInput, onProgress?: (done: number) => void): DiscoveryResult {
  const options: DiscoveryOptions = { ...DEFAULT_DISCOVERY_OPTIONS, ...input.options };
  const report = (done: number): void => onProgress?.(done);
  const texts = input.texts;
  if (texts.length === 0) {
    report(1);
    return { clusters: [], assignment: new Int32Array(0), distinctTexts: 0, lowConfidence: 0 };
  }
  const folded = foldNearDuplicates(texts);
  const n = folded.distinct.length;
  const weights = folded.counts;
  report(0.05);
  const rng = createRng(mixSeed(input.seed, 0x5eed));
  const { names: intentNames, ids: knownIds } = encodeLabels(input.knownLabels.slice(0, input.knownTexts.length));
  const knownTexts = input.knownTexts.slice(0, knownIds.length);
  const classes = intentNames.length;
  const embedding = embedTexts(folded.distinct, knownTexts, knownIds, classes, rng, options);
  const dims = embedding.dims;
  const vectors = embedding.unknown;
  report(0.4);

  const sample = sampleIndexes(n, options.linkageSample, createRng(mixSeed(input.seed, 1)));
  const rate = sample.length / n;
  const draws: number[] = [];
  let floor: number | null = null;
  for (let d = 0; d < Math.max(1, options.calibrationDraws) && classes >= 1; d++) {
    const drawn = drawCalibrationRows(knownIds, classes, sample.length, rate, createRng(mixSeed(input.seed, 2 + d)));
    const calibrated = calibrateThreshold(embedding.known, dims, knownIds, drawn, options);
    if (calibrated !== null) draws.push(calibrated);
    if (d === 0 && options.cohesionScale > 0) {
      const q = cohesionFloor(embedding.known, dims, knownIds, drawn.rows, options.cohesionQuantile);
      floor = q === null ? null : q * options.cohesionScale;
    }
  }
  draws.sort((a, b) => a - b);
  const calibrated = draws.length > 0 ? draws[draws.length >> 1]! : null;
  report(0.6);

  const clusterOf = new Int32Array(n).fill(-1);
  const low = new Uint8Array(n);
  const inSample = new Uint8Array(n);
  for (let t = 0; t < sample.length; t++) inSample[sample[t]!] = 1;
  const choice: CutChoice = {
    calibrated,
    floor,
    defaultThreshold: options.defaultThreshold,
    minClusters: Math.min(input.minClusters ?? 1, sample.length),
    noiseShare: options.noiseShare,
    recutShare: options.recutShare,
  };
  const settled = n > 1 ? clusterSample(vectors, dims, sample, weights, choice) : { ...settlePartition(vectors, dims, sample, new Int32Array(1), weights, options.noiseShare), threshold: options.defaultThreshold };
  const threshold = settled.threshold;
  report(0.8);
  for (let t = 0; t < sample.length; t++) {
    clusterOf[sample[t]!] = settled.labels[t]!;
    low[sample[t]!] = settled.low[t]!;
  }
  let k = settled.k;
  const best = new Int32Array(n);
  const bestSim = new Float64Array(n);
  let centres = centroidsOf(vectors, dims, clusterOf, weights, k);
  if (sample.length < n) nearestCentres(vectors, dims, n, centres, k, best, bestSim);
  for (let i = 0; i < n; i++) {
    if (clusterOf[i] !== -1) continue;
    clusterOf[i] = best[i]!;
    if (!inSample[i] && bestSim[i]! < threshold) low[i] = 1;
  }
  for (let it = 0; it < options.refineIterations && k > 1; it++) {
    centres = centroidsOf(vectors, dims, clusterOf, weights, k);
    nearestCentres(vectors, dims, n, centres, k, best, bestSim);
    clusterOf.set(best);
    k = compactIds(clusterOf);
  }
  centres = centroidsOf(vectors, dims, clusterOf, weights, k);
  report(0.95);

  const result = buildResult(folded.groupOf, folded.firstIndex, folded.counts, vectors, dims, clusterOf, low, centres, k, embedding.known, knownIds, intentNames, options.outlierShare);
  report(1);
  return { ...result, threshold, calibrated: calibrated !== null, ...(floor !== null ? { cohesionFloor: floor } : {}) };
}

function buildResult(
  groupOf: Int32Array,
  firstIndex: Int32Array,
  counts: ArrayLike<number>,
  vectors: Float32Array,
  dims: number,
  clusterOf: Int32Array,
  low: Uint8Array,
  centres: Float64Array,
  k: number,
  known: Float32Array,
  knownIds: Int32Array,
  intentNames: readonly string[],
  outlierShare: number,
): Pick<DiscoveryResult, 'clusters' | 'assignment' | 'distinctTexts' | 'lowConfidence'> {
  const n = clusterOf.length;
  const similarity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = clusterOf[i]!;
    let dot = 0;
    for (let j = 0; j < dims; j++) dot += vectors[i * dims + j]! * centres[c * dims + j]!;
    similarity[i] = clamp01(dot);
  }
  const intentCentres = centroidsOf(known, dims, knownIds, new Float64Array(knownIds.length).fill(1), intentNames.length);
  const membersOf: number[][] = Array.from({ length: k }, () => []);
  for (let t = 0; t < groupOf.length; t++) membersOf[clusterOf[groupOf[t]!]!]!.push(t);
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => membersOf[b]!.length - membersOf[a]!.length || membersOf[a]![0]! - membersOf[b]![0]!);
  const assignment = new Int32Array(groupOf.length);
  let lowCount = 0;
  const clusters: DiscoveredCluster[] = order.map((c, rank) => {
    const members = membersOf[c]!.sort((a, b) => similarity[groupOf[b]!]! - similarity[groupOf[a]!]! || a - b);
    const memberSimilarity = Float32Array.from(members, (t) => similarity[groupOf[t]!]!);
    const median = memberSimilarity[members.length >> 1]!;
    const lowConfidence = Uint8Array.from(members, (t, m) => (low[groupOf[t]!]! || memberSimilarity[m]! < outlierShare * median ? 1 : 0));
    let sum = 0;
    for (let m = 0; m < members.length; m++) {
      assignment[members[m]!] = rank;
      sum += memberSimilarity[m]!;
      lowCount += lowConfidence[m]!;
    }
    const groups: number[] = [];
    for (const t of members) {
      const g = groupOf[t]!;
      if (firstIndex[g] === t) groups.push(g);
    }
    const representatives = Int32Array.from(groups.slice(0, REPRESENTATIVES), (g) => firstIndex[g]!);
    const outliers = Int32Array.from(groups.slice(-REPRESENTATIVES).reverse(), (g) => firstIndex[g]!);
    const nearestIntents = intentNames
      .map((label, q) => {
        let dot = 0;
        for (let j = 0; j < dims; j++) dot += centres[c * dims + j]! * intentCentres[q * dims + j]!;
        return { label, similarity: clamp01(dot) };
      })
      .sort((a, b) => b.similarity - a.similarity || (a.label < b.label ? -1 : 1))
      .slice(0, NEAREST_INTENTS);
    const copies = Int32Array.from(members, (t) => counts[groupOf[t]!]!);
    return { members: Int32Array.from(members), memberSimilarity, lowConfidence, copies, cohesion: sum / members.length, representatives, outliers, nearestIntents };
  });
  return { clusters, assignment, distinctTexts: n, lowConfidence: lowCount };
}
