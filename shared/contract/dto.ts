import type { Call, Intent, IntentStatus, Label, LabelEvent, LabelTarget, Utterance } from '../domain/types';

/** DTOs returned across the process boundary: plain, readonly, structured-clone-safe. */

export interface RecoveryNotice {
  /** File the problem was found in, relative to the workspace folder. */
  readonly file: string;
  readonly message: string;
}

export interface WorkspaceInfo {
  readonly folder: string;
  readonly name: string;
  readonly languages: readonly string[];
  readonly annotators: readonly string[];
  readonly calls: number;
  readonly utterances: number;
  readonly labeled: number;
  /** Problems found and repaired while opening (torn journal tail, corrupt snapshot, …). */
  readonly recovery: readonly RecoveryNotice[];
}

export type UiLanguage = 'zh-CN' | 'en';

export interface Settings {
  readonly annotator: string;
  readonly uiLanguage: UiLanguage;
  readonly workspaceFolder: string;
}

/** Unlabeled and Recently labeled always; the other four are ranked by the intent model once one is trained. */
export type QueueId = 'unlabeled' | 'recent' | 'uncovered' | 'informative' | 'mislabeled' | 'disagreements';

/** One intent with the model's probability for it. */
export interface IntentProbability {
  readonly intentId: string;
  readonly probability: number;
}

/** Why an item is in a ranked queue, in numbers the UI turns into words. */
export interface QueueReason {
  /** The local model's two most probable intents. */
  readonly top: readonly IntentProbability[];
  /** 1 − the model's top probability: higher = more likely no intent fits. */
  readonly outOfScopeScore: number;
  /** Mislabeled queue: the intent confident learning suggests instead of the label, with the current model's
   * probability for it when it is among the model's top two (else null). */
  readonly suggestion?: { readonly intentId: string; readonly probability: number | null };
  /** Mislabeled queue: out-of-fold probability of the given label (lower = more likely wrong). */
  readonly labelQuality?: number;
  /** Disagreements queue: the out-of-fold model's intent for this labeled utterance. */
  readonly modelIntent?: string;
}

export interface QueueSummary {
  readonly id: QueueId;
  readonly count: number;
  /** False for the model-ranked queues until a model has been trained. */
  readonly ready: boolean;
}

/** An utterance as a queue shows it, with its label if any and the bot prompt before it. */
export interface QueueItem extends Utterance {
  readonly label: Label | null;
  readonly botPrompt: string | null;
  readonly campaign: string;
  readonly startedAt: number;
  /** Set in the model-ranked queues. */
  readonly reason?: QueueReason;
}

export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly T[];
}

export interface LabelResult {
  /** Id of the action, to pass to `undoAction`. */
  readonly actionId: string;
  readonly changed: number;
  readonly labels: readonly Label[];
}

export interface UndoResult {
  readonly actionId: string;
  /** Utterances whose label went back to what it was before the action. */
  readonly reverted: readonly string[];
  /** Utterances left alone because someone changed them after the action. */
  readonly skipped: readonly string[];
}

export interface LabelProgress {
  readonly annotator: string;
  readonly labeledTotal: number;
  readonly unlabeled: number;
  /** Labels this annotator made in the last hour. */
  readonly lastHour: number;
}

export interface IntentWithCounts extends Intent {
  readonly labeled: number;
  readonly predicted: number;
}

export interface LibraryIntent {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly examples: readonly string[];
  readonly group: string;
}

export interface MergeResult {
  readonly actionId: string;
  readonly relabeled: number;
  readonly target: Intent;
}

export interface CallSummary {
  readonly id: string;
  readonly startedAt: number;
  readonly campaign: string;
  readonly userTurns: number;
  readonly labeledTurns: number;
  /** First user turn, to recognise the call in a list. */
  readonly preview: string;
}

export interface CallDetail extends Call {
  /** Labels of the call's user turns, keyed by turn index. */
  readonly labels: Readonly<Record<number, Label>>;
}

export interface RowError {
  readonly line: number;
  readonly field?: string;
  readonly reason: string;
}

