import { auroc } from './metrics';
import { type IntentModel, predictTexts } from './train';

/**
 * Out-of-scope score of each probability row (rows × classes): 1 − max probability, in [0, 1 − 1/classes].
 * With `sharpen` = s ≠ 1 the rows are first re-tempered to p_c^s / Σ p^s (softmax(score / T) becomes
 * softmax(score · s / T)), so the max is 1 / Σ_c (p_c / p_max)^s. Higher = more likely out of scope (no known
 * intent fits). References: Hendrycks & Gimpel (2017), "A Baseline for Detecting Misclassified and
 * Out-of-Distribution Examples" (maximum softmax probability); Liang et al. (2018), "ODIN" (temperature for it).
 */
export function outOfScopeScores(probs: Float32Array, classes: number, sharpen = 1): Float32Array {
  const rows = probs.length / classes;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 0; c < classes; c++) if (probs[r * classes + c]! > best) best = probs[r * classes + c]!;
    if (sharpen === 1 || best === 0) {
      out[r] = 1 - best;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.pow(probs[r * classes + c]! / best, sharpen);
    out[r] = 1 - 1 / sum;
  }
  return out;
}

/** Model-side view of `outOfScopeScores`: what the model needs to score out-of-scope from its probabilities. */
export interface OutOfScopeTempered {
  readonly temperature: number;
  readonly outOfScopeTemperature?: number;
}

/**
 * Out-of-scope scores of a model's tempered probability rows (softmax(score / T), before the top-label scaling:
 * see `predictWithOutOfScope`), at the model's out-of-scope
 * temperature (its calibration temperature when it has none, which is 1 − max probability). Higher = more likely
 * out of scope, in [0, 1). What the Uncovered queue, the threshold and the artifact predictor use.
 */
export function outOfScopeScoresOf(model: OutOfScopeTempered, probs: Float32Array, classes: number): Float32Array {
  return outOfScopeScores(probs, classes, model.temperature / (model.outOfScopeTemperature ?? model.temperature));
}

/** Calibrated probabilities of texts (`predictTexts`) with their out-of-scope scores (`outOfScopeScoresOf`), in one pass. */
export function predictWithOutOfScope(model: IntentModel, texts: readonly string[]): { probs: Float32Array; outOfScope: Float32Array } {
  const outOfScope = new Float32Array(texts.length);
  const probs = predictTexts(model, texts, (rows, first) => outOfScope.set(outOfScopeScoresOf(model, rows, model.classes), first));
  return { probs, outOfScope };
}

/** Options of `chooseOutOfScopeTemperature`. */
export interface OutOfScopeTemperatureOptions {
  /** Fewest out-of-scope examples to choose with; with fewer the calibration temperature is kept. Default 5. */
  readonly minOutOfScope?: number;
  /** Candidates are temperature · 2^j for j = 0 … steps − 1. Default 5 (up to 16 × the calibration temperature). */
  readonly steps?: number;
}

/**
 * Chooses the out-of-scope temperature: among temperature · 2^j (j = 0 … steps − 1), the one whose out-of-scope
 * score best separates known out-of-scope examples from out-of-fold in-scope rows (highest AUROC; ties keep the
 * lower). Inputs are probability rows at `temperature` (rows × classes). The calibrated temperature fits the
 * in-scope likelihood; a softer one lets the whole score profile, not just the top-two margin, speak, which can
 * separate unknown inputs better (ODIN). Returns `temperature` without enough examples.
 * References: Liang, Li & Srikant (2018), "Enhancing the Reliability of Out-of-distribution Image Detection in
 * Neural Networks" (ODIN).
 */
