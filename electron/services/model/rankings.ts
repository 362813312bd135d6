import type { QueueId, QueueReason } from '../../../shared/contract/dto';
import { disagreementLevel, type QueueOrders } from '../../../shared/ml/rankQueues';
import type { WorkspaceStore } from '../store/workspaceStore';
import type { ReviewColumns, ScoredColumns } from './workerProtocol';

export type RankedQueueId = Extract<QueueId, 'uncovered' | 'informative' | 'mislabeled' | 'disagreements'>;
export const rankedQueues: readonly RankedQueueId[] = ['uncovered', 'informative', 'mislabeled', 'disagreements'];

/** The labeled utterances a version was trained on, with what confident learning said of each. */
export interface TrainingRows {
  readonly utterances: Int32Array;
  readonly intentIds: readonly string[];
  readonly quality: Float32Array;
  readonly suggested: Int32Array;
  readonly isIssue: Uint8Array;
  readonly outOfFoldPrediction: Int32Array;
  /** The out-of-fold figures its quality and suggestion come from; absent for versions saved before they were kept. */
  readonly review?: ReviewColumns;
}

export interface RankingInput {
  readonly version: number;
  readonly labels: readonly string[];
  readonly scored: ScoredColumns;
  readonly outOfScopeThreshold: number;
  readonly training: TrainingRows | null;
}

/**
 * The four model-ranked queues over one scoring of the workspace. The orders come ranked from the training worker
 * (`rankQueues` in shared/ml, never on the thread that answers labels); they are filtered by the current labels at
 * read time, so labeling moves items out at once without re-ranking.
 */
export class Rankings {
  readonly rankedAt = Date.now();
  private readonly trainingRowOf: Int32Array;

  constructor(
    private readonly store: WorkspaceStore,
    readonly input: RankingInput,
    private readonly orders: QueueOrders,
  ) {
    const n = input.scored.first.length;
    this.trainingRowOf = new Int32Array(n).fill(-1);
    const t = input.training;
    if (t) t.utterances.forEach((u, row) => u < n && (this.trainingRowOf[u] = row));
  }

  /** The same rankings with Uncovered re-ranked at another out-of-scope threshold. */
  withUncovered(order: Int32Array, outOfScopeThreshold: number): Rankings {
    return new Rankings(this.store, { ...this.input, outOfScopeThreshold }, { ...this.orders, uncovered: order });
  }

  /** True when these rankings were computed over `store` (the workspace has not been switched since). */
  isFor(store: WorkspaceStore): boolean {
    return store === this.store;
  }

  /** Utterance indexes of `queue` that still belong in it, in rank order. */
  *items(queue: RankedQueueId): Generator<number> {
    for (const idx of this.orders[queue]) if (this.belongs(queue, idx)) yield idx;
  }

  /**
   * Why utterance `idx` is in `queue`. In the review queues (Likely mislabeled, Disagreements) every figure comes from
   * the out-of-fold probabilities the label was judged on, never from the model trained on that very label: the top
   * three, the label's quality, the model's intent and the suggestion, which is offered only when the model prefers it
   * to the current label.
   */
  reason(queue: RankedQueueId, idx: number): QueueReason {
    const s = this.input.scored;
    const labels = this.input.labels;
    const row = this.trainingRowOf[idx]!;
    const t = this.input.training;
    const review = t && row >= 0 && (queue === 'mislabeled' || queue === 'disagreements') ? t.review : undefined;
    const cols = review ?? s;
    const at = review ? row : idx;
    const top = [{ intentId: labels[cols.first[at]!]!, probability: cols.firstProb[at]! }];
    if (cols.second[at]! >= 0) top.push({ intentId: labels[cols.second[at]!]!, probability: cols.secondProb[at]! });
    if (cols.second[at]! >= 0 && cols.third[at]! >= 0) top.push({ intentId: labels[cols.third[at]!]!, probability: cols.thirdProb[at]! });
    const reason: { -readonly [K in keyof QueueReason]: QueueReason[K] } = { top, outOfScopeScore: s.outOfScope[idx]! };
    if (t && row >= 0 && (queue === 'mislabeled' || queue === 'disagreements')) {
      const quality = t.quality[row]!;
      reason.labelQuality = quality;
      const suggested = t.suggested[row]!;
      if (review) {
        const p = review.suggestedProb[row]!;
        if (suggested >= 0 && labels[suggested] !== t.intentIds[row] && p > quality) reason.suggestion = { intentId: labels[suggested]!, probability: p };
      } else if (suggested >= 0 && labels[suggested] !== t.intentIds[row]) {
        const probability = s.first[idx] === suggested ? s.firstProb[idx]! : s.second[idx] === suggested ? s.secondProb[idx]! : s.third[idx] === suggested ? s.thirdProb[idx]! : null;
        reason.suggestion = { intentId: labels[suggested]!, probability };
      }
      reason.modelIntent = labels[this.modelIntentOf(row)]!;
    }
    return reason;
  }

  /**
   * The intent a model that never saw utterance `idx`'s label predicts for it: the out-of-fold class for a training
   * row, else the scored prediction (the model was trained without it); null when this scoring does not cover it.
   */
  outOfSampleIntent(idx: number): string | null {
    const row = idx < this.trainingRowOf.length ? this.trainingRowOf[idx]! : -1;
    const cls = row >= 0 ? this.modelIntentOf(row) : idx < this.input.scored.first.length ? this.input.scored.first[idx]! : -1;
    return cls >= 0 ? (this.input.labels[cls] ?? null) : null;
  }

  /** The out-of-fold model's class for a training row: the review figures' top one when kept, else the report's. */
  private modelIntentOf(row: number): number {
    const t = this.input.training!;
    return t.review ? t.review.first[row]! : t.outOfFoldPrediction[row]!;
  }

  private belongs(queue: RankedQueueId, idx: number): boolean {
    const labels = this.store.labels;
    if (queue === 'uncovered' || queue === 'informative') return !labels.isLabeled(idx);
    const row = this.trainingRowOf[idx]!;
    const target = labels.targetOf(idx);
    if (row < 0 || target?.kind !== 'intent') return false;
    if (queue === 'mislabeled') return target.intentId === this.input.training!.intentIds[row] && !labels.isReviewed(idx);
    return !labels.isReviewed(idx) && this.disagreement(idx, row, target.intentId) > 0;
  }

  /** The disagreement level (`disagreementLevel`) of the label `label` of utterance `idx`, training row `row`. */
  private disagreement(idx: number, row: number, label: string): number {
    return disagreementLevel(label, this.input.labels[this.modelIntentOf(row)]!, this.store.reads.platformIntentOf(idx));
  }
}
