import { dotRows } from './csr';
import { contentKey } from './disfluency';
import { splitModelText } from './turnContext';
import { transformTexts, type CsrMatrix, type Featurizer } from './featurize';

/** Platform confidence under which an utterance counts as uncovered even when the platform named an intent. */
export const PLATFORM_LOW_CONFIDENCE = 0.5;

/** Options of `rankUncovered`. */
export interface UncoveredOptions {
  /** The model's out-of-scope threshold: an out-of-scope score at or above it makes an utterance uncovered. */
  readonly threshold: number;
  /** Platform confidence under which an utterance is uncovered. Default `PLATFORM_LOW_CONFIDENCE`. */
  readonly platformLowConfidence?: number;
}

/**
 * How clearly each utterance is uncovered: `max(oos, 1 − platformConfidence) + oos` where the platform could not
 * place it (confidence under `platformLowConfidence`; 0 for "no match") or the model calls it out of scope (score ≥
 * `threshold`), NaN where neither holds. Higher = more clearly uncovered, in [0, 2]. Index-aligned with the inputs.
 * References: Hendrycks & Gimpel (2017), maximum-softmax-probability baseline for out-of-distribution detection.
 */
export function scoreUncovered(platformConfidence: ArrayLike<number>, outOfScope: ArrayLike<number>, options: UncoveredOptions): Float32Array {
  const low = options.platformLowConfidence ?? PLATFORM_LOW_CONFIDENCE;
  const out = new Float32Array(outOfScope.length);
  for (let i = 0; i < out.length; i++) {
    const conf = platformConfidence[i]!;
    const oos = outOfScope[i]!;
    out[i] = conf >= low && oos < options.threshold ? Number.NaN : Math.max(oos, 1 - conf) + oos;
  }
  return out;
}

/** The utterances `scoreUncovered` scores (not NaN), highest score first; ties by index. */
export function rankUncovered(platformConfidence: ArrayLike<number>, outOfScope: ArrayLike<number>, options: UncoveredOptions): Int32Array {
  const score = scoreUncovered(platformConfidence, outOfScope, options);
  const picked: number[] = [];
  for (let i = 0; i < score.length; i++) if (!Number.isNaN(score[i]!)) picked.push(i);
  const order = Int32Array.from(picked);
  order.sort((a, b) => score[b]! - score[a]! || a - b);
  return order;
}

/** Options of `rankInformative` and `deferNearDuplicates`. */
export interface InformativeOptions {
  /** How many of the smallest-margin unlabeled utterances get the near-duplicate pass. Default 3000. */
  readonly candidates?: number;
  /** How many of the latest kept picks a candidate is compared with. Default 20. */
  readonly window?: number;
  /** Cosine similarity above which a candidate is a near-duplicate (deferred). Default 0.6. */
  readonly maxSimilarity?: number;
}

export const INFORMATIVE_DEFAULTS: Required<InformativeOptions> = { candidates: 3000, window: 20, maxSimilarity: 0.6 };

/**
 * Margin per row: `firstProb − secondProb`. Lower = more uncertain, in [0, 1] for probabilities.
 * References: Scheffer et al. (2001), active learning with margins.
 */
export function marginOf(firstProb: ArrayLike<number>, secondProb: ArrayLike<number>): Float32Array {
  const out = new Float32Array(firstProb.length);
  for (let i = 0; i < out.length; i++) out[i] = firstProb[i]! - secondProb[i]!;
  return out;
}

/**
 * Orders rows 0…rows−1 of `x` (already best first; L2-normalized) so that near-duplicates come after the rest: a row
 * whose content key equals, or whose cosine similarity exceeds `maxSimilarity` with, one of the last `window` kept
 * rows is deferred. Returns row positions: kept rows in order, then deferred rows in order.
 * References: Brinker (2003), diversity in batch-mode active learning.
 */
export function deferNearDuplicates(x: CsrMatrix, keys: readonly string[], options: InformativeOptions = {}): Int32Array {
  const windowSize = options.window ?? INFORMATIVE_DEFAULTS.window;
  const maxSimilarity = options.maxSimilarity ?? INFORMATIVE_DEFAULTS.maxSimilarity;
  const kept: number[] = [];
  const deferred: number[] = [];
  const window: number[] = [];
  for (let r = 0; r < x.rows; r++) {
    if (window.some((w) => keys[w] === keys[r] || dotRows(x, r, w) > maxSimilarity)) {
      deferred.push(r);
      continue;
    }
    kept.push(r);
    window.push(r);
    if (window.length > windowSize) window.shift();
  }
  return Int32Array.from([...kept, ...deferred]);
}

/** What `rankInformative` ranks: top-two probabilities, texts and the model's featurizer, index-aligned. */
export interface InformativeInput {
  readonly firstProb: ArrayLike<number>;
  readonly secondProb: ArrayLike<number>;
  readonly texts: readonly string[];
  readonly featurizer: Featurizer;
  /** 1 for rows already labeled: they are left out of the near-duplicate pass and come last. */
  readonly labeled: Uint8Array;
}

/**
 * Most informative first: margin sampling (smallest top-1 − top-2 first; ties by index), then the `candidates`
 * smallest-margin unlabeled rows go through `deferNearDuplicates`. Returns every row index: the head as reordered,
 * then the remaining rows by margin (labeled ones among them; callers filter at read time).
 * References: Scheffer et al. (2001); Brinker (2003).
 */
