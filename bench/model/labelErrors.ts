/**
 * label_errors: flip 10% of the training labels (uniformly to another class, seeded), get 5-fold out-of-fold
 * probabilities (ours: `runTraining`, which unlearns each fold from one fit; the peer: scikit-learn
 * cross_val_predict over the same folds), and measure how well self-confidence ranking and confident learning
 * find the flips.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLabelIssues } from '../../shared/ml/labelIssues';
import { createRng, mixSeed } from '../../shared/ml/random';
import { predictTexts, stratifiedFolds, trainIntentModel } from '../../shared/ml/train';
import { runTraining } from '../../shared/ml/trainingRun';
import { type Row, inPeerTask, secondsSince } from './data';

export type LabelPeer = 'lr' | 'svm_calibrated';

/** How one set of out-of-fold probabilities finds the flips. */
export interface LabelErrorFigures {
  /** Share of flips among the N lowest self-confidence rows, N = number of flips. */
  precision_at_n: number;
  /** Rows confident learning flags. */
  cl_flagged: number;
  cl_precision: number;
  cl_recall: number;
  /** Wall-clock seconds of the 5-fold out-of-fold run (featurizing included). */
  kfold_s: number;
}

export interface LabelErrorResult {
  dataset: string;
  rows: number;
  flips: number;
  folds: number;
  seed: number;
  ours: LabelErrorFigures & { note: string };
  ours_refit?: LabelErrorFigures & { note: string };
  peer?: LabelErrorFigures & { model: string };
}

const PEER_DESCRIPTION: Record<LabelPeer, string> = {
  lr: 'scikit-learn TF-IDF + LogisticRegression(saga, C = 10), cross_val_predict(method="predict_proba")',
  svm_calibrated: 'scikit-learn TF-IDF + CalibratedClassifierCV(LinearSVC(C = 1), sigmoid, cv = 3), cross_val_predict(method="predict_proba")',
};

/** Replaces the label of exactly round(fraction · n) distinct rows by a uniformly drawn other label. */
export function flipLabels(labels: readonly string[], fraction: number, seed: number): { noisy: string[]; flipped: Uint8Array } {
  const classes = [...new Set(labels)].sort();
  const rng = createRng(seed);
  const noisy = [...labels];
  const flipped = new Uint8Array(labels.length);
  const target = Math.round(fraction * labels.length);
  let count = 0;
  while (count < target) {
    const r = rng.int(labels.length);
    if (flipped[r]) continue;
    const own = classes.indexOf(labels[r]!);
    noisy[r] = classes[(own + 1 + rng.int(classes.length - 1)) % classes.length]!;
    flipped[r] = 1;
    count++;
  }
  return { noisy, flipped };
}

function figuresOf(quality: Float32Array, isIssue: Uint8Array, flipped: Uint8Array, kfold_s: number): LabelErrorFigures {
  const flips = flipped.reduce((s, v) => s + v, 0);
  const order = [...quality.keys()].sort((a, b) => quality[a]! - quality[b]! || a - b);
  let hitsAtN = 0;
  for (const r of order.slice(0, flips)) hitsAtN += flipped[r]!;
  let flagged = 0;
  let hits = 0;
  for (let r = 0; r < isIssue.length; r++) {
    if (!isIssue[r]) continue;
    flagged++;
    hits += flipped[r]!;
  }
  return { precision_at_n: hitsAtN / flips, cl_flagged: flagged, cl_precision: flagged ? hits / flagged : 0, cl_recall: hits / flips, kfold_s };
}

/** Out-of-fold probabilities from k full refits on the same folds as `runTraining` (the reference unlearning approximates). */
function refitOutOfFold(texts: readonly string[], noisy: readonly string[], folds: Int32Array, k: number, seed: number): Float32Array {
  const classLabels = [...new Set(noisy)].sort();
  const classes = classLabels.length;
  const oof = new Float32Array(texts.length * classes);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let r = 0; r < texts.length; r++) (folds[r] === f ? test : train).push(r);
    const model = trainIntentModel(
      train.map((r) => texts[r]!),
      train.map((r) => noisy[r]!),
      { svm: { seed } },
    );
    const probs = predictTexts(model, test.map((r) => texts[r]!));
    const global = model.labels.map((l) => classLabels.indexOf(l));
    test.forEach((r, t) => global.forEach((g, c) => (oof[r * classes + g] = probs[t * model.classes + c]!)));
  }
  return oof;
}

