import { fitTemperature, softmaxInPlace } from './calibrate';
import { selectDenseRows, selectRows, stackRows } from './csr';
import {
  CONTEXT_GROUP_WEIGHTS,
  type CsrMatrix,
  type Featurizer,
  type FeaturizerConfig,
  featurizerWithout,
  fitFeaturizer,
  forEachTransformedChunk,
  transformTexts,
} from './featurize';
import { createRng, mixSeed, type Rng } from './random';
import { type SoftmaxDualOptions, trainSoftmaxDual } from './softmaxDual';
import { fitTopLabelScaling, scaleTopLabel, type TopLabelScaling } from './topLabelScaling';
import { softmaxWithKernel, writeScoresWithKernel } from './wasmScores';
import { anyHasContext } from './turnContext';
import type { LinearScorer } from './linearScorer';

/** Options of the one-vs-rest linear SVM solver. */
export interface SvmOptions {
  /** Inverse regularization strength (as liblinear's C). */
  readonly C: number;
  /** Value of the constant feature appended to every row; its weight is the (regularized) bias, as liblinear. */
  readonly biasFeature: number;
  /** Passes over the active set per class, at most. */
  readonly maxEpochs: number;
  /** Stop when the projected-gradient spread falls below this (liblinear's eps). */
  readonly tolerance: number;
  /** Seeds the per-class shuffles: class c uses the stream mixSeed(seed, c). */
  readonly seed: number;
}

/**
 * Defaults: C = 2 (our rows have norm 1; scikit-learn's two-part FeatureUnion rows have norm √2 with C = 1, and
 * scaling rows by s equals C·s²); at most 10 passes, where test accuracy has levelled off on CLINC150 and
 * BANKING77 (more passes cost time without gain; liblinear's eps = 0.1 alone takes 25–60).
 */
export const DEFAULT_SVM_OPTIONS: SvmOptions = { C: 2, biasFeature: 1, maxEpochs: 10, tolerance: 0.1, seed: 1 };

export type { LinearScorer };

/** A trained intent model: featurizer, linear scorer, labels (class index order) and the softmax temperature. */
export interface IntentModel extends LinearScorer {
  readonly labels: readonly string[];
  readonly featurizer: Featurizer;
  /** probabilities = softmax(score / temperature). */
  readonly temperature: number;
  /** Temperature of the out-of-scope score (see `outOfScopeScoresOf`); absent = `temperature`. */
  readonly outOfScopeTemperature?: number;
  /** Platt scaling of the top probability after the softmax (`scaleTopLabel`); absent = none. */
  readonly topLabelScaling?: TopLabelScaling;
}

/** Options of `trainIntentModel`. */
export interface TrainOptions {
  readonly featurizer: Partial<FeaturizerConfig>;
  /** Which solver fits the weights; 'auto' (default) = `chooseSolver`. */
  readonly solver: Solver | 'auto';
  readonly svm: Partial<SvmOptions>;
  /** Options of the softmax solver (its seed is `svm.seed`). */
  readonly softmax: Partial<SoftmaxDualOptions>;
  /** Folds whose out-of-fold scores calibrate the temperature (default 5); below 2 skips calibration (T = 1). */
  readonly calibrationFolds: number;
  /** Passes over the support vectors after unlearning a fold (default 3; the softmax solver always makes 1). */
  readonly unlearnEpochs: number;
}

/**
 * 'svm': one-vs-rest L2-loss linear SVM (`trainLinearSvm`); 'softmax': multinomial logistic regression
 * (`trainSoftmaxDual`). Both give a `LinearScorer`, so artifacts and scoring are the same.
 */
export type Solver = 'svm' | 'softmax';

/** Median labeled examples per intent at or under which `chooseSolver` picks the softmax solver. */
export const FEW_SHOT_MEDIAN = 20;

/**
 * Largest model the softmax solver takes, in weights (features × intents) and dual values (examples × intents): it
 * holds its weights in float64 twice (the model and a fold's copy), about 20 bytes per weight with the result.
 */
