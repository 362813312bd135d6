import type { Intent } from '../shared/domain/types';
import { ARTIFACT_FORMAT } from '../shared/ml/modelArtifact';
import { createArtifactPredictor } from '../shared/ml/predictArtifact';
import { splitModelText } from '../shared/ml/turnContext';

/** One prediction: the intent id, or null for "no match", and a confidence in [0,1]. */
export interface Prediction {
  readonly intent: string | null;
  readonly confidence: number;
}

/** Predicts user turns with one model version; index-aligned with the input. */
export interface Predictor {
  /** The registry version this predictor runs, or null for the built-in baseline (no model active). */
  readonly version: number | null;
  /** How it predicts: `artifact` (a real model artifact), `bigram-artifact` or `catalogue-baseline`. */
  readonly kind: PredictorKind;
  /** Predicts model texts (`contextualText`: an utterance, with its context when known). */
  predict(texts: readonly string[]): Prediction[];
}

export type PredictorKind = 'artifact' | 'bigram-artifact' | 'catalogue-baseline';

export interface PredictorContext {
  /** The registry version of `artifact`; null when no model is active. */
  readonly version: number | null;
  /** The catalogue whose examples the baseline compares against. */
  readonly catalogue: readonly Intent[];
}

/**
 * A small artifact format the reference platform understands until the real model artifact lands:
 * nearest example by character-bigram overlap over the listed intents.
 */
export interface BigramArtifact {
  readonly format: 'callsift-bigram-baseline';
  readonly formatVersion: 1;
  /** Below this overlap the prediction is null ("no match"). Default DEFAULT_BIGRAM_THRESHOLD. */
  readonly threshold?: number;
  readonly intents: readonly { readonly id: string; readonly examples: readonly string[] }[];
}

/** Overlap (Dice coefficient of character-bigram sets) below which the baseline says "no match". */
export const DEFAULT_BIGRAM_THRESHOLD = 0.3;

type PredictFn = (texts: readonly string[]) => Prediction[];

/**
 * Loads a Callsift model artifact with the app's own code (shared/ml/predictArtifact.ts), so the same text gets the
 * same probabilities on both sides; null when `artifact` is not one.
 */
function loadArtifactPredictor(artifact: unknown): PredictFn | null {
  if (typeof artifact !== 'object' || artifact === null || (artifact as { format?: unknown }).format !== ARTIFACT_FORMAT) return null;
  return createArtifactPredictor(artifact);
}

/**
 * Builds the predictor for a model artifact (or for no model: `artifact` null). A real artifact
 * predicts with the shared ML core; a `callsift-bigram-baseline` artifact with its own examples; anything
 * else, and no model, with the catalogue baseline: the nearest catalogue example by character-bigram
 * overlap (Dice coefficient, in [0,1], higher = closer), confidence = that overlap, null below
 * DEFAULT_BIGRAM_THRESHOLD; the baselines read the utterance alone. Deterministic: the same input always gives the same predictions.
 */
export function createPredictor(artifact: unknown | null, context: PredictorContext): Predictor {
  const { version } = context;
  const real = artifact === null ? null : loadArtifactPredictor(artifact);
  if (real) return { version, kind: 'artifact', predict: real };
  if (isBigramArtifact(artifact)) {
    const index = buildBigramIndex(artifact.intents);
    const threshold = artifact.threshold ?? DEFAULT_BIGRAM_THRESHOLD;
    return { version, kind: 'bigram-artifact', predict: (texts) => texts.map((text) => predictNearest(index, splitModelText(text).utterance, threshold)) };
  }
  const active = context.catalogue.filter((intent) => intent.status !== 'deprecated' && intent.mergedInto === undefined);
  const index = buildBigramIndex(active);
  return { version, kind: 'catalogue-baseline', predict: (texts) => texts.map((text) => predictNearest(index, splitModelText(text).utterance, DEFAULT_BIGRAM_THRESHOLD)) };
}

/** True when `value` is a `callsift-bigram-baseline` artifact. */
export function isBigramArtifact(value: unknown): value is BigramArtifact {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    a.format === 'callsift-bigram-baseline' &&
    a.formatVersion === 1 &&
    (a.threshold === undefined || typeof a.threshold === 'number') &&
    Array.isArray(a.intents) &&
    a.intents.every((intent: unknown) => {
      const i = intent as Record<string, unknown> | null;
      return typeof i === 'object' && i !== null && typeof i.id === 'string' && Array.isArray(i.examples) && i.examples.every((e) => typeof e === 'string');
    })
  );
}

/** Lower-cased NFKC text with every run of non-letters, non-digits turned into one space. */
export function normalizeForBigrams(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The set of character bigrams of the normalized text (the text itself when shorter than two characters). */
export function charBigrams(text: string): Set<string> {
  const chars = Array.from(normalizeForBigrams(text));
  const out = new Set<string>();
  if (chars.length === 1) out.add(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

interface BigramIndex {
  readonly intentOf: readonly string[];
  readonly sizes: Int32Array;
  readonly postings: ReadonlyMap<string, readonly number[]>;
}

function buildBigramIndex(intents: readonly { readonly id: string; readonly examples: readonly string[] }[]): BigramIndex {
  const intentOf: string[] = [];
  const sizes: number[] = [];
  const postings = new Map<string, number[]>();
  for (const intent of intents) {
    for (const example of intent.examples) {
      const grams = charBigrams(example);
      if (grams.size === 0) continue;
      const e = intentOf.length;
      intentOf.push(intent.id);
      sizes.push(grams.size);
      for (const gram of grams) {
        let list = postings.get(gram);
        if (!list) postings.set(gram, (list = []));
        list.push(e);
      }
    }
  }
  return { intentOf, sizes: Int32Array.from(sizes), postings };
}

function predictNearest(index: BigramIndex, text: string, threshold: number): Prediction {
  const grams = charBigrams(text);
  if (grams.size === 0 || index.intentOf.length === 0) return { intent: null, confidence: 0 };
  const shared = new Int32Array(index.intentOf.length);
  for (const gram of grams) for (const e of index.postings.get(gram) ?? []) shared[e]!++;
  let best = -1;
  let bestScore = 0;
  for (let e = 0; e < shared.length; e++) {
    const score = (2 * shared[e]!) / (grams.size + index.sizes[e]!);
    if (score > bestScore) {
      bestScore = score;
      best = e;
    }
  }
  const confidence = Math.round(bestScore * 1000) / 1000;
  if (best < 0 || bestScore < threshold) return { intent: null, confidence };
  return { intent: index.intentOf[best]!, confidence };
}
