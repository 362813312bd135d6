/**
 * active_learning, simulated: the in-scope training split is the pool (its texts are known, labels hidden),
 * the test split measures in-scope accuracy. Start from 2 labels per intent, add 2% of the pool per round for
 * 15 rounds, retraining each round; strategies pick which pool rows get labeled next.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectRows } from '../../shared/ml/csr';
import { type CsrMatrix, type Featurizer, fitFeaturizer, transformTexts } from '../../shared/ml/featurize';
import { labelsToReach } from '../../shared/ml/learningCurve';
import { accuracy, argmaxRows } from '../../shared/ml/metrics';
import { createRng, mixSeed } from '../../shared/ml/random';
import { decisionScores, type LinearScorer, trainLinearSvm } from '../../shared/ml/train';
import { rankInformative } from '../../shared/ml/rankQueues';
import { marginScores, topTwo } from '../../shared/ml/uncertainty';
import { OOS, type Row, inPeerTask, samplePerClass, secondsSince } from './data';

/** random; margin alone; informative = the app's Most informative ranking (`rankInformative`, as shipped). */
export const STRATEGIES = ['random', 'margin', 'informative'] as const;
export type Strategy = (typeof STRATEGIES)[number];

interface Pool {
  readonly x: CsrMatrix;
  readonly texts: readonly string[];
  readonly featurizer: Featurizer;
}

export interface Curve {
  labels: number[];
  acc: number[];
  /** Labels at which the curve first reaches 95% of full-data accuracy (linear interpolation), or null. */
  labels_to_95: number | null;
}

export interface ActiveLearningResult {
  dataset: string;
  pool: number;
  test: number;
  initial: number;
  batch: number;
  rounds: number;
  full_acc: number;
  target_acc: number;
  seconds: number;
  ours: Partial<Record<Strategy, Curve>>;
  /** Curves of strategies the code no longer has, kept from the run before they were removed, for comparison. */
  retired?: Record<string, Curve>;
  peer?: { model: string; full_acc: number; target_acc: number; seconds: number; curves: Record<string, Curve> };
}

function testAccuracy(scorer: LinearScorer, xTest: CsrMatrix, yTest: Int32Array): number {
  return accuracy(argmaxRows(decisionScores(scorer, xTest), scorer.classes), yTest);
}

function pickNext(strategy: Strategy, scorer: LinearScorer, pool: Pool, labeled: Uint8Array, batch: number, rng: ReturnType<typeof createRng>): Int32Array {
  const rest = Int32Array.from([...labeled.keys()].filter((r) => labeled[r] === 0));
  if (strategy === 'random') return Int32Array.from(rng.shuffle([...rest]).slice(0, batch));
  if (strategy === 'margin') {
    const margins = marginScores(decisionScores(scorer, selectRows(pool.x, rest)), scorer.classes);
    const order = [...rest.keys()].sort((a, b) => margins[a]! - margins[b]! || a - b);
    return Int32Array.from(order.slice(0, batch), (t) => rest[t]!);
  }
  // The app ranks on calibrated probabilities; the bench's model has no calibration step, so the top two decision
  // scores stand in for them (the same margin order as 'margin').
  const top = topTwo(decisionScores(scorer, pool.x), scorer.classes);
  const order = rankInformative({ firstProb: top.firstProb, secondProb: top.secondProb, texts: pool.texts, featurizer: pool.featurizer, labeled });
  const picked: number[] = [];
  for (let k = 0; k < order.length && picked.length < batch; k++) if (labeled[order[k]!] === 0) picked.push(order[k]!);
  return Int32Array.from(picked);
}