const SOFTMAX_MAX_WEIGHTS = 2 ** 23;
const SOFTMAX_MAX_DUALS = 2 ** 22;

/**
 * The solver for a training set: with few examples per intent (median ≤ FEW_SHOT_MEDIAN) the softmax solver, whose
 * classes share one objective and so learn from each other's examples (BANKING77 with 5 per intent: 65.1% against
 * 62.8%), as long as the model stays within its memory budget; otherwise the one-vs-rest SVM, which is faster and
 * at least as accurate with more examples (bench/results/model.md).
 */
export function chooseSolver(y: Int32Array, classes: number, features: number): Solver {
  if (classes === 0 || features * classes > SOFTMAX_MAX_WEIGHTS || y.length * classes > SOFTMAX_MAX_DUALS) return 'svm';
  const counts = new Int32Array(classes);
  for (const c of y) counts[c]!++;
  const sorted = counts.sort();
  return sorted[Math.floor((classes - 1) / 2)]! <= FEW_SHOT_MEDIAN ? 'softmax' : 'svm';
}

interface ClassProblem {
  readonly x: CsrMatrix;
  readonly y: Int32Array;
  readonly squaredNorms: Float64Array;
  readonly options: SvmOptions;
}

/**
 * Dual coordinate descent for the L2-regularized squared-hinge SVM of one class against the rest, over the rows
 * listed in `rows`, continuing from `alpha` / `w` / `bias[0]` (which must agree: w = Σ α_i y_i x_i). Shrinks
 * variables stuck at 0 as liblinear; `warm` starts shrinking at once (a threshold of `tolerance`), and a final
 * pass over all rows confirms convergence. Runs at most `maxEpochs` passes; returns the row visits made.
 * References: Hsieh et al. (2008), "A Dual Coordinate Descent Method for Large-scale Linear SVM", Algorithm 1 + §3.
 */
function solveBinary(
  problem: ClassProblem,
  target: number,
  rows: Int32Array,
  alpha: Float64Array,
  w: Float64Array,
  bias: Float64Array,
  rng: Rng,
  warm: boolean,
  maxEpochs: number,
): number {
  const { x, y, squaredNorms, options } = problem;
  const { indptr, indices, values } = x;
  const diag = 0.5 / options.C;
  const B = options.biasFeature;
  const order = Int32Array.from(rows);
  let active = order.length;
  let pgMaxOld = warm ? options.tolerance : Infinity;
  let b = bias[0]!;
  let visits = 0;
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    for (let s = active - 1; s > 0; s--) {
      const t = rng.int(s + 1);
      const tmp = order[s]!;
      order[s] = order[t]!;
      order[t] = tmp;
    }
    visits += active;
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s++) {
      const i = order[s]!;
      const yi = y[i] === target ? 1 : -1;
      const start = indptr[i]!;
      const end = indptr[i + 1]!;
      let dot = b * B;
      for (let k = start; k < end; k++) dot += w[indices[k]!]! * values[k]!;
      const a = alpha[i]!;
      const g = yi * dot - 1 + diag * a;
      let pg = g;
      if (a === 0) {
        if (g > pgMaxOld) {
          active--;
          order[s] = order[active]!;
          order[active] = i;
          s--;
          continue;
        }
        if (g > 0) pg = 0;
      }
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (pg > 1e-12 || pg < -1e-12) {
        const next = Math.max(a - g / (squaredNorms[i]! + B * B + diag), 0);
        const step = (next - a) * yi;
        alpha[i] = next;
        for (let k = start; k < end; k++) w[indices[k]!] = w[indices[k]!]! + step * values[k]!;
        b += step * B;
      }
    }
    if (pgMax - pgMin <= options.tolerance) {
      if (active === order.length) break;
      active = order.length;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? options.tolerance : pgMax;
  }
  bias[0] = b;
  return visits;
}

function rowSquaredNorms(x: CsrMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let s = 0;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) s += x.values[k]! * x.values[k]!;
    out[r] = s;
  }
  return out;
}

