import type { ModelArtifact } from '../../../shared/ml/modelArtifact';
import type { OutOfScopePoint } from '../../../shared/ml/outOfScope';
import type { QuestionReport } from '../../../shared/ml/questionReport';
import type { QueueOrders } from '../../../shared/ml/rankQueues';
import type { EvaluationReport, TrainingPhase } from '../../../shared/ml/trainingRun';
import type { TopThree } from '../../../shared/ml/uncertainty';
import type { JobMessage } from '../workerJob';
import type { PackedTexts } from './textPack';

/**
 * What the worker needs of the workspace to rank the queues, taken when the job starts, index-aligned with the
 * scored texts; the typed arrays are transferred, not copied.
 */
export interface RankColumns {
  /** 0 for "no match", 1 when the platform named an intent without a confidence. */
  readonly platformConfidence: Float32Array;
  /** Index into `platformIntents`, −1 for no prediction. */
  readonly platformIntent: Int32Array;
  readonly platformIntents: readonly string[];
  /** 1 where the utterance was labeled. */
  readonly labeled: Uint8Array;
}

/** A saved version's training rows, for ranking its review queues (the model's intents index its labels). */
export interface RankTrainingColumns {
  readonly utterances: Int32Array;
  readonly intentIds: readonly string[];
  readonly quality: Float32Array;
  readonly isIssue: Uint8Array;
  /** The out-of-fold model's class of each row, an index into the model's labels. */
  readonly modelIntent: Int32Array;
}

/**
 * Train: k-fold evaluation, final model, scoring, ranking. Score: score and rank texts with an existing artifact.
 * RankUncovered: Uncovered alone again, at a new out-of-scope threshold.
 */
export type WorkerRequest =
  | {
      readonly kind: 'train';
      /** Every utterance's text (the worker scores them all; training texts are taken from them by index). */
      readonly score: PackedTexts;
      /** The utterance index of each training row, and its label. */
      readonly utterances: Int32Array;
      readonly labels: readonly string[];
      /** Utterances labeled "none of these": out-of-scope examples used to choose the threshold. */
      readonly outOfScopeUtterances: Int32Array;
      readonly rank: RankColumns;
      /** The bot question each utterance answered (`CallTable.uttPrompt`/`uttNode` and their tables), for the report per question. */
      readonly questions: QuestionColumnsMessage;
      /** A threshold the user chose, which the new version keeps (Uncovered is ranked at it); null: measure one. */
      readonly keptThreshold: number | null;
      readonly folds: number;
      readonly seed: number;
    }
  | {
      readonly kind: 'score';
      readonly artifact: ModelArtifact;
      readonly score: PackedTexts;
      readonly rank: RankColumns;
      readonly training: RankTrainingColumns | null;
    }
  | { readonly kind: 'rankUncovered'; readonly platformConfidence: Float32Array; readonly outOfScope: Float32Array; readonly threshold: number };

/** `QuestionColumns` as the worker receives them: the index columns transferred, the string tables copied. */
export interface QuestionColumnsMessage {
  readonly prompt: Int32Array;
  readonly node: Int32Array;
  readonly prompts: readonly string[];
  readonly nodes: readonly string[];
}

/**
 * Top-three intents (indexes into the model's labels, -1 when the model has fewer) and their probabilities, and the
 * out-of-scope score (at the model's out-of-scope temperature, as the platform predicts with it), index-aligned with `score`.
 */
export interface ScoredColumns extends TopThree {
  readonly outOfScope: Float32Array;
}

/**
 * Per training text, from the same out-of-fold probabilities as its label quality and suggestion: the top three classes
 * (indexes into the model's labels, -1 when absent) with their probabilities, and the suggested class's probability
 * (NaN when none).
 */
export interface ReviewColumns extends TopThree {
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
  /** The queues ranked over `scored`, Uncovered at the kept threshold if any, else the measured one. */
  readonly orders: QueueOrders;
  /** The report per bot question (examples as utterance indexes), at the threshold Uncovered was ranked at. */
  readonly questions: QuestionReport;
  readonly questionsThreshold: number;
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
  readonly orders: QueueOrders;
}

export interface RankUncoveredResult {
  readonly kind: 'rankedUncovered';
  readonly order: Int32Array;
}

export type WorkerMessage = JobMessage<TrainingPhase, TrainResult | ScoreResult | RankUncoveredResult>;