/** Runs the label-error benchmark on one dataset's in-scope training rows. */
export function runLabelErrors(
  dataset: string,
  train: readonly Row[],
  options: { peer: LabelPeer | null; refit: boolean; folds?: number; seed?: number; fraction?: number },
): LabelErrorResult {
  const k = options.folds ?? 5;
  const seed = options.seed ?? 1;
  const texts = train.map((r) => r.text);
  const { noisy, flipped } = flipLabels(
    train.map((r) => r.intent),
    options.fraction ?? 0.1,
    mixSeed(seed, 0x1abe1),
  );
  const flips = flipped.reduce((s, v) => s + v, 0);
  console.error(`label_errors ${dataset}: ${texts.length} rows, ${flips} flipped`);

  const start = performance.now();
  const out = runTraining({ texts, labels: noisy, score: [], folds: k, seed });
  const ours = {
    ...figuresOf(out.labelIssues.quality, out.labelIssues.isIssue, flipped, secondsSince(start)),
    note: 'runTraining: one fit, each fold unlearned and its rows scored; label issues from a second, coarser such fit (C = 0.5, 6 passes, 2 after unlearning) through a shared Platt sigmoid, confident learning pruned by noise rate; final model, calibration and report included',
  };
  console.error(`  ours: P@N ${ours.precision_at_n.toFixed(3)}, CL ${ours.cl_flagged} flagged, P ${ours.cl_precision.toFixed(3)} R ${ours.cl_recall.toFixed(3)}, ${ours.kfold_s.toFixed(1)} s`);

  const classLabels = [...new Set(noisy)].sort();
  const y = Int32Array.from(noisy, (l) => classLabels.indexOf(l));
  // The folds runTraining deals (planTraining: stratified, seeded by mixSeed(seed, −1)), so every method sees the same split.
  const folds = stratifiedFolds(y, classLabels.length, k, createRng(mixSeed(seed, -1)));
  const result: LabelErrorResult = { dataset, rows: texts.length, flips, folds: k, seed, ours };

  if (options.refit) {
    const refitStart = performance.now();
    const oof = refitOutOfFold(texts, noisy, folds, k, seed);
    const issues = findLabelIssues(y, oof, classLabels.length);
    result.ours_refit = {
      ...figuresOf(issues.quality, issues.isIssue, flipped, secondsSince(refitStart)),
      note: 'reference: 5 full refits of our model on the same folds (what the unlearning route replaces)',
    };
    console.error(`  ours (5 refits): P@N ${result.ours_refit.precision_at_n.toFixed(3)}, CL P ${result.ours_refit.cl_precision.toFixed(3)} R ${result.ours_refit.cl_recall.toFixed(3)}, ${result.ours_refit.kfold_s.toFixed(1)} s`);
  }

  if (options.peer) {
    const peer = options.peer;
    const { meta, peerProbs } = inPeerTask(
      'label_errors',
      (dir) => {
        writeFileSync(join(dir, 'train.jsonl'), texts.map((text, r) => JSON.stringify({ text, intent: noisy[r] })).join('\n') + '\n');
        writeFileSync(join(dir, 'folds.json'), JSON.stringify([...folds]));
      },
      (dir) => {
        const raw = readFileSync(join(dir, 'oof.f32'));
        return {
          meta: JSON.parse(readFileSync(join(dir, 'label_errors.json'), 'utf8')) as { fit_s: number; classes: string[] },
          peerProbs: new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4),
        };
      },
      [peer],
    );
    const peerY = Int32Array.from(noisy, (l) => meta.classes.indexOf(l));
    const issues = findLabelIssues(peerY, peerProbs, meta.classes.length);
    result.peer = { ...figuresOf(issues.quality, issues.isIssue, flipped, meta.fit_s), model: PEER_DESCRIPTION[peer] };
    console.error(`  peer: P@N ${result.peer.precision_at_n.toFixed(3)}, CL ${result.peer.cl_flagged} flagged, P ${result.peer.cl_precision.toFixed(3)} R ${result.peer.cl_recall.toFixed(3)}, ${result.peer.kfold_s.toFixed(1)} s`);
  }
  return result;
}