/** Score of row r of x for one class given that class's dense weights. */
function rowScore(x: CsrMatrix, r: number, w: Float64Array, biasValue: number): number {
  const { indptr, indices, values } = x;
  let s = biasValue;
  for (let k = indptr[r]!, end = indptr[r + 1]!; k < end; k++) s += w[indices[k]!]! * values[k]!;
  return s;
}

/** Result of `trainLinearSvm`. */
export interface SvmFit {
  readonly scorer: LinearScorer;
  /**
   * Row-major (rows × classes) out-of-fold scores for rows with a fold id ≥ 0 (zeros elsewhere); empty when no
   * folds were given. See `trainLinearSvm` for how they are approximated.
   */
  readonly outOfFoldScores: Float32Array;
  /** Row visits of the solver over all classes (work done; for benchmarks). */
  readonly visits: number;
}

/** Extra options of `trainLinearSvm`. */
export interface SvmFitExtras {
  /** Fold id per row (−1 = in no fold); when given, out-of-fold scores are estimated for every row in a fold. */
  readonly folds?: Int32Array;
  /** Passes over the remaining support vectors after a fold is unlearned (default 3). */
  readonly unlearnEpochs?: number;
  /** Train only classes [from, to) (default all): lets workers split the classes; other columns stay 0. */
  readonly classRange?: readonly [number, number];
  /** Rows as their fold's refit would featurize them (`heldOutRows`), to score held-out rows with; default `x`. */
  readonly heldOut?: CsrMatrix;
}

/**
 * Trains a one-vs-rest L2-loss linear SVM (liblinear's dual solver, as scikit-learn's LinearSVC) on all rows.
 * With `folds`, after each class is fit its out-of-fold scores are estimated by unlearning: the fold's dual
 * contributions are removed from w (w − Σ_{i∈fold} α_i y_i x_i), the support vectors outside the fold are
 * re-optimized for a few passes (rows at α = 0 stay there), and the fold's rows are scored. This approximates
 * k-fold refits at a fraction of their cost (exact when no fold row is a support vector).
 * Deterministic for a given seed; class c only uses the random stream mixSeed(seed, c), so classes can be split
 * over workers and give the same weights.
 */
export function trainLinearSvm(
  x: CsrMatrix,
  y: Int32Array,
  classes: number,
  options: Partial<SvmOptions> = {},
  extras: SvmFitExtras = {},
): SvmFit {
  const full: SvmOptions = { ...DEFAULT_SVM_OPTIONS, ...options };
  const problem: ClassProblem = { x, y, squaredNorms: rowSquaredNorms(x), options: full };
  const features = x.cols;
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const folds = extras.folds;
  const unlearnEpochs = extras.unlearnEpochs ?? 3;
  const [fromClass, toClass] = extras.classRange ?? [0, classes];
  const heldOut = extras.heldOut ?? x;
  const outOfFoldScores = new Float32Array(folds ? x.rows * classes : 0);
  const allRows = new Int32Array(x.rows);
  for (let r = 0; r < x.rows; r++) allRows[r] = r;
  const foldRows: Int32Array[] = [];
  if (folds) {
    let foldCount = 0;
    for (const f of folds) foldCount = Math.max(foldCount, f + 1);
    for (let f = 0; f < foldCount; f++) foldRows.push(allRows.filter((r) => folds[r] === f));
  }
  const w = new Float64Array(features);
  const alpha = new Float64Array(x.rows);
  const b = new Float64Array(1);
  const wFold = new Float64Array(features);
  const alphaFold = new Float64Array(x.rows);
  const bFold = new Float64Array(1);
  const support = new Int32Array(x.rows);
  const B = full.biasFeature;
  let visits = 0;
  for (let c = fromClass; c < toClass; c++) {
    w.fill(0);
    alpha.fill(0);
    b[0] = 0;
    const rng = createRng(mixSeed(full.seed, c));
    visits += solveBinary(problem, c, allRows, alpha, w, b, rng, false, full.maxEpochs);
    for (let j = 0; j < features; j++) weights[j * classes + c] = w[j]!;
    bias[c] = b[0]! * B;
    for (let f = 0; f < foldRows.length; f++) {
      const held = foldRows[f]!;
      wFold.set(w);
      alphaFold.set(alpha);
      bFold[0] = b[0]!;
      for (let h = 0; h < held.length; h++) {
        const r = held[h]!;
        const a = alphaFold[r]!;
        if (a === 0) continue;
        const step = y[r] === c ? -a : a;
        for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) wFold[x.indices[k]!] = wFold[x.indices[k]!]! + step * x.values[k]!;
        bFold[0] = bFold[0]! + step * B;
        alphaFold[r] = 0;
      }
      let supportCount = 0;
      for (let r = 0; r < x.rows; r++) if (alphaFold[r]! > 0) support[supportCount++] = r;
      visits += solveBinary(problem, c, support.subarray(0, supportCount), alphaFold, wFold, bFold, rng, true, unlearnEpochs);
      const biasValue = bFold[0]! * B;
      for (let h = 0; h < held.length; h++) outOfFoldScores[held[h]! * classes + c] = rowScore(heldOut, held[h]!, wFold, biasValue);
    }
  }
  return { scorer: { classes, features, weights, bias }, outOfFoldScores, visits };
}