export interface ImportReport {
  readonly file: string;
  readonly rows: number;
  readonly callsImported: number;
  readonly utterancesImported: number;
  readonly labelsImported: number;
  /** Bad rows, each named by line; the good rows were imported. */
  readonly errors: readonly RowError[];
  /** Errors beyond the first 1,000 are counted, not listed. */
  readonly moreErrors: number;
}

export type ExportFormat = 'jsonl' | 'csv' | 'rasa';

export interface ExportReport {
  readonly path: string;
  readonly format: ExportFormat;
  readonly rows: number;
}

export interface ExportContent {
  readonly fileName: string;
  readonly format: ExportFormat;
  readonly rows: number;
  readonly content: string;
}

/** A model version kept in the workspace, with its k-fold evaluation headline. */
export interface ModelSummary {
  readonly version: number;
  readonly createdAt: number;
  readonly examples: number;
  readonly intents: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly ece: number;
  readonly trainSeconds: number;
  /** Hash of the training data (texts and labels) the version was trained on. */
  readonly dataHash: string;
  readonly outOfScopeThreshold: number;
}

export interface IntentScoreDto {
  readonly intentId: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** The full evaluation of a model version (out-of-fold, k-fold cross-validation). */
export interface ModelReport extends ModelSummary {
  readonly folds: number;
  readonly perIntent: readonly IntentScoreDto[];
  readonly confusedPairs: readonly { readonly actual: string; readonly predicted: string; readonly count: number }[];
  readonly reliability: readonly { readonly lower: number; readonly upper: number; readonly count: number; readonly meanConfidence: number; readonly accuracy: number }[];
}

export type TrainPhase = 'preparing' | 'folds' | 'final' | 'scoring' | 'saving';

export interface TrainJob {
  readonly jobId: string;
  readonly phase: TrainPhase;
  /** Share of the phase done, in [0, 1]. */
  readonly progress: number;
  readonly startedAt: number;
  /** Started by itself after enough new labels (warm retraining), or by a person. */
  readonly automatic: boolean;
}

export interface ModelStatus {
  readonly job: TrainJob | null;
  readonly latest: ModelSummary | null;
  /** Label changes since the latest version was trained. */
  readonly labelsSinceTraining: number;
  /** Why training cannot start yet (too few labels), or null. */
  readonly cannotTrain: string | null;
  /** When the queues were last re-ranked (epoch ms), or null. */
  readonly rankedAt: number | null;
}

export type { Call, Intent, IntentStatus, Label, LabelEvent, LabelTarget, Utterance };

/** Why the last sync request failed, for words and icons in the UI. */
export type SyncErrorKind = 'auth' | 'unreachable' | 'timeout' | 'server' | 'malformed' | 'protocol' | 'version' | 'cursor' | 'not_found' | 'io';

export interface SyncErrorInfo {
  readonly kind: SyncErrorKind;
  readonly message: string;
  readonly at: number;
}

export type SyncPhase = 'catalogue' | 'calls' | 'push' | 'labels';

/** A running (or just finished) sync with the platform. */
export interface SyncJob {
  readonly jobId: string;
  readonly phase: SyncPhase;
  /** Share of the phase done, in [0, 1]. */
  readonly progress: number;
  readonly startedAt: number;
  /** Calls stored by this job so far. */
  readonly callsPulled: number;
  /** Calls still on the platform after the last page read, when it said. */
  readonly callsRemaining: number | null;
  /** Outbox labels the platform acknowledged during this job. */
  readonly labelsPushed: number;
  /** Other annotators' labels read from the platform during this job. */
  readonly labelsPulled: number;
}

/** The workspace's link to a bot platform. */
export interface SyncStatus {
  /** 'disconnected' until sync.connect; then 'online' or 'offline' after the last request. */
  readonly connection: 'disconnected' | 'online' | 'offline';
  readonly url: string | null;
  readonly project: string | null;
  /** When the last sync finished without an error (epoch ms). */
  readonly lastSyncAt: number | null;
  /** Feed position of the newest call stored (the platform's `seq`), 0 before the first pull. */
  readonly lastCallSeq: number;
  /** Label changes waiting in the outbox to be sent. */
  readonly pendingLabels: number;
  /** Disagreements with other annotators that nobody has resolved yet. */
  readonly conflicts: number;
  /** Labels the platform refused for good (e.g. an utterance it does not know). */
  readonly rejectedLabels: number;
  readonly job: SyncJob | null;
  readonly lastError: SyncErrorInfo | null;
}

/** Another annotator labeled an utterance differently: both labels are kept until someone resolves it. */
export interface SyncConflict {
  readonly id: string;
  readonly utteranceId: string;
  /** The utterance's text; empty when the utterance is not in this workspace. */
  readonly text: string;
  /** The label in this workspace now (null when it was cleared since). */
  readonly mine: Label | null;
  readonly theirs: { readonly target: LabelTarget; readonly annotator: string; readonly at: number };
  /** Found when pushing our label ('push') or when pulling theirs ('pull'). */
  readonly foundBy: 'push' | 'pull';
  readonly detectedAt: number;
}

/** A model version in the platform's registry. */
export interface PlatformModel {
  readonly version: number;
  readonly uploadedAt: number;
  readonly notes: string;
  readonly active: boolean;
  readonly sizeBytes: number;
  /** SHA-256 of the artifact's JSON text, hex. */
  readonly sha256: string;
  /** The workspace version it was pushed from, when Callsift pushed it (read from its evaluation). */
  readonly localVersion: number | null;
  /** Out-of-fold accuracy the uploader attached, when Callsift pushed it. */
  readonly accuracy: number | null;
}

export interface PlatformModelList {
  /** The active platform version, or null (the platform predicts with its catalogue baseline). */
  readonly active: number | null;
  /** True when a rollback has a previously active version to return to. */
  readonly canRollBack: boolean;
  /** Newest first. */
  readonly models: readonly PlatformModel[];
}

/** One model's figures on the comparison data; null when there was nothing to measure on. */
export interface ModelFigures {
  /** Share of the accuracy utterances whose predicted intent equals the label, in [0, 1]. */
  readonly accuracy: number | null;
  /** Share of the coverage utterances predicted with an intent (confidence over the model's threshold), in [0, 1]. */
  readonly coverage: number | null;
}

/**
 * A local version against the platform's active model on the same data. `held-out`: accuracy of both on the labeled
 * utterances the version did not train on. `out-of-fold`: every label was trained on, so the local accuracy is the
 * version's out-of-fold (k-fold) figure and the platform's is measured on those labeled utterances (or is its own
 * out-of-fold figure when it was pushed from this workspace). Coverage of both is measured on the user utterances the
 * version did not train on.
 */
export interface ModelComparison {
  readonly localVersion: number;
  /** The active platform version, or null when the platform runs its built-in baseline. */
  readonly platformVersion: number | null;
  /** How the platform predicts: `artifact`, `bigram-artifact` or `catalogue-baseline`. */
  readonly platformKind: string;
  readonly accuracyBasis: 'held-out' | 'out-of-fold';
  /**
   * `measured`: the platform's accuracy comes from its predictions on the accuracy utterances. `out-of-fold` (only with an
   * `out-of-fold` basis): the platform's active model was pushed from this workspace, so both figures are out-of-fold ones
   * (measuring it on labels it trained on would flatter it).
   */
  readonly platformAccuracyBasis: 'measured' | 'out-of-fold';
  /** Labeled utterances the platform's accuracy was measured on (0 when both are out-of-fold figures). */
  readonly accuracyExamples: number;
  /** User utterances coverage was measured on. */
  readonly coverageExamples: number;
  readonly local: ModelFigures;
  readonly platform: ModelFigures;
  /** The platform version that already holds this local version's artifact, or null when it was not pushed. */
  readonly pushedAs: number | null;
}

export interface ModelPushResult {
  readonly platformVersion: number;
  /** False when the platform already had this artifact (nothing was uploaded). */
  readonly created: boolean;
  readonly models: PlatformModelList;
}
