import type { QueueId, QueueReason } from '../../../shared/contract/dto';
import { contentKey } from '../../../shared/ml/disfluency';
import { transformTexts, type Featurizer } from '../../../shared/ml/featurize';
import type { CsrMatrix } from '../../../shared/ml/featurize';
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
  readonly featurizer: Featurizer;
  readonly training: TrainingRows | null;
}

/** Platform confidence under which an utterance counts as uncovered even when the platform named an intent. */
export const PLATFORM_LOW_CONFIDENCE = 0.5;
/** How many of the most uncertain utterances get the near-duplicate pass, and the window it compares against. */
const DIVERSITY_CANDIDATES = 3000;
const DIVERSITY_WINDOW = 20;
const MAX_SIMILARITY = 0.6;

/**
 * The four model-ranked queues over one scoring of the workspace: candidate orders computed once, filtered by the
 * current labels at read time (so labeling moves items out at once without re-ranking).
 */
export class Rankings {
  readonly rankedAt = Date.now();
  private readonly orders = new Map<RankedQueueId, Int32Array>();
  private readonly trainingRowOf: Int32Array;

  constructor(
    private readonly store: WorkspaceStore,
    readonly input: RankingInput,
  ) {
    const n = input.scored.first.length;
    this.trainingRowOf = new Int32Array(n).fill(-1);
    const t = input.training;
    if (t) t.utterances.forEach((u, row) => u < n && (this.trainingRowOf[u] = row));
    this.orders.set('uncovered', this.rankUncovered());
    this.orders.set('informative', this.rankInformative());
    this.orders.set('mislabeled', this.rankMislabeled());
    this.orders.set('disagreements', this.rankDisagreements());
  }

  /** True when these rankings were computed over `store` (the workspace has not been switched since). */
  isFor(store: WorkspaceStore): boolean {
    return store === this.store;
  }

  /** Utterance indexes of `queue` that still belong in it, in rank order. */
  *items(queue: RankedQueueId): Generator<number> {
    for (const idx of this.orders.get(queue)!) if (this.belongs(queue, idx)) yield idx;
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

  /** Unlabeled utterances the platform could not place (or placed with low confidence), or the model calls out of scope. */
  private rankUncovered(): Int32Array {
    const calls = this.store.calls;
    const s = this.input.scored;
    const picked: { idx: number; score: number }[] = [];
    for (let idx = 0; idx < s.first.length; idx++) {
      const platformConf = calls.platformConfidence(idx);
      const localOos = s.outOfScope[idx]!;
      if (platformConf >= PLATFORM_LOW_CONFIDENCE && localOos < this.input.outOfScopeThreshold) continue;
      picked.push({ idx, score: Math.max(localOos, 1 - platformConf) + localOos });
    }
    picked.sort((a, b) => b.score - a.score || a.idx - b.idx);
    return Int32Array.from(picked, (p) => p.idx);
  }

  /** Margin sampling (smallest top-1 − top-2 first) with near-duplicates of recent picks pushed back. */
  private rankInformative(): Int32Array {
    const s = this.input.scored;
    const all = Array.from({ length: s.first.length }, (_, i) => i);
    all.sort((a, b) => s.firstProb[a]! - s.secondProb[a]! - (s.firstProb[b]! - s.secondProb[b]!) || a - b);
    const head = all.filter((i) => !this.store.labels.isLabeled(i)).slice(0, DIVERSITY_CANDIDATES);
    const x = transformTexts(this.input.featurizer, head.map((i) => this.store.calls.uttText[i]!));
    const keys = head.map((i) => contentKey(this.store.calls.uttText[i]!));
    const order: number[] = [];
    const deferred: number[] = [];
    const window: number[] = [];
    head.forEach((idx, r) => {
      if (window.some((w) => keys[w] === keys[r] || cosine(x, r, w) > MAX_SIMILARITY)) {
        deferred.push(idx);
        return;
      }
      order.push(idx);
      window.push(r);
      if (window.length > DIVERSITY_WINDOW) window.shift();
    });
    const inHead = new Set(head);
    return Int32Array.from([...order, ...deferred, ...all.filter((i) => !inHead.has(i))]);
  }

  /** Labels confident learning flags, least likely first. */
  private rankMislabeled(): Int32Array {
    const t = this.input.training;
    if (!t) return new Int32Array(0);
    const rows = [...t.isIssue.keys()].filter((r) => t.isIssue[r] === 1).sort((a, b) => t.quality[a]! - t.quality[b]! || a - b);
    return Int32Array.from(rows, (r) => t.utterances[r]!);
  }

  /** Labeled utterances where label, platform and model do not all agree; three-way disagreements first. */
  private rankDisagreements(): Int32Array {
    const t = this.input.training;
    if (!t) return new Int32Array(0);
    const rows = [...t.utterances.keys()]
      .map((row) => ({ row, level: this.disagreement(t.utterances[row]!, row, t.intentIds[row]!) }))
      .filter((r) => r.level > 0)
      .sort((a, b) => b.level - a.level || t.quality[a.row]! - t.quality[b.row]! || a.row - b.row);
    return Int32Array.from(rows, (r) => t.utterances[r.row]!);
  }

  /**
   * 0: all agree; 1: one side differs; 2: the label alone differs (platform and model agree); 3: all three differ.
   * Without a platform prediction (imported data) only the model can disagree: 1 when it does.
   */
  private disagreement(idx: number, row: number, label: string): number {
    const pred = this.store.calls.uttPred[idx]!;
    const platform = pred < 0 ? null : this.store.calls.predictions.values[pred]!;
    const model = this.input.labels[this.modelIntentOf(row)]!;
    if (platform === null) return model === label ? 0 : 1;
    if (platform === label && model === label) return 0;
    if (platform !== label && model !== label && platform !== model) return 3;
    if (platform === model) return 2;
    return 1;
  }
}

function cosine(x: CsrMatrix, a: number, b: number): number {
  let i = x.indptr[a]!;
  let j = x.indptr[b]!;
  const ia = x.indptr[a + 1]!;
  const jb = x.indptr[b + 1]!;
  let sum = 0;
  while (i < ia && j < jb) {
    const ca = x.indices[i]!;
    const cb = x.indices[j]!;
    if (ca === cb) sum += x.values[i++]! * x.values[j++]!;
    else if (ca < cb) i++;
    else j++;
  }
  return sum;
}