/**
 * The training rows as a refit without their fold would featurize them (`featurizerWithout`): row r of the result
 * is texts[r] over the columns and IDF of the other folds. Rows in no fold (−1) keep their row of `x`.
 */
export function heldOutRows(featurizer: Featurizer, x: CsrMatrix, texts: readonly string[], folds: Int32Array): CsrMatrix {
  let foldCount = 0;
  for (const f of folds) foldCount = Math.max(foldCount, f + 1);
  const parts: CsrMatrix[] = [];
  const order: number[] = [];
  for (let f = 0; f < foldCount; f++) {
    const rows = [...folds.keys()].filter((r) => folds[r] === f);
    const left = new Uint8Array(x.rows);
    for (const r of rows) left[r] = 1;
    parts.push(transformTexts(featurizerWithout(featurizer, x, left), rows.map((r) => texts[r]!)));
    order.push(...rows);
  }
  const unfolded = [...folds.keys()].filter((r) => folds[r]! < 0);
  parts.push(selectRows(x, unfolded));
  order.push(...unfolded);
  const position = new Int32Array(x.rows);
  order.forEach((r, t) => (position[r] = t));
  return selectRows(stackRows(parts, x.cols), position);
}

/**
 * Assigns each row a fold in [0, k): within each class the rows are shuffled (seeded) and dealt round-robin,
 * so every fold holds about 1/k of each class. Classes with fewer than 2 rows get −1 (in no fold).
 */
export function stratifiedFolds(y: Int32Array, classes: number, k: number, rng: Rng): Int32Array {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let r = 0; r < y.length; r++) byClass[y[r]!]!.push(r);
  const folds = new Int32Array(y.length).fill(-1);
  let offset = 0;
  for (const members of byClass) {
    if (members.length < 2) continue;
    rng.shuffle(members);
    for (let t = 0; t < members.length; t++) folds[members[t]!] = (offset + t) % k;
    offset += members.length;
  }
  return folds;
}

/**
 * Raw linear scores (rows × classes, row-major): score = x · W + bias. Higher = more like that class.
 * Classes are taken eight at a time with the eight sums kept in locals while the row's features stream past
 * (contiguous weight reads, no per-term store); each sum adds the row's terms in column order from the bias,
 * so the result equals the plain row-by-row product exactly.
 */
export function decisionScores(scorer: LinearScorer, x: CsrMatrix): Float32Array {
  return writeDecisionScores(scorer, x, new Float32Array(x.rows * scorer.classes));
}