/** Runs every strategy of ours (and the LinearSVC peer's margin and random when `peer`) on one dataset. */
export function runActiveLearning(
  dataset: string,
  train: readonly Row[],
  test: readonly Row[],
  options: { strategies: readonly Strategy[]; peer: boolean; rounds?: number; batchShare?: number; seed?: number },
): ActiveLearningResult {
  const started = performance.now();
  const rounds = options.rounds ?? 15;
  const seed = options.seed ?? 1;
  const inScope = test.filter((r) => r.intent !== OOS);
  const classLabels = [...new Set(train.map((r) => r.intent))].sort();
  const classOf = new Map(classLabels.map((l, c) => [l, c]));
  const yPool = Int32Array.from(train, (r) => classOf.get(r.intent)!);
  const yTest = Int32Array.from(inScope, (r) => classOf.get(r.intent) ?? -1);
  const poolTexts = train.map((r) => r.text);
  const featurizer = fitFeaturizer(poolTexts);
  const xPool = transformTexts(featurizer, poolTexts);
  const pool: Pool = { x: xPool, texts: poolTexts, featurizer };
  const xTest = transformTexts(featurizer, inScope.map((r) => r.text));
  const batch = Math.round((options.batchShare ?? 0.02) * train.length);
  const initial = samplePerClass(
    train.map((r) => r.intent),
    2,
    mixSeed(seed, 0xa1),
  );
  const svm = { seed: 1 };
  const full = trainLinearSvm(xPool, yPool, classLabels.length, svm).scorer;
  const full_acc = testAccuracy(full, xTest, yTest);
  const target_acc = 0.95 * full_acc;
  console.error(`active_learning ${dataset}: pool ${train.length}, batch ${batch}, full-data accuracy ${(full_acc * 100).toFixed(2)}%`);
  const ours: Partial<Record<Strategy, Curve>> = {};
  for (const strategy of options.strategies) {
    const rng = createRng(mixSeed(seed, 0x5e1ec7));
    const labeled = new Uint8Array(train.length);
    for (const r of initial) labeled[r] = 1;
    const labels: number[] = [];
    const acc: number[] = [];
    for (let round = 0; ; round++) {
      const rows = Int32Array.from([...labeled.keys()].filter((r) => labeled[r] === 1));
      const scorer = trainLinearSvm(selectRows(xPool, rows), Int32Array.from(rows, (r) => yPool[r]!), classLabels.length, svm).scorer;
      labels.push(rows.length);
      acc.push(testAccuracy(scorer, xTest, yTest));
      if (round === rounds) break;
      for (const r of pickNext(strategy, scorer, pool, labeled, batch, rng)) labeled[r] = 1;
    }
    ours[strategy] = { labels, acc, labels_to_95: labelsToReach(labels, acc, target_acc) };
    console.error(`  ours ${strategy}: ${acc.map((a) => (a * 100).toFixed(1)).join(' ')}`);
  }
  const result: ActiveLearningResult = {
    dataset,
    pool: train.length,
    test: inScope.length,
    initial: initial.length,
    batch,
    rounds,
    full_acc,
    target_acc,
    seconds: secondsSince(started),
    ours,
  };
  if (options.peer) {
    const spec = {
      pool: poolTexts,
      pool_labels: train.map((r) => r.intent),
      test: inScope.map((r) => r.text),
      test_labels: inScope.map((r) => r.intent),
      initial,
      batch,
      rounds,
      strategies: ['random', 'margin'],
      seed,
    };
    const raw = inPeerTask(
      'active_learning',
      (dir) => writeFileSync(join(dir, 'al.json'), JSON.stringify(spec)),
      (dir) =>
        JSON.parse(readFileSync(join(dir, 'active_learning.json'), 'utf8')) as {
          full_acc: number;
          seconds: number;
          random: { labels: number[]; acc: number[] };
          margin: { labels: number[]; acc: number[] };
        },
    );
    const peerTarget = 0.95 * raw.full_acc;
    const curves: Record<string, Curve> = {};
    for (const name of ['random', 'margin'] as const) curves[name] = { ...raw[name], labels_to_95: labelsToReach(raw[name].labels, raw[name].acc, peerTarget) };
    result.peer = { model: 'scikit-learn TF-IDF (fit on the pool) + LinearSVC(C = 1); margin = top-1 − top-2 decision score', full_acc: raw.full_acc, target_acc: peerTarget, seconds: raw.seconds, curves };
  }
  return result;
}
