import { AppendLog, type RecordPage } from './appendLog';

/** A label as a client uploads it. `intent: null` means "none of these" (no intent covers the utterance). */
export interface LabelInput {
  /** Client-generated id (a uuid); re-sending the same id is a no-op. */
  readonly id: string;
  /** `${callId}#${turnIndex}`. */
  readonly utteranceId: string;
  readonly intent: string | null;
  readonly annotator: string;
  /** Epoch ms when the annotator labeled. */
  readonly labeledAt: number;
}

/** A label as the platform stores and serves it. */
export interface StoredLabel extends LabelInput {
  /** Position in the project's label journal; `GET labels?since=` pages by it. */
  readonly seq: number;
  /** Epoch ms when the platform stored it. */
  readonly receivedAt: number;
}

export type LabelUploadStatus = 'accepted' | 'duplicate' | 'conflict' | 'rejected';

/** What happened to one uploaded label. */
export interface LabelUploadResult {
  readonly id: string;
  readonly status: LabelUploadStatus;
  /** The stored label's journal position (absent when rejected). */
  readonly seq?: number;
  /** Other annotators' current labels of the same utterance that name a different intent. */
  readonly conflicts?: readonly StoredLabel[];
  /** Why a label was rejected. */
  readonly reason?: string;
}

/** One page of labels after a journal position. */
export interface LabelPage extends Omit<RecordPage, 'json'> {
  readonly labelsJson: readonly string[];
}

const SEGMENT_LABELS = 100_000;

/**
 * The project's labels: an fsynced append-only journal, an index by label id (idempotent uploads)
 * and each annotator's latest label per utterance (conflict detection). Nothing is ever overwritten:
 * when two annotators disagree, both labels are kept.
 */
export class LabelBook {
  private readonly byId = new Map<string, StoredLabel>();
  private readonly latest = new Map<string, Map<string, StoredLabel>>();

  private log!: AppendLog<StoredLabel>;

  /** Opens (or creates) the journal in `dir` (the project's `labels/` folder) and rebuilds the indexes. */
  static async open(dir: string): Promise<LabelBook> {
    const book = new LabelBook();
    const { log } = await AppendLog.open<StoredLabel>(dir, { prefix: 'labels', segmentRecords: SEGMENT_LABELS }, (label) => book.index(label));
    book.log = log;
    return book;
  }

  /** Journal position of the newest stored label; 0 when there is none. */
  get headSeq(): number {
    return this.log.committedSeq;
  }

  /**
   * Stores a batch in order and reports on each label: `accepted`; `duplicate` (this id is already
   * stored; nothing changes; other annotators' current disagreeing labels are listed); `conflict` (stored,
   * but another annotator had already labeled the same utterance with a different intent — theirs are
   * returned); `rejected` (not stored: `isKnownUtterance` says no).
   * Resolves once every stored label is fsynced.
   */
  async upload(labels: readonly LabelInput[], isKnownUtterance: (utteranceId: string) => boolean): Promise<LabelUploadResult[]> {
    const results: LabelUploadResult[] = [];
    const fresh: LabelInput[] = [];
    const freshAt: number[] = [];
    const inBatch = new Set<string>();
    for (const label of labels) {
      const stored = this.byId.get(label.id);
      if (stored || inBatch.has(label.id)) {
        results.push({ id: label.id, status: 'duplicate' });
        continue;
      }
      if (!isKnownUtterance(label.utteranceId)) {
        results.push({ id: label.id, status: 'rejected', reason: `The platform has no utterance "${label.utteranceId}".` });
        continue;
      }
      inBatch.add(label.id);
      freshAt.push(results.length);
      results.push({ id: label.id, status: 'accepted' });
      fresh.push(label);
    }
    const receivedAt = Date.now();
    const conflictsAtStore = new Map<string, StoredLabel[]>();
    let k = 0;
    await this.log.append(fresh.length, (seq) => {
      const label: StoredLabel = { ...pickLabel(fresh[k++]!), receivedAt, seq };
      conflictsAtStore.set(label.id, this.conflictsOf(label));
      this.index(label);
      return label;
    });
    await this.log.drain();
    return results.map((result) => {
      const stored = this.byId.get(result.id);
      if (!stored || result.status === 'rejected') return result;
      const conflicts = conflictsAtStore.get(result.id) ?? this.conflictsOf(stored);
      const status = result.status === 'accepted' && conflicts.length > 0 ? 'conflict' : result.status;
      return { id: result.id, status, seq: stored.seq, ...(conflicts.length > 0 ? { conflicts } : {}) };
    });
  }

  /** Up to `limit` labels stored after journal position `afterSeq`, as stored JSON text. */
  async since(afterSeq: number, limit: number): Promise<LabelPage> {
    const { json, ...at } = await this.log.readPage(afterSeq, limit);
    return { labelsJson: json, ...at };
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private index(label: StoredLabel): void {
    this.byId.set(label.id, label);
    let byAnnotator = this.latest.get(label.utteranceId);
    if (!byAnnotator) {
      byAnnotator = new Map();
      this.latest.set(label.utteranceId, byAnnotator);
    }
    byAnnotator.set(label.annotator, label);
  }

  /** Other annotators' latest labels of the same utterance that name another intent. */
  private conflictsOf(label: StoredLabel): StoredLabel[] {
    const others = this.latest.get(label.utteranceId);
    if (!others) return [];
    const out: StoredLabel[] = [];
    for (const [annotator, other] of others) {
      if (annotator !== label.annotator && other.intent !== label.intent) out.push(other);
    }
    return out;
  }
}

function pickLabel(label: LabelInput): LabelInput {
  return { id: label.id, utteranceId: label.utteranceId, intent: label.intent, annotator: label.annotator, labeledAt: label.labeledAt };
}