/**
 * Writes `decisionScores(scorer, x)` to `out` (at least rows × classes long) and returns it: with the WebAssembly
 * SIMD kernel once the scorer has scored a few batches (`writeScoresWithKernel`, the same bits), else in JavaScript.
 */
function writeDecisionScores(scorer: LinearScorer, x: CsrMatrix, out: Float32Array): Float32Array {
  return writeScoresWithKernel(scorer, x, out) ? out : writeDecisionScoresInJs(scorer, x, out);
}

/** `decisionScores` in JavaScript only, never the kernel: the fallback, and the baseline the kernel is measured against. */
export function writeDecisionScoresInJs(scorer: LinearScorer, x: CsrMatrix, out: Float32Array): Float32Array {
  const { classes, features, weights, bias } = scorer;
  const { indptr, indices, values } = x;
  let bases = new Int32Array(256);
  let vals = new Float64Array(256);
  const blocked = classes - (classes % 8);
  for (let r = 0; r < x.rows; r++) {
    const start = indptr[r]!;
    const end = indptr[r + 1]!;
    if (bases.length < end - start) {
      bases = new Int32Array(end - start);
      vals = new Float64Array(end - start);
    }
    let n = 0;
    for (let k = start; k < end; k++) {
      const j = indices[k]!;
      if (j >= features) continue;
      bases[n] = j * classes;
      vals[n] = values[k]!;
      n++;
    }
    const o = r * classes;
    let c = 0;
    for (; c < blocked; c += 8) {
      let a0 = bias[c]!;
      let a1 = bias[c + 1]!;
      let a2 = bias[c + 2]!;
      let a3 = bias[c + 3]!;
      let a4 = bias[c + 4]!;
      let a5 = bias[c + 5]!;
      let a6 = bias[c + 6]!;
      let a7 = bias[c + 7]!;
      for (let t = 0; t < n; t++) {
        const b = bases[t]! + c;
        const v = vals[t]!;
        a0 += v * weights[b]!;
        a1 += v * weights[b + 1]!;
        a2 += v * weights[b + 2]!;
        a3 += v * weights[b + 3]!;
        a4 += v * weights[b + 4]!;
        a5 += v * weights[b + 5]!;
        a6 += v * weights[b + 6]!;
        a7 += v * weights[b + 7]!;
      }
      out[o + c] = a0;
      out[o + c + 1] = a1;
      out[o + c + 2] = a2;
      out[o + c + 3] = a3;
      out[o + c + 4] = a4;
      out[o + c + 5] = a5;
      out[o + c + 6] = a6;
      out[o + c + 7] = a7;
    }
    for (; c < classes; c++) {
      let a = bias[c]!;
      for (let t = 0; t < n; t++) a += vals[t]! * weights[bases[t]! + c]!;
      out[o + c] = a;
    }
  }
  return out;
}

/** Calibrated class probabilities (rows × classes, row-major, each row sums to 1) for featurized rows. */
export function predictProba(model: IntentModel, x: CsrMatrix): Float32Array {
  return scaleRows(model, softmaxRows(decisionScores(model, x), model.classes, model.temperature));
}

function scaleRows(model: IntentModel, rows: Float32Array): Float32Array {
  return model.topLabelScaling ? scaleTopLabel(rows, model.classes, model.topLabelScaling) : rows;
}

/** `softmaxInPlace` with the WebAssembly kernel's exp where there is one (the same exp on every runtime). */
function softmaxRows(scores: Float32Array, classes: number, temperature: number): Float32Array {
  return softmaxWithKernel(scores, classes, temperature) ? scores : softmaxInPlace(scores, classes, temperature);
}

/** Sees each chunk's rows at softmax(score / T), before the top-label scaling, with the index of its first text. */
export type TemperedRowsVisitor = (rows: Float32Array, first: number) => void;

/**
 * Calibrated class probabilities for raw utterances (normalized and featurized with the model's featurizer); the
 * same as `predictProba(model, transformTexts(model.featurizer, texts))`, computed a chunk of texts at a time so
 * the features never leave the cache. `visitTempered` reads each chunk's tempered rows (softmax(score / T), what
 * the out-of-scope score is defined on) before they are scaled; they are overwritten right after.
 */
