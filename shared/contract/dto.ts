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

export type QueueId = 'unlabeled' | 'recent';

export interface QueueSummary {
  readonly id: QueueId;
  readonly count: number;
}

/** An utterance as a queue shows it, with its label if any and the bot prompt before it. */
export interface QueueItem extends Utterance {
  readonly label: Label | null;
  readonly botPrompt: string | null;
  readonly campaign: string;
  readonly startedAt: number;
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

export type { Call, Intent, IntentStatus, Label, LabelEvent, LabelTarget, Utterance };