export function rankInformative(input: InformativeInput, options: InformativeOptions = {}): Int32Array {
  const n = input.firstProb.length;
  const margin = marginOf(input.firstProb, input.secondProb);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  all.sort((a, b) => margin[a]! - margin[b]! || a - b);
  const limit = options.candidates ?? INFORMATIVE_DEFAULTS.candidates;
  const head: number[] = [];
  for (let k = 0; k < n && head.length < limit; k++) if (input.labeled[all[k]!] !== 1) head.push(all[k]!);
  const headTexts = head.map((i) => input.texts[i]!);
  const order = deferNearDuplicates(transformTexts(input.featurizer, headTexts), headTexts.map((text) => contentKey(splitModelText(text).utterance)), options);
  const out = new Int32Array(n);
  let o = 0;
  const inHead = new Uint8Array(n);
  for (const r of order) {
    out[o++] = head[r]!;
    inHead[head[r]!] = 1;
  }
  for (const i of all) if (inHead[i] !== 1) out[o++] = i;
  return out;
}

/**
 * Labels confident learning flags (`isIssue` 1), least likely correct first (`quality` ascending; ties by row).
 * `quality` must come from out-of-fold probabilities. Returns training row indexes.
 * References: Northcutt et al. (2021), confident learning.
 */
export function rankMislabeled(isIssue: Uint8Array, quality: ArrayLike<number>): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < isIssue.length; r++) if (isIssue[r] === 1) rows.push(r);
  const order = Int32Array.from(rows);
  order.sort((a, b) => quality[a]! - quality[b]! || a - b);
  return order;
}

/**
 * How far a label, the platform's prediction and the (out-of-fold) model's prediction disagree, in 0…3. 0: all
 * agree; 1: one side differs; 2: the label alone differs (platform and model agree); 3: all three differ. With no
 * platform prediction (`platform` null, e.g. imported data) only the model can disagree: 1 when it does, else 0.
 */
export function disagreementLevel<T>(label: T, model: T, platform: T | null): 0 | 1 | 2 | 3 {
  if (platform === null) return model === label ? 0 : 1;
  if (platform === label && model === label) return 0;
  if (platform !== label && model !== label && platform !== model) return 3;
  if (platform === model) return 2;
  return 1;
}

/**
 * Training rows with a disagreement (`levels` > 0): the highest level first, then the lowest label quality, then by
 * row. `levels` from `disagreementLevel`, `quality` out-of-fold as for `rankMislabeled`. Returns training row indexes.
 */
export function rankDisagreements(levels: Uint8Array, quality: ArrayLike<number>): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < levels.length; r++) if (levels[r]! > 0) rows.push(r);
  const order = Int32Array.from(rows);
  order.sort((a, b) => levels[b]! - levels[a]! || quality[a]! - quality[b]! || a - b);
  return order;
}

/** The four ranked queues' orders, as utterance indexes. */
export interface QueueOrders {
  readonly uncovered: Int32Array;
  readonly informative: Int32Array;
  readonly mislabeled: Int32Array;
  readonly disagreements: Int32Array;
}

/** The labeled utterances a model was trained on, with the out-of-fold judgment of each label (index-aligned). */
export interface RankedTrainingRows {
  /** Utterance index of each training row. */
  readonly utterances: Int32Array;
  /** The label each row was trained with. */
  readonly intentIds: readonly string[];
  /** Out-of-fold label quality, as for `rankMislabeled`. */
  readonly quality: ArrayLike<number>;
  readonly isIssue: Uint8Array;
  /** The out-of-fold model's intent for each row. */
  readonly modelIntentIds: readonly string[];
}

/** Everything `rankQueues` ranks, index-aligned by utterance (training rows aside). */
export interface QueueRankingInput {
  readonly firstProb: ArrayLike<number>;
  readonly secondProb: ArrayLike<number>;
  readonly outOfScope: ArrayLike<number>;
  readonly texts: readonly string[];
  readonly featurizer: Featurizer;
  /** 1 where the utterance was labeled when ranking started. */
  readonly labeled: Uint8Array;
  /** 0 for "no match", 1 when the platform named an intent without a confidence. */
  readonly platformConfidence: ArrayLike<number>;
  /** Index into `platformIntents`, −1 for no prediction. */
  readonly platformIntent: Int32Array;
  readonly platformIntents: readonly string[];
  readonly outOfScopeThreshold: number;
  readonly training: RankedTrainingRows | null;
}

/**
 * The orders of Uncovered, Most informative, Likely mislabeled and Disagreements over one scoring of a workspace, by
 * `rankUncovered`, `rankInformative`, `rankMislabeled` and `rankDisagreements` (training rows mapped to utterances).
 * Uncovered and Most informative list labeled utterances too; callers filter by the current labels when reading.
 */
export function rankQueues(input: QueueRankingInput, options: InformativeOptions = {}): QueueOrders {
  const t = input.training;
  const toUtterances = (rows: Int32Array) => rows.map((r) => t!.utterances[r]!);
  let mislabeled = new Int32Array(0);
  let disagreements = new Int32Array(0);
  if (t) {
    mislabeled = toUtterances(rankMislabeled(t.isIssue, t.quality));
    const levels = Uint8Array.from(t.intentIds, (label, r) => {
      const p = input.platformIntent[t.utterances[r]!]!;
      return disagreementLevel(label, t.modelIntentIds[r]!, p < 0 ? null : input.platformIntents[p]!);
    });
    disagreements = toUtterances(rankDisagreements(levels, t.quality));
  }
  return {
    uncovered: rankUncovered(input.platformConfidence, input.outOfScope, { threshold: input.outOfScopeThreshold }),
    informative: rankInformative(input, options),
    mislabeled,
    disagreements,
  };
}