export function predictTexts(model: IntentModel, texts: readonly string[], visitTempered?: TemperedRowsVisitor): Float32Array {
  const { classes } = model;
  const out = new Float32Array(texts.length * classes);
  forEachTransformedChunk(model.featurizer, texts, (x, first) => {
    predictRowsInto(model, x, out.subarray(first * classes, (first + x.rows) * classes), visitTempered && ((rows) => visitTempered(rows, first)));
  });
  return out;
}

/**
 * Calibrated probabilities of featurized rows into `block` (x.rows × classes), exactly as `predictTexts` computes
 * them; `visitTempered` sees the rows at softmax(score / T) before the top-label scaling.
 */
export function predictRowsInto(model: IntentModel, x: CsrMatrix, block: Float32Array, visitTempered?: (rows: Float32Array) => void): void {
  const { classes, temperature } = model;
  if (!writeScoresWithKernel(model, x, block, temperature)) softmaxRows(writeDecisionScoresInJs(model, x, block), classes, temperature);
  visitTempered?.(block);
  scaleRows(model, block);
}

/** softmax(score / T) rows of texts, without the top-label scaling: the rows the out-of-scope score is defined on. */
export function predictTemperedTexts(model: IntentModel, texts: readonly string[]): Float32Array {
  const { topLabelScaling: _scaling, ...tempered } = model;
  return predictTexts(tempered, texts);
}

/** Everything `trainIntentModel` needs before the solver runs: structured-clone safe, so it can go to workers. */
export interface TrainingPlan {
  readonly labels: readonly string[];
  readonly featurizer: Featurizer;
  readonly x: CsrMatrix;
  readonly y: Int32Array;
  readonly solver: Solver;
  readonly svm: SvmOptions;
  readonly softmax: Partial<SoftmaxDualOptions>;
  readonly folds: Int32Array | undefined;
  /** The rows as each one's fold would featurize them (`heldOutRows`), when there are folds. */
  readonly heldOut: CsrMatrix | undefined;
  readonly unlearnEpochs: number;
}

/**
 * Prepares training: sorts the labels (code-unit order) into class indices, fits the featurizer, featurizes the
 * texts and deals the stratified calibration folds (seeded by `svm.seed`). Texts are model texts (`contextualText`):
 * when any carries context, the featurizer reads it (`CONTEXT_GROUP_WEIGHTS`, unless `options.featurizer` says).
 */
export function planTraining(texts: readonly string[], labels: readonly string[], options: Partial<TrainOptions> = {}): TrainingPlan {
  if (texts.length !== labels.length) throw new RangeError('texts and labels differ in length');
  const classLabels = [...new Set(labels)].sort();
  const classOf = new Map(classLabels.map((label, c) => [label, c]));
  const y = Int32Array.from(labels, (label) => classOf.get(label)!);
  const featurizer = fitFeaturizer(texts, { ...(anyHasContext(texts) ? CONTEXT_GROUP_WEIGHTS : {}), ...options.featurizer });
  const x = transformTexts(featurizer, texts);
  const svm: SvmOptions = { ...DEFAULT_SVM_OPTIONS, ...options.svm };
  const k = options.calibrationFolds ?? 5;
  const folds = k >= 2 ? stratifiedFolds(y, classLabels.length, k, createRng(mixSeed(svm.seed, -1))) : undefined;
  const heldOut = folds ? heldOutRows(featurizer, x, texts, folds) : undefined;
  const solver = !options.solver || options.solver === 'auto' ? chooseSolver(y, classLabels.length, x.cols) : options.solver;
  return { labels: classLabels, featurizer, x, y, solver, svm, softmax: options.softmax ?? {}, folds, heldOut, unlearnEpochs: options.unlearnEpochs ?? 3 };
}