export function chooseOutOfScopeTemperature(
  inScopeProbs: Float32Array,
  outOfScopeProbs: Float32Array,
  classes: number,
  temperature: number,
  options: OutOfScopeTemperatureOptions = {},
): number {
  const examples = outOfScopeProbs.length / classes;
  if (examples < (options.minOutOfScope ?? 5) || inScopeProbs.length === 0) return temperature;
  const positives = new Uint8Array(inScopeProbs.length / classes + examples).fill(1, inScopeProbs.length / classes);
  const scores = new Float32Array(positives.length);
  let best = temperature;
  let bestAuroc = -Infinity;
  for (let j = 0; j < (options.steps ?? 5); j++) {
    const candidate = temperature * 2 ** j;
    scores.set(outOfScopeScores(inScopeProbs, classes, temperature / candidate));
    scores.set(outOfScopeScores(outOfScopeProbs, classes, temperature / candidate), inScopeProbs.length / classes);
    const area = auroc(scores, positives);
    if (area > bestAuroc) {
      bestAuroc = area;
      best = candidate;
    }
  }
  return best;
}

/** A threshold on the out-of-scope score and what it gives on the data it was chosen on. */
export interface OutOfScopeThreshold {
  /** Items with score ≥ threshold are flagged out of scope. */
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/**
 * Chooses the out-of-scope threshold that maximizes F1 of flagging (score ≥ threshold) against `isOutOfScope`
 * (1 = truly out of scope), trying every distinct score; ties keep the higher threshold (fewer flags).
 * Returns threshold +Infinity with zeros when there is no positive.
 */
export function chooseOutOfScopeThreshold(scores: Float32Array, isOutOfScope: Uint8Array): OutOfScopeThreshold {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += isOutOfScope[i]!;
  let best: OutOfScopeThreshold = { threshold: Infinity, precision: 0, recall: 0, f1: 0 };
  if (positives === 0) return best;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let flagged = 0;
  let hits = 0;
  let i = 0;
  while (i < n) {
    const threshold = scores[order[i]!]!;
    while (i < n && scores[order[i]!] === threshold) {
      flagged++;
      hits += isOutOfScope[order[i]!]!;
      i++;
    }
    const precision = hits / flagged;
    const recall = hits / positives;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold, precision, recall, f1 };
  }
  return best;
}

/** What flagging items with out-of-scope score ≥ `threshold` gives on labeled data. */
export interface OutOfScopePoint {
  readonly threshold: number;
  /** Share of in-scope items flagged (false alarms), in [0, 1]; 0 when there are no in-scope items. */
  readonly inScopeFlagged: number;
  /** Share of out-of-scope items flagged; null when there are none. */
  readonly oosRecall: number | null;
  /** Share of flagged items that are out of scope; null when there are no out-of-scope items or nothing is flagged. */
  readonly oosPrecision: number | null;
}

/**
 * The figures of flagging score ≥ `threshold`, given the out-of-scope scores of in-scope items (`inScope`, ideally
 * out of fold) and of known out-of-scope items (`outOfScope`, e.g. utterances labeled "none of these").
 */
export function outOfScopeFiguresAt(inScope: Float32Array, outOfScope: Float32Array, threshold: number): OutOfScopePoint {
  const falseAlarms = countAtLeast(inScope, threshold);
  const hits = countAtLeast(outOfScope, threshold);
  const measured = outOfScope.length > 0;
  return {
    threshold,
    inScopeFlagged: inScope.length ? falseAlarms / inScope.length : 0,
    oosRecall: measured ? hits / outOfScope.length : null,
    oosPrecision: measured && hits + falseAlarms > 0 ? hits / (hits + falseAlarms) : null,
  };
}

/** `outOfScopeFiguresAt` at `steps` + 1 evenly spaced thresholds from 0 to 1 (0, 1/steps, …, 1), ascending. */
export function outOfScopeCurve(inScope: Float32Array, outOfScope: Float32Array, steps = 100): OutOfScopePoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => outOfScopeFiguresAt(inScope, outOfScope, i / steps));
}

