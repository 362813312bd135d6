import { toUtteranceId, type LabelTarget } from '../../../shared/domain/types';
import { contextualText, type TurnContext } from '../../../shared/ml/turnContext';
import { scanInChunks } from '../model/scanInChunks';
import type { CallTable } from './callTable';
import { LabeledKind, type LabelTable } from './labelTable';

/** A user turn of the workspace as the index columns hold it (no shard is read). */
export interface UserTurn {
  /** Its utterance index (row of the columns). */
  readonly index: number;
  /** Its utterance id, `callId#turn`. */
  readonly id: string;
  /** Index of its call in the call table. */
  readonly call: number;
  readonly callId: string;
  readonly campaign: string;
  /** When its call started (epoch ms). */
  readonly startedAt: number;
  /** Its position among all turns (bot and user) of the call. */
  readonly turnIndex: number;
  readonly speaker: 'user';
  readonly text: string;
  /** The intent the platform predicted, null for "no match". */
  readonly platformIntent: string | null;
  /** The platform's confidence, null when it gave none. */
  readonly platformConfidence: number | null;
  /** The bot prompt before it, its flow node and the user's previous turn (`shared/ml/turnContext.ts`). */
  readonly context: TurnContext;
}

/**
 * Every labeled utterance as of one label revision, in parallel arrays ordered by utterance index. Texts are taken
 * from the columns on first use; contexts and model texts are read for the rows a consumer keeps (`textsWithContext`,
 * `modelTexts`).
 */
export interface LabeledRows {
  /** The label revision (`LabelTable.revision`) the rows were read at. */
  readonly revision: number;
  readonly utterances: Int32Array;
  /** `LabeledKind` of each row. */
  readonly kinds: Uint8Array;
  /** The intent id of each row, null for "none of these" and bad transcripts. */
  readonly intentIds: readonly (string | null)[];
  /** The words of each row. */
  readonly texts: readonly string[];
  /** The label target of row `row`. */
  targetOf(row: number): LabelTarget;
}

class LabeledRowsRead implements LabeledRows {
  private textColumn: string[] | null = null;

  constructor(
    readonly revision: number,
    readonly utterances: Int32Array,
    readonly kinds: Uint8Array,
    readonly intentIds: readonly (string | null)[],
    private readonly calls: CallTable,
  ) {}

  get texts(): readonly string[] {
    this.textColumn ??= Array.from(this.utterances, (idx) => this.calls.uttText[idx]!);
    return this.textColumn;
  }

  targetOf(row: number): LabelTarget {
    const kind = this.kinds[row];
    if (kind === LabeledKind.intent) return { kind: 'intent', intentId: this.intentIds[row]! };
    return kind === LabeledKind.none ? { kind: 'none' } : { kind: 'badTranscript' };
  }
}

/**
 * The reads services make of workspace data: user turns and labeled rows, over the store's typed columns (a facade,
 * not a copy). Services read through here instead of indexing `CallTable`'s columns, so a column's layout can change
 * in one place and several consumers of the same labels share one scan (`labeledRows`).
 */
export class WorkspaceReads {
  private labeled: LabeledRowsRead | null = null;
  private platformCounts: { generation: number; counts: ReadonlyMap<string, number> } | null = null;

  constructor(
    private readonly calls: CallTable,
    private readonly labels: LabelTable,
  ) {}

  get utteranceCount(): number {
    return this.calls.utteranceCount;
  }

  /** The user turn at utterance index `idx` as a record. */
  turn(idx: number): UserTurn {
    const calls = this.calls;
    const call = calls.uttCall[idx]!;
    const callId = calls.callIds[call]!;
    const turnIndex = calls.uttTurn[idx]!;
    const pred = calls.uttPred[idx]!;
    const conf = calls.uttConf[idx]!;
    return {
      index: idx,
      id: toUtteranceId(callId, turnIndex),
      call,
      callId,
      campaign: calls.campaignOf(call),
      startedAt: calls.callStartedAt[call]!,
      turnIndex,
      speaker: 'user',
      text: calls.uttText[idx]!,
      platformIntent: pred < 0 ? null : calls.predictions.values[pred]!,
      platformConfidence: Number.isNaN(conf) ? null : conf,
      context: calls.contextOf(idx),
    };
  }