/**
 * Runs the solver of a plan for classes [from, to) (default all; the softmax solver only trains all); SVM fits of
 * disjoint ranges merge with `mergeSvmFits`.
 */
export function trainPlannedClasses(plan: TrainingPlan, classRange?: readonly [number, number]): SvmFit {
  const classes = plan.labels.length;
  if (plan.solver === 'softmax') {
    if (classRange && (classRange[0] !== 0 || classRange[1] !== classes)) throw new RangeError('the softmax solver trains all classes together');
    return trainSoftmaxDual(plan.x, plan.y, classes, { ...plan.softmax, seed: plan.svm.seed }, {
      ...(plan.folds ? { folds: plan.folds } : {}),
      ...(plan.heldOut ? { heldOut: plan.heldOut } : {}),
    });
  }
  const extras: SvmFitExtras = {
    ...(plan.folds ? { folds: plan.folds, unlearnEpochs: plan.unlearnEpochs } : {}),
    ...(plan.heldOut ? { heldOut: plan.heldOut } : {}),
    ...(classRange ? { classRange } : {}),
  };
  return trainLinearSvm(plan.x, plan.y, classes, plan.svm, extras);
}

/** Merges fits of disjoint class ranges of one plan (their untouched columns are zero, so they add up). */
export function mergeSvmFits(fits: readonly SvmFit[]): SvmFit {
  const first = fits[0];
  if (!first) throw new RangeError('no fits to merge');
  const weights = new Float32Array(first.scorer.weights.length);
  const bias = new Float32Array(first.scorer.bias.length);
  const outOfFoldScores = new Float32Array(first.outOfFoldScores.length);
  let visits = 0;
  for (const fit of fits) {
    for (let k = 0; k < weights.length; k++) weights[k] = weights[k]! + fit.scorer.weights[k]!;
    for (let k = 0; k < bias.length; k++) bias[k] = bias[k]! + fit.scorer.bias[k]!;
    for (let k = 0; k < outOfFoldScores.length; k++) outOfFoldScores[k] = outOfFoldScores[k]! + fit.outOfFoldScores[k]!;
    visits += fit.visits;
  }
  return { scorer: { ...first.scorer, weights, bias }, outOfFoldScores, visits };
}

/**
 * Completes a model from a plan and the fit of all its classes: fits the temperature on the out-of-fold scores,
 * then the top-label scaling on the out-of-fold probabilities at that temperature.
 */
export function finishIntentModel(plan: TrainingPlan, fit: SvmFit): IntentModel {
  const classes = plan.labels.length;
  const model: IntentModel = { ...fit.scorer, labels: plan.labels, featurizer: plan.featurizer, temperature: 1 };
  if (!plan.folds) return model;
  const rows = allRowsIn(plan.folds);
  const truth = Int32Array.from(rows, (r) => plan.y[r]!);
  const scores = selectDenseRows(fit.outOfFoldScores, classes, rows);
  const temperature = fitTemperature(scores, truth, classes);
  const topLabelScaling = fitTopLabelScaling(softmaxInPlace(scores, classes, temperature), truth, classes);
  return { ...model, temperature, ...(topLabelScaling ? { topLabelScaling } : {}) };
}

/**
 * Trains an intent model on labeled utterances in this thread: fits the featurizer, trains the solver `chooseSolver`
 * picks (or `options.solver`), and fits the softmax temperature and then the top-label scaling on out-of-fold
 * scores (stratified `calibrationFolds`, estimated by unlearning each fold, see `trainLinearSvm`). Deterministic for
 * `svm.seed`; with the SVM, the same as planning, training class ranges in workers, merging and finishing.
 */
export function trainIntentModel(texts: readonly string[], labels: readonly string[], options: Partial<TrainOptions> = {}): IntentModel {
  const plan = planTraining(texts, labels, options);
  return finishIntentModel(plan, trainPlannedClasses(plan));
}

function allRowsIn(folds: Int32Array): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < folds.length; r++) if (folds[r]! >= 0) rows.push(r);
  return Int32Array.from(rows);
}
