import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import type { OutOfScopePoint } from '../../../shared/ml/outOfScope';
import type { EvaluationReport, TrainingPhase } from '../../../shared/ml/trainingRun';

/** Train: k-fold evaluation, final model, scoring. Score: rank texts with an existing artifact. */
export type WorkerRequest =
  | {
      readonly kind: 'train';
      readonly texts: readonly string[];
      readonly labels: readonly string[];
      /** Texts labeled "none of these": out-of-scope examples used to choose the threshold. */
      readonly outOfScopeTexts: readonly string[];
      readonly score: readonly string[];
      readonly folds: number;
      readonly seed: number;
    }
  | { readonly kind: 'score'; readonly artifact: ModelArtifact; readonly score: readonly string[] };

/**
 * Top-three intents (indexes into the model's labels, -1 when the model has fewer) and their probabilities, and the
 * out-of-scope score (at the model's out-of-scope temperature, as the platform predicts with it), index-aligned with `score`.
 */
export interface ScoredColumns {
  readonly first: Int32Array;
  readonly firstProb: Float32Array;
  readonly second: Int32Array;
  readonly secondProb: Float32Array;
  readonly third: Int32Array;
  readonly thirdProb: Float32Array;
  readonly outOfScope: Float32Array;
}

/**
 * Per training text, from the same out-of-fold probabilities as its label quality and suggestion: the top three classes
 * (indexes into the model's labels, -1 when absent) with their probabilities, and the suggested class's probability
 * (NaN when none).
 */
export interface ReviewColumns {
  readonly first: Int32Array;
  readonly firstProb: Float32Array;
  readonly second: Int32Array;
  readonly secondProb: Float32Array;
  readonly third: Int32Array;
  readonly thirdProb: Float32Array;
  readonly suggestedProb: Float32Array;
}

export interface TrainResult {
  readonly kind: 'trained';
  readonly artifact: ModelArtifact;
  readonly report: EvaluationReport;
  readonly scored: ScoredColumns;
  /** Index-aligned with the training texts. */
  readonly labelQuality: Float32Array;
  readonly suggested: Int32Array;
  readonly isIssue: Uint8Array;
  readonly outOfFoldPrediction: Int32Array;
  /** The out-of-fold figures review queues show, index-aligned with the training texts. */
  readonly review: ReviewColumns;
  readonly outOfScope: OutOfScopeMeasurement;
  readonly trainSeconds: number;
}

/** How the out-of-scope threshold was measured: the scores it was chosen on and the figures they give. */
export interface OutOfScopeMeasurement {
  /** Out-of-fold out-of-scope scores of the evaluated in-scope labeled utterances. */
  readonly inScope: Float32Array;
  /** Out-of-scope scores of the utterances labeled "none of these" (they are not trained on). */
  readonly examples: Float32Array;
  readonly curve: readonly OutOfScopePoint[];
  /** The figures at the chosen threshold (the artifact's). */
  readonly atThreshold: OutOfScopePoint;
}

export interface ScoreResult {
  readonly kind: 'scored';
  readonly scored: ScoredColumns;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly phase: TrainingPhase; readonly done: number }
  | TrainResult
  | ScoreResult
  | { readonly kind: 'error'; readonly message: string };
