import type { ErrorSentence } from './errorWords';
import type { RecoverySentence } from './recovery';
import type { NetChangeEstimate as JudgedNetChange } from '../ml/gate/judge';
import type { NetChangeEstimate, PushBlockReason } from '../ml/gate/pushGate';
import type { ReplayShares } from '../ml/gate/replay';
export type { KeyMapPin } from '../domain/keyMapPin';
import type { Call, Intent, IntentStatus, Label, LabelEvent, LabelTarget, Utterance } from '../domain/types';

/** DTOs returned across the process boundary: plain, readonly, structured-clone-safe. */

export interface RecoveryNotice {
  /** File the problem was found in, relative to the workspace folder. */
  readonly file: string;
  /** What was found and done, as sentences the UI words in its language (`shared/contract/recovery.ts`). */
  readonly sentences: readonly RecoverySentence[];
  /** The same in English, for logs and the command line. */
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
  /** False until someone has given the annotator name (it defaults to the computer's user name): the UI asks once. */
  readonly annotatorChosen: boolean;
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
  /**
   * The local model's three most probable intents, best first (fewer when the model has fewer). In the review queues
   * they are the out-of-fold probabilities the label quality and suggestion come from.
   */
  readonly top: readonly IntentProbability[];
  /** The model's out-of-scope score (1 − its top probability at its out-of-scope temperature): higher = more likely no intent fits. */
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
  /**
   * Set by `queue.getPage`: the intents usually given to the bot question this utterance answered (its flow node, else
   * its prompt), counted over the other labeled replies to it; absent when it answered none or too few are labeled.
   */
  readonly usualIntents?: UsualIntents;
}

