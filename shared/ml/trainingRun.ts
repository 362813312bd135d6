import { type LabelIssues, findLabelIssues } from './labelIssues';
import { accuracy, argmaxRows, expectedCalibrationErrorOfProbs, macroF1, perClassScores } from './metrics';
import { createRng, mixSeed } from './random';
import { type IntentModel, predictTexts, stratifiedFolds, trainIntentModel, type TrainOptions } from './train';
import { topTwo } from './uncertainty';

/** What a training run needs: labeled texts (the label is an intent id) and the texts to score afterwards. */
export interface TrainingInput {
  readonly texts: readonly string[];
  readonly labels: readonly string[];
  readonly score: readonly string[];
  readonly folds: number;
  readonly seed: number;
  readonly options?: Partial<TrainOptions>;
}

/** Stages a run reports, with the share done in [0, 1]. */
export type TrainingPhase = 'folds' | 'final' | 'scoring';

export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

export interface IntentScore {
  readonly intentId: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface ConfusedPair {
  readonly actual: string;
  readonly predicted: string;
  readonly count: number;
}

/** The k-fold (out-of-fold) evaluation of a run. */
export interface EvaluationReport {
  readonly examples: number;
  readonly intents: number;
  readonly folds: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly ece: number;
  readonly perIntent: readonly IntentScore[];
  readonly confusedPairs: readonly ConfusedPair[];
  readonly reliability: readonly ReliabilityBin[];
}

/** Per-utterance results over `score`, index-aligned: top-two intents (class indexes into model.labels) and probabilities. */
export interface ScoredTexts {
  readonly first: Int32Array;
  readonly firstProb: Float32Array;
  readonly second: Int32Array;
  readonly secondProb: Float32Array;
}

export interface TrainingOutput {
  readonly model: IntentModel;
  readonly report: EvaluationReport;
  readonly scored: ScoredTexts;
  /** Confident-learning results over the labeled texts (out-of-fold), index-aligned with `texts`. */
  readonly labelIssues: LabelIssues;
  /** Out-of-fold top class of each labeled text (index into model.labels), for disagreement queues. */
  readonly outOfFoldPrediction: Int32Array;
}

/**
 * Trains k models on k−1 folds for honest out-of-fold probabilities (evaluation and label-issue detection),
 * then the final model on every example, then scores `score`. Deterministic for `seed`.
 * Label issues need out-of-sample probabilities: that is what the folds are for.
 */
export function runTraining(input: TrainingInput, onProgress: (phase: TrainingPhase, done: number) => void = () => undefined): TrainingOutput {
  const classLabels = [...new Set(input.labels)].sort();
  const classOf = new Map(classLabels.map((l, c) => [l, c]));
  const classes = classLabels.length;
  const y = Int32Array.from(input.labels, (l) => classOf.get(l)!);
  const k = Math.max(2, input.folds);
  const folds = stratifiedFolds(y, classes, k, createRng(mixSeed(input.seed, 17)));
  const oof = new Float32Array(y.length * classes);
  const evaluated = new Uint8Array(y.length);
  for (let f = 0; f < k; f++) {
    onProgress('folds', f / k);
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let r = 0; r < y.length; r++) (folds[r] === f ? testRows : trainRows).push(r);
    if (testRows.length === 0) continue;
    const foldModel = trainIntentModel(
      trainRows.map((r) => input.texts[r]!),
      trainRows.map((r) => input.labels[r]!),
      { ...input.options, svm: { ...input.options?.svm, seed: input.seed } },
    );
    const probs = predictTexts(foldModel, testRows.map((r) => input.texts[r]!));
    const local = foldModel.labels.map((l) => classOf.get(l)!);
    testRows.forEach((r, t) => {
      evaluated[r] = 1;
      for (let c = 0; c < local.length; c++) oof[r * classes + local[c]!] = probs[t * local.length + c]!;
    });
  }
  onProgress('final', 0);
  const model = trainIntentModel(input.texts, input.labels, { ...input.options, svm: { ...input.options?.svm, seed: input.seed } });
  onProgress('scoring', 0);
  const scored = topTwo(predictTexts(model, input.score), model.classes);
  onProgress('scoring', 1);
  const rows = [...evaluated.keys()].filter((r) => evaluated[r] === 1);
  return {
    model,
    report: evaluate(
      pickRows(oof, classes, rows),
      Int32Array.from(rows, (r) => y[r]!),
      classLabels,
      k,
    ),
    scored,
    labelIssues: findLabelIssues(y, oof, classes),
    outOfFoldPrediction: argmaxRows(oof, classes),
  };
}

function pickRows(matrix: Float32Array, classes: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * classes);
  rows.forEach((r, t) => out.set(matrix.subarray(r * classes, (r + 1) * classes), t * classes));
  return out;
}

/** Accuracy, macro-F1, per-intent scores, the most confused pairs, ECE and a 10-bin reliability table. */
export function evaluate(probs: Float32Array, truth: Int32Array, labels: readonly string[], folds: number): EvaluationReport {
  const classes = labels.length;
  const predicted = argmaxRows(probs, classes);
  const per = perClassScores(predicted, truth, classes);
  const confusion = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i] === truth[i]) continue;
    const key = truth[i]! * classes + predicted[i]!;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
  }
  const confusedPairs = [...confusion]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, 20)
    .map(([key, count]) => ({ actual: labels[Math.floor(key / classes)]!, predicted: labels[key % classes]!, count }));
  return {
    examples: truth.length,
    intents: classes,
    folds,
    accuracy: accuracy(predicted, truth),
    macroF1: macroF1(predicted, truth, classes),
    ece: expectedCalibrationErrorOfProbs(probs, classes, truth),
    perIntent: labels.map((intentId, c) => ({ intentId, precision: per.precision[c]!, recall: per.recall[c]!, f1: per.f1[c]!, support: per.support[c]! })),
    confusedPairs,
    reliability: reliabilityBins(probs, classes, truth, predicted, 10),
  };
}

function reliabilityBins(probs: Float32Array, classes: number, truth: Int32Array, predicted: Int32Array, bins: number): ReliabilityBin[] {
  const count = new Int32Array(bins);
  const conf = new Float64Array(bins);
  const hits = new Int32Array(bins);
  for (let i = 0; i < truth.length; i++) {
    const p = probs[i * classes + predicted[i]!]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]!++;
    conf[b]! += p;
    if (predicted[i] === truth[i]) hits[b]!++;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b]!,
    meanConfidence: count[b]! ? conf[b]! / count[b]! : 0,
    accuracy: count[b]! ? hits[b]! / count[b]! : 0,
  }));
}