  /** The user turns with index in [from, to), in workspace order. */
  *userTurns(from = 0, to = this.calls.utteranceCount): Generator<UserTurn> {
    for (let idx = from; idx < to; idx++) yield this.turn(idx);
  }

  /** The words of utterance `idx`. */
  text(idx: number): string {
    return this.calls.uttText[idx]!;
  }

  /** The words of utterance `idx`, '' when `idx` is undefined or out of range. */
  textOrEmpty(idx: number | undefined): string {
    return idx === undefined ? '' : (this.calls.uttText[idx] ?? '');
  }

  /** Index of the call utterance `idx` belongs to. */
  callOf(idx: number): number {
    return this.calls.uttCall[idx]!;
  }

  /** Id of the call utterance `idx` belongs to. */
  callIdOf(idx: number): string {
    return this.calls.callIds[this.calls.uttCall[idx]!]!;
  }

  /** Campaign of the call utterance `idx` belongs to. */
  campaignOf(idx: number): string {
    return this.calls.campaignOf(this.calls.uttCall[idx]!);
  }

  /** When the call of utterance `idx` started (epoch ms). */
  startedAtOf(idx: number): number {
    return this.calls.callStartedAt[this.calls.uttCall[idx]!]!;
  }

  /** The position of utterance `idx` among its call's turns. */
  turnIndexOf(idx: number): number {
    return this.calls.uttTurn[idx]!;
  }

  /** The intent the platform predicted for utterance `idx`, null for "no match". */
  platformIntentOf(idx: number): string | null {
    const pred = this.calls.uttPred[idx]!;
    return pred < 0 ? null : this.calls.predictions.values[pred]!;
  }

  /** The intent the platform predicted for utterance `idx` as an index into `predictionLabels`, -1 for "no match" or none. */
  platformIntentSlotOf(idx: number): number {
    return this.calls.uttPred[idx]!;
  }

  /** The platform's intents, by the slots `platformIntentSlotOf` gives. */
  get predictionLabels(): readonly string[] {
    return this.calls.predictions.values;
  }

  /** False for a turn the platform sent without a prediction (imported transcripts): neither an intent nor a confidence. */
  hasPlatformPrediction(idx: number): boolean {
    return this.calls.uttPred[idx]! >= 0 || !Number.isNaN(this.calls.uttConf[idx]!);
  }

  /** The confidence the platform sent with its prediction, "no match" included; 1 when it sent none. */
  sentConfidenceOf(idx: number): number {
    const conf = this.calls.uttConf[idx]!;
    return Number.isNaN(conf) ? 1 : conf;
  }

  /** The platform's confidence in its prediction: 0 for "no match", 1 when it sent an intent without a confidence. */
  platformConfidenceOf(idx: number): number {
    return this.calls.platformConfidence(idx);
  }

  /** The bot prompt before utterance `idx` as an index into `CallTable.prompts`, -1 when none (for per-prompt caches). */
  promptSlotOf(idx: number): number {
    return this.calls.uttPrompt[idx]!;
  }

  /** The flow node of that prompt as an index into `CallTable.nodes`, -1 when none. */
  nodeSlotOf(idx: number): number {
    return this.calls.uttNode[idx]!;
  }

  /** The words of the utterances `indices`, in that order. */
  texts(indices: ArrayLike<number>): string[] {
    return Array.from(indices, (idx) => this.calls.uttText[idx]!);
  }

  /** The words and contexts of the utterances `indices`, in that order (what `/predict` and the model read). */
  textsWithContext(indices: ArrayLike<number>): { texts: string[]; contexts: TurnContext[] } {
    return { texts: this.texts(indices), contexts: Array.from(indices, (idx) => this.calls.contextOf(idx)) };
  }