/** The intents most often given to one bot question: up to three, most first, with their share of its labeled replies. */
export interface UsualIntents {
  /** Labeled replies (with an intent) the shares are counted over. */
  readonly labeled: number;
  readonly top: readonly { readonly intentId: string; readonly share: number }[];
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

/**
 * What is wrong with a row or a whole import file, as a code the UI words in its language (zh-CN or en); `params`
 * fill its words (`line`, `encoding`, `expected`, `got`, …). The English `reason` is for logs; the UI never shows it.
 */
export type ImportIssueCode =
  // reading the file
  | 'unknown_format'
  | 'binary_file'
  | 'decode_failed'
  | 'invalid_json'
  | 'not_json_object'
  | 'json_array_file'
  | 'line_too_long'
  | 'unclosed_quote'
  | 'bad_closing_quote'
  | 'row_too_long'
  | 'no_header'
  | 'missing_columns'
  | 'wrong_column_count'
  | 'sheet_not_found'
  | 'unreadable_workbook'
  // fields of a row
  | 'missing_field'
  | 'blank_field'
  | 'not_text'
  | 'text_too_long'
  | 'value_too_long'
  | 'bad_speaker'
  | 'bad_confidence'
  | 'bad_time'
  | 'bad_turn_index'
  | 'label_on_bot_turn'
  | 'bad_turns'
  | 'bad_turn'
  // calls
  | 'no_user_turn'
  | 'row_needs_user_turn'
  | 'call_not_consecutive'
  | 'duplicate_call_id'
  | 'duplicate_turn_index'
  | 'too_many_turns'
  | 'call_differs';

/** Values that fill an issue's words. */
export type ImportIssueParams = Readonly<Record<string, string | number>>;

export interface RowError {
  /** 1-based physical line where the row starts (for xlsx: the sheet's row number). */
  readonly line: number;
  readonly field?: string;
  /** The problem in English words, for logs; the UI words `code` + `params` in its own language. */
  readonly reason: string;
  readonly code: ImportIssueCode;
  readonly params?: ImportIssueParams;
}

export interface ImportReport {
  readonly file: string;
  /** Non-blank rows read (lines of JSON Lines, records of CSV/TSV, rows of a sheet), the header not counted. */
  readonly rows: number;
  /** Rows of calls new to the workspace. */
  readonly rowsNew: number;
  /** Rows of calls already in the workspace that brought something new (a label for an unlabeled turn). */
  readonly rowsUpdated: number;
  /** Rows of calls already in the workspace, with nothing new. */
  readonly rowsUnchanged: number;
  /** Rows not imported: each is, or belongs to a call that is, in `errors`. */
  readonly rowsSkipped: number;
  readonly callsNew: number;
  readonly callsUpdated: number;
  readonly callsUnchanged: number;
  /** Calls added to the workspace (= callsNew). */
  readonly callsImported: number;
  readonly utterancesImported: number;
  /** Labels set, on new calls and on unlabeled turns of calls already in the workspace. */
  readonly labelsImported: number;
  /** How the file was read. */
  readonly format: ImportFormat;
  /** The text encoding used (null for xlsx). */
  readonly encoding: TextEncodingName | null;
  /** Bad rows, each named by line; the good rows were imported. */
  readonly errors: readonly RowError[];
  /** Errors beyond the first 1,000 are counted, not listed. */
  readonly moreErrors: number;
}

export type ExportFormat = 'jsonl' | 'csv' | 'rasa' | 'xlsx';

/** How an import file is read. */
export type ImportFormat = 'jsonl' | 'csv' | 'tsv' | 'xlsx';

/** Text encodings import reads (names as iconv-lite and the WHATWG Encoding spec spell them). */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'gbk' | 'big5';

/** Fields a column can be mapped to (as in JSON Lines; CSV headers say them in snake_case or by a synonym). */
export type ImportField =
  | 'text'
  /** The bot's words before the user's on the same row: a bot turn is added before the row's user turn. */
  | 'botText'
  | 'callId'
  | 'turnIndex'
  | 'speaker'
  | 'intent'
  | 'predictedIntent'
  | 'predictedConfidence'
  | 'asrConfidence'
  | 'startedAt'
  | 'campaign'
  | 'language'
  | 'split'
  | 'id'
  | 'annotator'
  | 'labeledAt'
  /**
   * The flow node (step id) of the bot turn: on a bot row it names that row's turn, on a user row with `botText` the
   * bot turn of that column; on a user row without bot words it is ignored.
   */
  | 'node';

/** Header (as written in the file) → field, or null to ignore the column. */
export type ImportMapping = Readonly<Record<string, ImportField | null>>;

/** A problem found while reading, with its code for the UI (see RowError); `line` when it is about one place. */
export interface ImportIssue {
  readonly code: ImportIssueCode;
  readonly params?: ImportIssueParams;
  readonly reason: string;
  readonly line?: number;
}

/** An encoding the file might be in, as guessed from its first bytes. */
export interface EncodingGuess {
  readonly encoding: TextEncodingName;
  /** 0–100. */
  readonly confidence: number;
}

/** One row of a preview: what import will read from it, after mapping. */
export interface PreviewRow {
  readonly line: number;
  /** Cells by header, as read. */
  readonly cells: readonly string[];
  /** Mapped fields with their text (empty cells left out). */
  readonly fields: Readonly<Partial<Record<ImportField, string>>>;
}

/** What transfer.previewImport found in the first rows of a file; nothing is imported. */
export interface ImportPreview {
  readonly file: string;
  readonly format: ImportFormat;
  /** The encoding used (null for xlsx), whether it was detected or given, and the other likely ones. */
  readonly encoding: TextEncodingName | null;
  readonly encodingSource: 'bom' | 'detected' | 'given' | null;
  readonly encodingAlternatives: readonly EncodingGuess[];
  /** CSV/TSV: the cell separator used (sniffed, from a `sep=` line, or given); null otherwise. */
  readonly delimiter: string | null;
  /** True when the first row is a header (tables always; JSON Lines: false). */
  readonly hasHeader: boolean;
  /** xlsx: every sheet, in order, and the one read. */
  readonly sheets: readonly string[];
  readonly sheet: string | null;
  /** Header cells as written (tables), or the JSON fields seen in the sample (JSON Lines). */
  readonly headers: readonly string[];
  readonly mapping: ImportMapping;
  /** 'given': the mapping option; 'remembered': used before for this set of headers; 'auto': from header names. */
  readonly mappingSource: 'auto' | 'remembered' | 'given';
  readonly unmappedHeaders: readonly string[];
  /** Required fields no column maps to (only `text` is required); import refuses the file while one is missing. */
  readonly missingFields: readonly ImportField[];
  /** The first rows (about 20), as import will read them. */
  readonly rows: readonly PreviewRow[];
  /** Problems in the sampled rows (and a refusal of the whole file, e.g. `decode_failed`). */
  readonly issues: readonly ImportIssue[];
  /** False when import would refuse the file as it stands (see issues). */
  readonly importable: boolean;
  readonly totalBytes: number;
}


export interface ExportReport {
  readonly path: string;
  readonly format: ExportFormat;
  readonly rows: number;
}

/** An export for the browser to download: text formats as `content`, binary formats (xlsx) as `contentBase64`. */
export interface ExportContent {
  readonly fileName: string;
  readonly format: ExportFormat;
  readonly rows: number;
  /** MIME type of the file, for the download. */
  readonly mimeType: string;
  /** The file as text; empty for binary formats, whose bytes are in `contentBase64`. */
  readonly content: string;
  /** The file's bytes in base64; only for binary formats (xlsx). */
  readonly contentBase64?: string;
}

/** Formats of a model report export: xlsx (a summary sheet and the per-intent table) or CSV (the per-intent table). */
export type ReportExportFormat = 'xlsx' | 'csv';

/** A model report written to a file. `rows` counts the per-intent rows. */
export interface ReportExportReport {
  readonly path: string;
  readonly format: ReportExportFormat;
  readonly version: number;
  readonly rows: number;
}

/** A model report for the browser to download; like ExportContent. */
export interface ReportExportContent {
  readonly fileName: string;
  readonly format: ReportExportFormat;
  readonly version: number;
  readonly rows: number;
  readonly mimeType: string;
  /** The file as text (CSV); empty for xlsx, whose bytes are in `contentBase64`. */
  readonly content: string;
  /** The file's bytes in base64; only for xlsx. */
  readonly contentBase64?: string;
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
  /** Why the default (measured) out-of-scope threshold moved noticeably since the previous version; absent when it did not. */
  readonly outOfScopeThresholdChange?: OutOfScopeThresholdChangeDto;
}

/** The default out-of-scope threshold moved between versions: from what to what, and the figures that explain it. */
export interface OutOfScopeThresholdChangeDto {
  readonly previousVersion: number;
  /** The previous version's measured threshold, and this version's. */
  readonly from: number;
  readonly to: number;
  /** Labeled utterances trained on, before and now. */
  readonly previousExamples: number;
  readonly examples: number;
  /** Utterances labeled "none of these" the threshold was measured on, before and now. */
  readonly previousOutOfScopeExamples: number;
  readonly outOfScopeExamples: number;
  /** What the old and the new threshold flag on this version's labels (out of fold). */
  readonly atFrom: OutOfScopePointDto;
  readonly atTo: OutOfScopePointDto;
  /** False when a threshold a user chose stays in use: the default moved, the threshold applied did not. */
  readonly applied: boolean;
}

export interface IntentScoreDto {
  readonly intentId: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** What flagging utterances with an out-of-scope score ≥ `threshold` gives on the labeled data. */
export interface OutOfScopePointDto {
  readonly threshold: number;
  /** Share of in-scope labeled utterances (out-of-fold) that would be flagged, in [0, 1]. */
  readonly inScopeFlagged: number;
  /** Share of "none of these" utterances flagged; null without such examples. */
  readonly oosRecall: number | null;
  /** Share of flagged labeled utterances that are "none of these"; null without such examples or when none is flagged. */
  readonly oosPrecision: number | null;
}

/** Out-of-fold counts among the most confused intents: `counts[a][p]` = utterances of intents[a] predicted as intents[p]. */
export interface ConfusionMatrixDto {
  /** Intent ids, most confused first. */
  readonly intents: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

/** The full evaluation of a model version (out-of-fold, k-fold cross-validation). */
export interface ModelReport extends ModelSummary {
  readonly folds: number;
  readonly perIntent: readonly IntentScoreDto[];
  readonly confusedPairs: readonly { readonly actual: string; readonly predicted: string; readonly count: number }[];
  readonly reliability: readonly { readonly lower: number; readonly upper: number; readonly count: number; readonly meanConfidence: number; readonly accuracy: number }[];
  /** Out-of-scope figures at thresholds 0, 0.01, …, 1; absent in versions saved before it was measured. */
  readonly outOfScopeCurve?: readonly OutOfScopePointDto[];
  /** Out-of-scope figures at `outOfScopeThreshold`; absent or null when not measured. */
  readonly outOfScopeAtThreshold?: OutOfScopePointDto | null;
  /** How many "none of these" utterances the out-of-scope figures were measured on. */
  readonly outOfScopeExamples?: number;
  /**
   * Where `outOfScopeThreshold` comes from: 'measured' (chosen on this version's labels), 'chosen' (set by a user on
   * this version) or 'kept' (a user's choice on an earlier version, carried over). Absent in older versions: measured.
   */
  readonly outOfScopeThresholdSource?: 'measured' | 'chosen' | 'kept';
  /** The threshold measured on this version's labels (the default), whatever is in use; absent in older versions. */
  readonly outOfScopeMeasuredThreshold?: number;
  /** The most confused intents (up to 12); absent in versions saved before it was measured. */
  readonly confusionMatrix?: ConfusionMatrixDto;
  /**
   * The report per bot question as saved with the version (read with `model.getQuestionReport`; `getReport` leaves it
   * out); absent in versions saved before it was measured.
   */
  readonly questions?: SavedQuestionReport;
}

/** Why an example reply of a question was picked: its label was mistaken out of fold, it is uncovered, or neither. */
export type QuestionExampleKind = 'confused' | 'uncovered' | 'other';

/** A reply to a bot question, with its label (labeled replies) and the model's intent. */
export interface QuestionExampleDto {
  readonly utteranceId: string;
  readonly text: string;
  readonly kind: QuestionExampleKind;
  /** Its intent label, or null when it has none the model trained on. */
  readonly label: string | null;
  /** The out-of-fold model's intent for a labeled reply, else the version's top intent; null when none. */
  readonly predicted: string | null;
}

/** One bot question (a flow node, else a prompt text) of a model version, with how the model does on its replies. */
export interface QuestionRowDto {
  /** `n:<node>`, `p:<normalized prompt>`, or '' for replies no bot turn precedes. */
  readonly key: string;
  /** The prompt asked most often among its replies ('' for none). */
  readonly question: string;
  readonly node: string | null;
  /** Utterances answering it, and how many of them carry an intent label the model trained on. */
  readonly replies: number;
  readonly labeled: number;
  /** Labeled replies with an out-of-fold prediction. */
  readonly evaluated: number;
  /** Out-of-fold accuracy on its labeled replies, in [0, 1]; null when none was evaluated. */
  readonly accuracy: number | null;
  /** Share of its replies the version answers with an intent (out-of-scope score under the threshold). */
  readonly coverage: number;
  /** Replies the Uncovered rule flags (platform could not place them or the model calls them out of scope), and their share. */
  readonly uncovered: number;
  readonly uncoveredShare: number;
  /** Labeled replies the out-of-fold model mistook. */
  readonly confused: number;
  /** uncovered + confused: the order of the table, most first. */
  readonly trouble: number;
  /** Up to three (label → out-of-fold prediction) errors, most first. */
  readonly confusedPairs: readonly { readonly actual: string; readonly predicted: string; readonly count: number }[];
  /** A few replies: mistaken ones first, then uncovered ones, then the others. */
  readonly examples: readonly QuestionExampleDto[];
}

/** The report per bot question as kept in a version's report. */
export interface SavedQuestionReport {
  /** The out-of-scope threshold coverage and uncovered were measured at (the version's when it was trained). */
  readonly threshold: number;
  /** Questions in all; `questions` holds the (up to 100) with the most trouble. */
  readonly total: number;
  readonly questions: readonly QuestionRowDto[];
}

/** `model.getQuestionReport`: a version's report per bot question. */
export interface QuestionReportDto extends SavedQuestionReport {
  readonly version: number;
  /** False for a version saved before the report per question existed (then `questions` is empty). */
  readonly measured: boolean;
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
  /** Why training cannot start yet (too few labels), or null: a sentence the UI words (`errorWords.ts`). */
  readonly cannotTrain: ErrorSentence | null;
  /** When the queues were last re-ranked (epoch ms), or null. */
  readonly rankedAt: number | null;
  /** Why the saved model ranks nothing (its file is damaged, or it could not score), or null; the next training mends it. */
  readonly rankingProblem: RankingProblem | null;
  /** Warm retraining is due (enough new labels; it starts 2 s after them) and has not started yet. */
  readonly retrainPending: boolean;
}

/** A saved model version that could not rank the queues, which stay empty until the next training. */
export interface RankingProblem {
  readonly version: number;
  /** `damaged`: its file cannot be read; `cannot_score`: scoring the utterances with it failed. */
  readonly reason: 'damaged' | 'cannot_score';
  /** The technical detail, in English (also in the log). */
  readonly detail: string;
}

export type { Call, Intent, IntentStatus, Label, LabelEvent, LabelTarget, Utterance };

/** Why the last sync request failed, for words and icons in the UI. */
export type SyncErrorKind = 'auth' | 'unreachable' | 'timeout' | 'server' | 'malformed' | 'protocol' | 'version' | 'cursor' | 'not_found' | 'io';

export interface SyncErrorInfo {
  readonly kind: SyncErrorKind;
  /** English, for logs; the UI words `sentences`. */
  readonly message: string;
  readonly sentences?: readonly ErrorSentence<string>[];
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
  /** The gate's reasons this version was pushed over, with the lead's note, when Callsift pushed it with an override. */
  readonly gateOverride: GateOverride | null;
}

/** A version that was rolled back, and when it was active (the platform's clock, epoch ms). */
export interface RolledBackSpan {
  readonly version: number;
  readonly activatedAt: number;
  readonly rolledBackAt: number;
}

export interface PlatformModelList {
  /** The active platform version, or null (the platform predicts with its catalogue baseline). */
  readonly active: number | null;
  /** True when a rollback has a previously active version to return to. */
  readonly canRollBack: boolean;
  /** What a rollback would re-activate, or null. */
  readonly previous: number | null;
  /** When the active version became active (the platform's clock), or null when the platform does not say. */
  readonly activatedAt: number | null;
  /** When the active version came back by a rollback: the version rolled back and the span it was active; else null. */
  readonly rolledBack: RolledBackSpan | null;
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

/** What became of a discovered cluster. */
export type ClusterStatus = 'open' | 'accepted' | 'merged' | 'dismissed';

/** An utterance as discovery shows it. */
export interface ClusterUtterance {
  readonly utteranceId: string;
  readonly callId: string;
  readonly text: string;
  /** Cosine similarity to the cluster's centre, in [0, 1]. */
  readonly similarity: number;
  /** Attached to the nearest cluster although it fits none well. */
  readonly lowConfidence: boolean;
  /** How many members of the cluster share this normalized text (near-duplicates are folded). */
  readonly count: number;
}

/** A cluster of uncovered utterances, ranked by the traffic it carries. */
export interface ClusterSummary {
  readonly id: string;
  /** Members (utterances) of the cluster. */
  readonly size: number;
  /** Share of the uncovered pool, in [0, 1]. */
  readonly share: number;
  /** Distinct calls the members come from. */
  readonly calls: number;
  /** A name suggested from the keywords (an identifier the lead can edit). */
  readonly suggestedName: string;
  readonly keywords: readonly { readonly term: string; readonly score: number }[];
  /** Mean member similarity to the centre, in [0, 1]: higher is tighter. */
  readonly cohesion: number;
  readonly lowConfidence: number;
  /** Up to 5 most typical members with distinct texts. */
  readonly representatives: readonly ClusterUtterance[];
  /** Up to 5 least typical members. */
  readonly outliers: readonly ClusterUtterance[];
  /**
   * Members too unlike the rest to take the cluster's label by default (attached as noise, or far under its mean
   * similarity): accept, merge and dismiss leave them unlabeled unless asked to include them.
   */
  readonly atypical: number;
  /** Existing intents nearest to the cluster, most similar first. */
  readonly nearestIntents: readonly { readonly intentId: string; readonly similarity: number }[];
  readonly status: ClusterStatus;
  /** The intent the members were labeled with (accepted or merged). */
  readonly intentId: string | null;
  /** The cluster this one was split from. */
  readonly splitFrom: string | null;
  /** The bot questions its members answered, most replies first (at most 5); share is of the cluster's members. */
  readonly questions: readonly QuestionCount[];
}

export interface ClusterMember extends ClusterUtterance {
  readonly campaign: string;
  /** The member's label now, when someone labeled it since the clustering. */
  readonly label: LabelTarget | null;
}

export type DiscoveryPhase = 'preparing' | 'clustering' | 'describing' | 'saving';

export interface DiscoveryJob {
  readonly jobId: string;
  readonly phase: DiscoveryPhase;
  /** Share of the phase done, in [0, 1]. */
  readonly progress: number;
  readonly startedAt: number;
}

/** The last clustering of the uncovered pool. */
export interface DiscoveryRunInfo {
  readonly createdAt: number;
  /** Utterances clustered. */
  readonly pool: number;
  /** Distinct texts after near-duplicates were folded. */
  readonly distinct: number;
  readonly clusters: number;
  readonly lowConfidence: number;
  readonly seconds: number;
  /** The model version whose out-of-scope scores helped pick the pool, or null (platform predictions only). */
  readonly modelVersion: number | null;
  /** The run's scope: the one bot question whose uncovered replies it clustered; null or absent for the whole pool. */
  readonly question?: BotQuestion | null;
}

export interface DiscoveryStatus {
  readonly job: DiscoveryJob | null;
  readonly run: DiscoveryRunInfo | null;
  /** Uncovered utterances now: unlabeled ones the platform or the model could not place, and those labeled "none of these". */
  readonly pool: number;
  /** What the last discovery action was, when it can be undone. */
  readonly undo: { readonly kind: DiscoveryActionKind; readonly clusterId: string } | null;
}

export type DiscoveryActionKind = 'accept' | 'merge' | 'dismiss' | 'removeMembers' | 'split';

export interface DiscoveryActionResult {
  readonly kind: DiscoveryActionKind;
  /** The label action, when labels changed (also undoable from the label history). */
  readonly actionId: string | null;
  /** Utterances whose label changed. */
  readonly labeled: number;
  /** The intent created (accept) or labeled with (merge). */
  readonly intent: Intent | null;
  readonly clusters: readonly ClusterSummary[];
}

export interface DiscoveryUndoResult {
  readonly kind: DiscoveryActionKind;
  readonly clusterId: string;
  /** Labels put back as they were. */
  readonly reverted: number;
  readonly clusters: readonly ClusterSummary[];
}

/** An unlabeled utterance similar to an intent's examples. */
export interface ExpansionCandidate {
  readonly utteranceId: string;
  readonly callId: string;
  readonly text: string;
  readonly similarity: number;
}

export interface LabeledText {
  readonly utteranceId: string;
  readonly text: string;
  readonly intentId: string;
  /** The bot's words right before the utterance (what it answered), when there are any. */
  readonly botPrompt?: string | null;
  /** The flow node of that bot turn, when the platform names one. */
  readonly node?: string | null;
  /**
   * The intent a model that never saw this label predicts for the utterance (out of fold for a training row, else the
   * latest model's prediction); null before a model exists. When it equals `intentId` the model backs the label.
   */
  readonly modelIntentId?: string | null;
}

/**
 * A bot question replies answered: the flow node when the platform names one, and the prompt as worded (the most
 * frequent wording when one node is asked in several).
 */
export interface BotQuestion {
  /** What replies are grouped by (`questionKey`): `node:<node>`, else `prompt:<normalized prompt>`. */
  readonly key: string;
  readonly node: string | null;
  readonly prompt: string | null;
}

/** A bot question with the replies to it among some utterances. */
export interface QuestionCount extends BotQuestion {
  readonly count: number;
  /** count / the utterances counted, in [0, 1]. */
  readonly share: number;
}

/** Utterances with the same normalized text, answering the same question, labeled with different intents. */
export interface ConflictGroup {
  readonly normalized: string;
  /** The question they all answered, null when they follow no bot turn. */
  readonly question: BotQuestion | null;
  readonly items: readonly LabeledText[];
}

/** Problems in the labeled corpus, for review. */
export interface CleanupReport {
  /**
   * The same normalized text after the same question (node, else prompt) labeled with different intents, biggest
   * groups first: the same words after different questions are not a conflict.
   */
  readonly conflictingDuplicates: readonly ConflictGroup[];
  /** Near-duplicate utterances labeled with different intents, most similar first. */
  readonly nearDuplicates: readonly { readonly a: LabeledText; readonly b: LabeledText; readonly similarity: number }[];
  /** Intents the latest model keeps confusing (out of fold): candidates to merge or sharpen. Empty before a model exists. */
  readonly confusedPairs: readonly { readonly a: string; readonly b: string; readonly aToB: number; readonly bToA: number; readonly rate: number }[];
  readonly labeled: number;
}

/** An utterance the lead pinned with the intent every candidate must keep for it (a must-not-break case). */
export interface PinnedCase {
  readonly utteranceId: string;
  readonly text: string;
  /** The bot's question before it, when the call has one. */
  readonly botPrompt: string | null;
  readonly intentId: string;
  /** True when the intent is marked critical now. */
  readonly critical: boolean;
  readonly pinnedAt: number;
  readonly pinnedBy: string;
}

/** A pinned case a candidate breaks: what it predicts instead (null = "no match"). */
export interface BrokenPinnedCase extends PinnedCase {
  readonly predicted: string | null;
  readonly confidence: number;
}

/** The estimated net change in accuracy on replayed traffic, with its 95% interval (shared/ml/gate/pushGate.ts). */
export type NetChange = NetChangeEstimate;

/** Why the gate holds a push back. */
export type GateReason = PushBlockReason;

/** A local version checked against every pinned case (and the net-change estimate, when there is one). */
export interface GateCheck {
  readonly version: number;
  readonly pinned: number;
  readonly broken: readonly BrokenPinnedCase[];
  /** Null when no estimate was made for this version. */
  readonly netChange: NetChange | null;
  /** True when the version may be pushed without an override. */
  readonly passed: boolean;
  readonly reasons: readonly GateReason[];
}

/** What a push overrode, kept with the version in the platform's registry (its evaluation) and shown in the history. */
export interface GateOverride {
  readonly note: string;
  readonly by: string;
  readonly at: number;
  readonly reasons: readonly GateReason[];
}

/** How the activation watch counts and when it says traffic degraded (shared/ml/gate/watch.ts, WatchRule). */
export interface WatchSettings {
  /** A turn counts as covered with an intent at or above this confidence, in [0,1]. */
  readonly coverageConfidence: number;
  /** Degraded when coverage falls, or fallback or transfer share rises, by more than this many share points (in [0,1]). */
  readonly maxChange: number;
  /** Hours (and baselines) with fewer user turns are not judged. */
  readonly minTurns: number;
}

/** Coverage, fallback and transfer-to-a-person shares of a stretch of traffic; null when it holds no turns. */
export interface WatchShares {
  readonly turns: number;
  readonly coverage: number | null;
  readonly fallback: number | null;
  readonly transfer: number | null;
}

/** One hour after activation beside its baseline. */
export interface WatchHourDto {
  readonly hour: number;
  readonly start: number;
  readonly after: WatchShares;
  readonly before: WatchShares;
  readonly degraded: readonly ('coverage' | 'fallback' | 'transfer')[];
}

/** The platform's traffic since its active version was activated, hour by hour, against the hours before. */
export interface WatchReport {
  /** `none`: no version is active (or no activation time is known); `watching`: nothing degraded; `degraded`: some hour did. */
  readonly state: 'none' | 'watching' | 'degraded';
  readonly activeVersion: number | null;
  /** What a rollback would re-activate, or null. */
  readonly previousVersion: number | null;
  readonly activatedAt: number | null;
  /** The intents counted as a transfer to a person, and why: marked by the lead, or found by id or name. */
  readonly transferIntents: readonly string[];
  readonly transferBasis: 'marked' | 'byName' | 'none';
  readonly hours: readonly WatchHourDto[];
  /** The first degraded hour, or null. */
  readonly firstDegraded: WatchHourDto | null;
  readonly settings: WatchSettings;
}

/** Where a replay stands: reading the turns, predicting them (in worker threads), comparing and sampling. */
export type ReplayPhase = 'reading' | 'predicting' | 'comparing';

/** A running replay. */
export interface ReplayJob {
  readonly jobId: string;
  /** The candidate model version. */
  readonly version: number;
  readonly phase: ReplayPhase;
  /** Share of the phase done, in [0, 1]. */
  readonly progress: number;
  /** User turns replayed. */
  readonly turns: number;
  readonly startedAt: number;
}

/** Coverage (an intent at a confidence at or above the threshold) and fallback ("no match") shares, in [0, 1]. */
export type { ReplayShares };

/** A replayed turn shown as an example of a change. */
export interface ReplayExample {
  readonly utteranceId: string;
  readonly text: string;
  /** The bot's words the turn answered, when there are any. */
  readonly botPrompt: string | null;
  /** The active model's confidence, and the candidate's, in [0, 1]. */
  readonly fromConfidence: number;
  readonly toConfidence: number;
}

/** One old → new change: the active model's intent (null = no match) and the candidate's, with its turns. */
export interface ReplayTransitionDto {
  readonly from: string | null;
  readonly to: string | null;
  readonly count: number;
  readonly examples: readonly ReplayExample[];
}

/** What a candidate would change on the replayed traffic against the platform's active model. */
export interface ReplayResult {
  /** The candidate model version. */
  readonly version: number;
  /** The traffic replayed: calls started in [from, to) (epoch ms), of one campaign or all (null). */
  readonly from: number;
  readonly to: number;
  readonly campaign: string | null;
  /** Coverage counts confidences at or above this. */
  readonly threshold: number;
  readonly ranAt: number;
  readonly seconds: number;
  /** User turns compared. */
  readonly turns: number;
  /**
   * Where the active model's predictions come from: stored with the turns by the platform, or predicted here with the
   * active artifact from the platform's registry (its version); turns with neither are left out (`withoutOld`).
   */
  readonly oldFromTurns: number;
  readonly oldFromRegistry: number;
  readonly registryVersion: number | null;
  readonly withoutOld: number;
  readonly changed: number;
  /** changed / turns, in [0, 1]. */
  readonly changedShare: number;
  readonly before: ReplayShares;
  readonly after: ReplayShares;
  /** Turns per intent (null = no match) before and after, by volume after. */
  readonly volumes: readonly { readonly intentId: string | null; readonly before: number; readonly after: number }[];
  /** Old → new transitions, most turns first (at most 200). */
  readonly transitions: readonly ReplayTransitionDto[];
  /** Distinct transitions, all of them. */
  readonly transitionCount: number;
}

/** How the lead judged a changed turn: the candidate is right, the active model is, or neither. */
export type ReplayJudgment = 'new' | 'old' | 'neither';

/** A changed turn of the judged sample. Its judgment is read from its label: the label is the judgment. */
export interface JudgeItem extends ReplayExample {
  readonly from: string | null;
  readonly to: string | null;
  /** Null until judged (labeled). */
  readonly judgment: ReplayJudgment | null;
  /** The label it carries now, when any. */
  readonly label: LabelTarget | null;
}

/** The net change in accuracy on the replayed traffic estimated from the judgments (stratified by transition; shared/ml/gate/judge.ts). */
export type NetChangeEstimateDto = JudgedNetChange;

/** The judged sample of the last replay with the estimate its judgments give. */
export interface JudgeState {
  readonly version: number;
  readonly items: readonly JudgeItem[];
  /** Changed turns the sample was drawn from, and the transitions (strata) among them. */
  readonly changed: number;
  readonly strata: number;
  readonly estimate: NetChangeEstimateDto;
}

/** The replay service's state: the running replay, the last result, and the span of the workspace's traffic. */
export interface ReplayStatus {
  readonly job: ReplayJob | null;
  readonly result: ReplayResult | null;
  /** Earliest and latest call start (epoch ms), or null without calls. */
  readonly traffic: { readonly first: number; readonly last: number } | null;
}