/** Options of `chooseThresholdFromScores`. */
export interface ThresholdChoiceOptions {
  /** Fewest positives (known out-of-scope items and misses) for the F1-best choice. Default 5. */
  readonly minPositives?: number;
  /** 1 where the in-scope item's out-of-fold top intent was not its label (aligned with `inScope`). */
  readonly inScopeMissed?: Uint8Array;
  /** Share of in-scope items the fallback threshold flags. Default 0.05. */
  readonly inScopeFlagShare?: number;
  /** Most in-scope items any chosen threshold may flag. Default 0.15. */
  readonly maxInScopeFlagShare?: number;
}

/**
 * The out-of-scope threshold for a model: the F1-best threshold for flagging what the model would answer wrongly,
 * that is the known out-of-scope items and the in-scope items whose out-of-fold top intent was wrong
 * (`inScopeMissed`), among all of them. "No match" then stands for "the bot's answer would be wrong", whether no
 * intent fits or the model confuses intents: misclassification and out-of-distribution detection with one score
 * (Hendrycks & Gimpel 2017). It never flags more than `maxInScopeFlagShare` of the in-scope items, so a young model
 * that still confuses many intents does not send them all to Uncovered. With fewer than `minPositives` positives, no
 * in-scope hit, or no threshold that flags any: the score at the (1 − `inScopeFlagShare`) quantile of in-scope scores,
 * so about that share is flagged. 0.5 with no data.
 */
export function chooseThresholdFromScores(inScope: Float32Array, outOfScope: Float32Array, options: ThresholdChoiceOptions = {}): number {
  const missed = options.inScopeMissed ?? new Uint8Array(inScope.length);
  if (missed.length !== inScope.length) throw new RangeError('inScopeMissed must have one entry per in-scope score');
  let misses = 0;
  for (const m of missed) misses += m;
  const sorted = Float32Array.from(inScope).sort();
  const quantile = (share: number) => sorted[Math.floor((1 - share) * (sorted.length - 1))]!;
  if (outOfScope.length + misses >= (options.minPositives ?? 5) && inScope.length - misses > 0) {
    const scores = new Float32Array(inScope.length + outOfScope.length);
    scores.set(inScope);
    scores.set(outOfScope, inScope.length);
    const positives = new Uint8Array(scores.length).fill(1, inScope.length);
    positives.set(missed);
    const chosen = chooseOutOfScopeThreshold(scores, positives);
    if (Number.isFinite(chosen.threshold)) return Math.max(chosen.threshold, flaggingAtMost(sorted, options.maxInScopeFlagShare ?? 0.15));
  }
  return sorted.length ? quantile(options.inScopeFlagShare ?? 0.05) : 0.5;
}

/** The lowest threshold that flags (score ≥ it) at most `share` of the ascending `sorted` scores, ties aside. */
function flaggingAtMost(sorted: Float32Array, share: number): number {
  const n = sorted.length;
  const allowed = Math.floor(share * n);
  if (allowed >= n) return -Infinity;
  return allowed === 0 ? sorted[n - 1]! + 1e-6 : sorted[n - allowed]!;
}

function countAtLeast(scores: Float32Array, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) n++;
  return n;
}

/** Where a version's out-of-scope threshold comes from: measured on its own scores, chosen by a user, or kept from one. */
export type ThresholdSource = 'measured' | 'chosen' | 'kept';

/**
 * The threshold a user chose stays chosen: a new version keeps the previous version's threshold when that one was
 * chosen or kept (source 'kept'), and otherwise uses the one measured on its own scores (source 'measured').
 * `previous` is null for the first version; a previous version without a source counts as measured.
 */
export function chooseVersionThreshold(measured: number, previous: { readonly threshold: number; readonly source?: ThresholdSource } | null): { threshold: number; source: 'measured' | 'kept' } {
  if (previous && (previous.source === 'chosen' || previous.source === 'kept')) return { threshold: previous.threshold, source: 'kept' };
  return { threshold: measured, source: 'measured' };
}