  /**
   * The text the model reads (`contextualText`) for the utterances `indices`, or for every utterance when absent,
   * built in chunks that yield to the event loop.
   */
  async modelTexts(indices?: ArrayLike<number>): Promise<string[]> {
    const n = indices ? indices.length : this.calls.utteranceCount;
    const out = new Array<string>(n);
    await scanInChunks(n, (start, end) => {
      for (let k = start; k < end; k++) {
        const idx = indices ? indices[k]! : k;
        out[k] = contextualText(this.calls.uttText[idx]!, this.calls.contextOf(idx));
      }
    });
    return out;
  }

  /**
   * What scoring and ranking read of the first `n` utterances, in one pass of chunks that yield to the event loop:
   * the text the model reads, the platform's confidence (`CallTable.platformConfidence`) and the labeled mask; the texts only when
   * `withTexts`.
   */
  async scoringColumns(n: number, withTexts = true): Promise<{ modelTexts: string[]; platformConfidence: Float32Array; labeled: Uint8Array }> {
    const calls = this.calls;
    const modelTexts = new Array<string>(withTexts ? n : 0);
    const platformConfidence = new Float32Array(n);
    const labeled = new Uint8Array(n);
    await scanInChunks(n, (start, end) => {
      for (let idx = start; idx < end; idx++) {
        if (withTexts) modelTexts[idx] = contextualText(calls.uttText[idx]!, calls.contextOf(idx));
        platformConfidence[idx] = calls.platformConfidence(idx);
        labeled[idx] = this.labels.isLabeled(idx) ? 1 : 0;
      }
    });
    return { modelTexts, platformConfidence, labeled };
  }

  /** The platform's predictions of the first `n` utterances: slots into `intents`, -1 for "no match" (a copy). */
  platformIntentColumn(n: number): { slots: Int32Array; intents: string[] } {
    return { slots: this.calls.uttPred.slice(0, n), intents: [...this.calls.predictions.values] };
  }

  /** The bot question of the first `n` utterances: prompt and node slots (-1 for none) and their tables (a copy). */
  questionColumns(n: number): { prompt: Int32Array; node: Int32Array; prompts: string[]; nodes: string[] } {
    const calls = this.calls;
    return { prompt: calls.uttPrompt.slice(0, n), node: calls.uttNode.slice(0, n), prompts: [...calls.prompts.values], nodes: [...calls.nodes.values] };
  }

  /** Unlabeled utterance indexes from `from` on, in workspace order. */
  unlabeled(from = 0): Generator<number> {
    return this.labels.unlabeled(from, this.calls.utteranceCount);
  }

  /**
   * Every labeled utterance with its label: one pass over the label columns per label revision, shared by every
   * consumer until a label changes or calls are added (both move the revision). Synchronous, so rows read inside
   * `store.exclusive` are the labels as they are.
   */
  labeledRows(): LabeledRows {
    const revision = this.labels.revision;
    if (this.labeled?.revision === revision) return this.labeled;
    const { utterances, kinds, intentSlots } = this.labels.collectLabeled(this.calls.utteranceCount);
    const ids = this.labels.intentIdList;
    const intentIds = Array.from(intentSlots, (slot) => (slot >= 0 ? ids[slot]! : null));
    this.labeled = new LabeledRowsRead(revision, utterances, kinds, intentIds, this.calls);
    return this.labeled;
  }

  /** How many utterances the platform gave each intent (by intent id; "no match" not counted), counted once per set of calls. */
  countPlatformIntents(): ReadonlyMap<string, number> {
    const generation = this.calls.generation;
    if (this.platformCounts?.generation !== generation) this.platformCounts = { generation, counts: this.countPredictions() };
    return this.platformCounts.counts;
  }

  private countPredictions(): Map<string, number> {
    const n = this.calls.utteranceCount;
    const bySlot = new Int32Array(this.calls.predictions.values.length);
    const pred = this.calls.uttPred;
    for (let idx = 0; idx < n; idx++) {
      const p = pred[idx]!;
      if (p >= 0) bySlot[p]! += 1;
    }
    const counts = new Map<string, number>();
    bySlot.forEach((count, slot) => {
      if (count > 0) counts.set(this.calls.predictions.values[slot]!, count);
    });
    return counts;
  }
}
