import type { KeyMapPin } from './keyMapPin';
/** Plain, structured-clone-safe domain types. Times are epoch milliseconds; references are ids. */

export type IntentStatus = 'active' | 'proposed' | 'deprecated';

export interface Intent {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly examples: readonly string[];
  readonly status: IntentStatus;
  readonly group?: string;
  /** Set when the intent was merged into another one. */
  readonly mergedInto?: string;
  /** Marked by the lead as must-not-break (compliance: stop calling, fraud, complaints, transfer to a person). */
  readonly critical?: boolean;
  /** Marked by the lead as the "transfer to a person" intent the activation watch counts. */
  readonly transfer?: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The fields of an intent a user can edit; absent ones stay as they are. */
export interface IntentPatch {
  readonly name?: string;
  readonly description?: string;
  readonly examples?: readonly string[];
  readonly group?: string;
  readonly status?: IntentStatus;
  readonly critical?: boolean;
  readonly transfer?: boolean;
}

export type Speaker = 'bot' | 'user';

export interface Turn {
  readonly speaker: Speaker;
  readonly text: string;
  /** Speech-recognition confidence in [0,1], when the platform reports it. */
  readonly asrConfidence?: number;
  /** On user turns: the platform's predicted intent id, or null for "no match". */
  readonly predictedIntent?: string | null;
  /** On user turns: the platform's confidence in its prediction, in [0,1]. */
  readonly predictedConfidence?: number;
  /** On bot turns: the flow node (step id, e.g. `identity_check`) the bot was at, when the platform names it. */
  readonly node?: string;
}

export interface Call {
  readonly id: string;
  readonly startedAt: number;
  readonly campaign: string;
  readonly language?: string;
  readonly turns: readonly Turn[];
}

/** A user turn, addressed as `${callId}#${turnIndex}`. */
export interface Utterance {
  readonly id: string;
  readonly callId: string;
  readonly turnIndex: number;
  readonly text: string;
  readonly predictedIntent: string | null;
  readonly predictedConfidence: number | null;
  readonly asrConfidence: number | null;
}

/** What a label says: an intent, "none of these" (uncovered) or "bad transcript" (ASR garbled the turn). */
export type LabelTarget =
  | { readonly kind: 'intent'; readonly intentId: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'badTranscript' };

/** Where a label change came from; `review` confirms the current label (kept against the model's doubt); `discovery` labels the members of a discovered cluster. */
export type LabelSource = 'manual' | 'bulk' | 'suggestion' | 'import' | 'undo' | 'merge' | 'review' | 'discovery';

export interface Label {
  readonly utteranceId: string;
  readonly target: LabelTarget;
  readonly annotator: string;
  readonly at: number;
  readonly source: LabelSource;
}

/** One entry of the append-only label history. `after: null` means the label was removed. */
export interface LabelEvent {
  readonly seq: number;
  readonly utteranceId: string;
  readonly before: LabelTarget | null;
  readonly after: LabelTarget | null;
  readonly annotator: string;
  readonly at: number;
  readonly source: LabelSource;
  /** Groups the events of one user action so the action can be undone as a whole. */
  readonly actionId: string;
}

export interface WorkspaceMeta {
  readonly name: string;
  readonly languages: readonly string[];
  readonly annotators: readonly string[];
  readonly createdAt: number;
  /** The digit key map a lead pinned for every annotator of the workspace; absent: each session freezes the most used. */
  readonly keyMapPin?: KeyMapPin;
}

/** Builds the id of the utterance that is turn `turnIndex` of call `callId`. */
export function toUtteranceId(callId: string, turnIndex: number): string {
  return `${callId}#${turnIndex}`;
}

/** Splits an utterance id into its call id and turn index; null when malformed. */
export function parseUtteranceId(id: string): { callId: string; turnIndex: number } | null {
  const at = id.lastIndexOf('#');
  if (at <= 0) return null;
  const turnIndex = Number(id.slice(at + 1));
  if (!Number.isInteger(turnIndex) || turnIndex < 0) return null;
  return { callId: id.slice(0, at), turnIndex };
}

/** True when two label targets say the same thing. */
export function sameTarget(a: LabelTarget | null, b: LabelTarget | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind !== b.kind) return false;
  return a.kind !== 'intent' || a.intentId === (b as { intentId: string }).intentId;
}
