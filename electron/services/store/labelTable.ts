import type { Label, LabelSource, LabelTarget } from '../../../shared/domain/types';
import { decodeTarget, encodeTarget, type EncodedTarget } from './labelCodec';
import { StringTable } from './stringTable';

const KIND_NONE = 0;
const KIND_INTENT = 1;
const KIND_UNCOVERED = 2;
const KIND_BAD = 3;

/** The kind of a labeled row as `collectLabeled` reports it. */
export const LabeledKind = { intent: KIND_INTENT, none: KIND_UNCOVERED, badTranscript: KIND_BAD } as const;

const SOURCES: readonly LabelSource[] = ['manual', 'bulk', 'suggestion', 'import', 'undo', 'merge', 'review', 'discovery'];

/** The label snapshot document: every current label in columns, as of journal sequence `seq`. */
export interface LabelSnapshotDoc {
  readonly v: 1;
  /** Last journal sequence number the snapshot includes. */
  readonly seq: number;
  /** Journal segment that was being written when the snapshot was taken; replay starts there. */
  readonly segment: number;
  readonly annotators: string[];
  readonly u: string[];
  readonly t: EncodedTarget[];
  readonly a: number[];
  readonly at: number[];
  readonly s: number[];
  /** Utterances whose current label a reviewer kept against the model's doubt. */
  readonly r?: string[];
  /** Decisions on discovered clusters: [`run/cluster`, status, intent id]. */
  readonly cd?: [string, string, string | null][];
}

/** Resolves utterance ids to row indexes of the call table. */
export interface UtteranceIndex {
  findUtterance(id: string): number | undefined;
  utteranceId(idx: number): string;
}

/** Current labels, one slot per utterance, in typed columns; labels of unknown utterances are kept aside. */
export class LabelTable {
  private kind = new Int8Array(0);
  private intent = new Int32Array(0);
  private annotator = new Int32Array(0);
  private at = new Float64Array(0);
  private source = new Int8Array(0);
  private reviewed = new Uint8Array(0);
  private readonly intentIds = new StringTable();
  private readonly annotators = new StringTable();
  /** Labels whose utterance is not in the call table (e.g. its shard is damaged); kept so no label is lost. */
  private readonly orphans = new Map<string, { t: EncodedTarget; a: string; at: number; s: LabelSource }>();
  /** Utterance indexes in the order they were labeled (may repeat; stale entries are skipped when read). */
  private recentOrder: number[] = [];
  private labeled = 0;
  private changes = 0;

  constructor(private readonly index: UtteranceIndex) {}

  get labeledCount(): number {
    return this.labeled;
  }

  /** Grows by one with every label change and every resize: equal revisions mean the same labels. */
  get revision(): number {
    return this.changes;
  }

  /** Makes room for utterances added since (calls imported). */
  resize(utterances: number): void {
    this.changes++;
    if (utterances <= this.kind.length) return;
    const cap = Math.max(utterances, Math.ceil(this.kind.length * 1.5));
    const grow = <T extends Int8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.kind = grow(this.kind, (n) => new Int8Array(n));
    this.intent = grow(this.intent, (n) => new Int32Array(n));
    this.annotator = grow(this.annotator, (n) => new Int32Array(n));
    this.at = grow(this.at, (n) => new Float64Array(n));
    this.source = grow(this.source, (n) => new Int8Array(n));
    const reviewed = new Uint8Array(cap);
    reviewed.set(this.reviewed);
    this.reviewed = reviewed;
    this.adoptOrphans();
  }

  private adoptOrphans(): void {
    for (const [id, o] of this.orphans) {
      const idx = this.index.findUtterance(id);
      if (idx === undefined || idx >= this.kind.length) continue;
      this.orphans.delete(id);
      this.set(idx, decodeTarget(o.t) ?? null, o.a, o.at, o.s);
    }
  }

  isLabeled(idx: number): boolean {
    return this.kind[idx] !== KIND_NONE;
  }

  /** The label target of utterance `idx`, or null. */
  targetOf(idx: number): LabelTarget | null {
    return targetAt(this.kind[idx], this.intent[idx], this.intentIds.values);
  }

  /** Index in `intentIdList` of the intent utterance `idx` is labeled with, or -1. */
  intentSlot(idx: number): number {
    return this.kind[idx] === KIND_INTENT ? this.intent[idx]! : -1;
  }

  get intentIdList(): readonly string[] {
    return this.intentIds.values;
  }

  /** The full label of utterance `idx`, or null. */
  labelOf(idx: number): Label | null {
    const target = this.targetOf(idx);
    if (!target) return null;
    return {
      utteranceId: this.index.utteranceId(idx),
      target,
      annotator: this.annotators.values[this.annotator[idx]!]!,
      at: this.at[idx]!,
      source: SOURCES[this.source[idx]!]!,
    };
  }

  labeledAt(idx: number): number {
    return this.at[idx]!;
  }

  annotatorOf(idx: number): string | null {
    return this.isLabeled(idx) ? this.annotators.values[this.annotator[idx]!]! : null;
  }

  /** True when a reviewer kept the current label of utterance `idx`. */
  isReviewed(idx: number): boolean {
    return this.reviewed[idx] === 1;
  }

  /** Marks the current label of utterance `idx` as kept by a reviewer (cleared by any later change). */
  markReviewed(idx: number): void {
    if (this.isLabeled(idx)) this.reviewed[idx] = 1;
  }

  /** markReviewed by utterance id; ids not in the table are ignored. */
  markReviewedById(id: string): void {
    const idx = this.index.findUtterance(id);
    if (idx !== undefined && idx < this.kind.length) this.markReviewed(idx);
  }

  /** Sets or clears (target null) the label of utterance `idx`. */
  set(idx: number, target: LabelTarget | null, annotator: string, at: number, source: LabelSource): void {
    const was = this.kind[idx] !== KIND_NONE;
    this.changes++;
    this.reviewed[idx] = 0;
    if (target === null) {
      this.kind[idx] = KIND_NONE;
      if (was) this.labeled--;
      return;
    }
    this.kind[idx] = target.kind === 'intent' ? KIND_INTENT : target.kind === 'none' ? KIND_UNCOVERED : KIND_BAD;
    this.intent[idx] = target.kind === 'intent' ? this.intentIds.intern(target.intentId) : -1;
    this.annotator[idx] = this.annotators.intern(annotator);
    this.at[idx] = at;
    this.source[idx] = Math.max(0, SOURCES.indexOf(source));
    if (!was) this.labeled++;
    this.recentOrder.push(idx);
    if (this.recentOrder.length > 4 * Math.max(this.labeled, 1024)) this.compactRecent();
  }

  /** Applies a label change addressed by utterance id; ids not in the table are kept as orphans. */
  setById(id: string, target: LabelTarget | null, annotator: string, at: number, source: LabelSource): void {
    const idx = this.index.findUtterance(id);
    if (idx !== undefined && idx < this.kind.length) {
      this.set(idx, target, annotator, at, source);
      return;
    }
    const t = encodeTarget(target);
    if (t === null) this.orphans.delete(id);
    else this.orphans.set(id, { t, a: annotator, at, s: source });
  }

  /** Forgets every label (before a rebuild from the journal). */
  clear(): void {
    this.kind.fill(KIND_NONE);
    this.reviewed.fill(0);
    this.orphans.clear();
    this.recentOrder = [];
    this.labeled = 0;
    this.changes++;
  }

  /**
   * Keeps the labels of utterances from index `utterances` on as orphans: their calls are about to be taken out of the
   * table again (call it while they are still there).
   */
  truncate(utterances: number): void {
    for (let idx = utterances; idx < this.kind.length; idx++) {
      if (this.kind[idx] === KIND_NONE) continue;
      this.orphans.set(this.index.utteranceId(idx), { t: encodeTarget(this.targetOf(idx))!, a: this.annotatorOf(idx)!, at: this.at[idx]!, s: SOURCES[this.source[idx]!]! });
      this.kind[idx] = KIND_NONE;
      this.reviewed[idx] = 0;
      this.labeled--;
    }
    this.changes++;
  }

  /** Intent ids that labels of utterances not in the table use. */
  orphanIntentIds(): string[] {
    const ids = new Set<string>();
    for (const o of this.orphans.values()) {
      const t = decodeTarget(o.t);
      if (t?.kind === 'intent') ids.add(t.intentId);
    }
    return [...ids];
  }

  /**
   * Every labeled utterance below `utterances`, ascending, with its label kind (1 intent, 2 "none of these", 3 bad
   * transcript) and intent slot (index into `intentIdList`, -1 unless an intent): one pass over the typed columns.
   */
  collectLabeled(utterances: number): { utterances: Int32Array; kinds: Uint8Array; intentSlots: Int32Array } {
    const n = Math.min(utterances, this.kind.length);
    const rows = new Int32Array(this.labeled);
    const kinds = new Uint8Array(this.labeled);
    const slots = new Int32Array(this.labeled);
    let k = 0;
    for (let idx = 0; idx < n && k < rows.length; idx++) {
      const kind = this.kind[idx]!;
      if (kind === KIND_NONE) continue;
      rows[k] = idx;
      kinds[k] = kind;
      slots[k] = kind === KIND_INTENT ? this.intent[idx]! : -1;
      k++;
    }
    return k === rows.length ? { utterances: rows, kinds, intentSlots: slots } : { utterances: rows.slice(0, k), kinds: kinds.slice(0, k), intentSlots: slots.slice(0, k) };
  }

  /** Unlabeled utterance indexes in [from, utterances), ascending. */
  *unlabeled(from: number, utterances: number): Generator<number> {
    const kind = this.kind;
    const n = Math.min(utterances, kind.length);
    for (let idx = from; idx < n; idx++) if (kind[idx] === KIND_NONE) yield idx;
    for (let idx = Math.max(from, n); idx < utterances; idx++) yield idx;
  }

  /** Utterance indexes with a label, most recently labeled first. */
  *recent(): Generator<number> {
    const seen = new Uint8Array(this.kind.length);
    for (let i = this.recentOrder.length - 1; i >= 0; i--) {
      const idx = this.recentOrder[i]!;
      if (idx >= seen.length || seen[idx] === 1) continue;
      seen[idx] = 1;
      if (this.isLabeled(idx)) yield idx;
    }
  }

  /** Drops stale entries of the labeling order (relabeled or cleared utterances). */
  private compactRecent(): void {
    const labeled: number[] = [];
    for (let i = 0; i < this.kind.length; i++) if (this.kind[i] !== KIND_NONE) labeled.push(i);
    labeled.sort((x, y) => this.at[x]! - this.at[y]!);
    this.recentOrder = labeled;
  }

  /** Labels made by `annotator` since `since` (epoch ms). */
  countSince(annotator: string, since: number): number {
    const a = this.annotators.find(annotator);
    if (a === undefined) return 0;
    let n = 0;
    for (let i = this.recentOrder.length - 1; i >= 0; i--) {
      const idx = this.recentOrder[i]!;
      if (this.at[idx]! < since) break;
      if (this.kind[idx] !== KIND_NONE && this.annotator[idx] === a) n++;
    }
    return n;
  }

  /**
   * Copies what a snapshot needs (the labeled utterances oldest first and their columns, the orphans), a few ms on a
   * million utterances; the document is then built from the copy (`buildSnapshot`) while labeling goes on.
   */
  capture(seq: number, segment: number, cd: [string, string, string | null][] = []): LabelCapture {
    const order = Int32Array.from(this.recent()).reverse();
    const pick = <A extends Int8Array | Int32Array | Float64Array | Uint8Array>(col: A, into: A): A => {
      for (let i = 0; i < order.length; i++) into[i] = col[order[i]!]!;
      return into;
    };
    return {
      head: { seq, segment, cd },
      rows: {
        order,
        columns: {
          kind: pick(this.kind, new Int8Array(order.length)),
          intent: pick(this.intent, new Int32Array(order.length)),
          annotator: pick(this.annotator, new Int32Array(order.length)),
          at: pick(this.at, new Float64Array(order.length)),
          source: pick(this.source, new Int8Array(order.length)),
          reviewed: pick(this.reviewed, new Uint8Array(order.length)),
        },
      },
      names: { intentIds: [...this.intentIds.values], annotators: [...this.annotators.values], orphans: [...this.orphans].map(([id, o]) => ({ id, ...o })) },
      utteranceId: (idx) => this.index.utteranceId(idx),
    };
  }

  /** Captures every current label (and orphan) as a snapshot document, with the cluster decisions `cd`. */
  toSnapshot(seq: number, segment: number, cd: [string, string, string | null][] = []): LabelSnapshotDoc {
    const capture = this.capture(seq, segment, cd);
    const doc = emptySnapshot(capture);
    snapshotRows(capture, doc, 0, capture.rows.order.length);
    return finishSnapshot(capture, doc);
  }

  /** Loads a snapshot; returns false when its shape is wrong. */
  loadSnapshot(doc: LabelSnapshotDoc): boolean {
    const n = doc.u?.length;
    if (doc.v !== 1 || !Array.isArray(doc.u) || [doc.t, doc.a, doc.at, doc.s].some((col) => !Array.isArray(col) || col.length !== n)) return false;
    for (let i = 0; i < n; i++) {
      const target = decodeTarget(doc.t[i]);
      if (!target) continue;
      this.setById(doc.u[i]!, target, doc.annotators[doc.a[i]!] ?? 'unknown', doc.at[i]!, SOURCES[doc.s[i]!] ?? 'manual');
    }
    for (const id of doc.r ?? []) this.markReviewedById(id);
    return true;
  }
}

/** The columns of a label table, one row per utterance; in a capture, one row per captured label. */
interface LabelColumns { kind: Int8Array; intent: Int32Array; annotator: Int32Array; at: Float64Array; source: Int8Array; reviewed: Uint8Array }

/** A label of an utterance not in the index, kept as it came. */
interface Orphan { readonly id: string; readonly t: EncodedTarget; readonly a: string; readonly at: number; readonly s: LabelSource }

/** What `LabelTable.capture` copies: the labeled utterances (oldest first) and their columns, row for row. */
export interface LabelCapture {
  /** The journal sequence number and segment the snapshot is taken at, and the cluster decisions it carries. */
  readonly head: { readonly seq: number; readonly segment: number; readonly cd: [string, string, string | null][] };
  /** Utterance indexes, oldest label first, and their label columns row for row. */
  readonly rows: { readonly order: Int32Array; readonly columns: Readonly<LabelColumns> };
  /** The intent ids and annotator names the columns' slots point into, and the orphans. */
  readonly names: { readonly intentIds: readonly string[]; readonly annotators: readonly string[]; readonly orphans: readonly Orphan[] };
  /** The id of an utterance index (stable for captured indexes: calls are only ever appended once committed). */
  readonly utteranceId: (idx: number) => string;
}

/** The label target a row's kind and intent slot stand for, or null. */
function targetAt(kind: number | undefined, intent: number | undefined, intentIds: readonly string[]): LabelTarget | null {
  switch (kind) {
    case KIND_INTENT:
      return { kind: 'intent', intentId: intentIds[intent!]! };
    case KIND_UNCOVERED:
      return { kind: 'none' };
    case KIND_BAD:
      return { kind: 'badTranscript' };
    default:
      return null;
  }
}

function emptySnapshot(c: LabelCapture): LabelSnapshotDoc {
  return { v: 1, seq: c.head.seq, segment: c.head.segment, annotators: [...c.names.annotators], u: [], t: [], a: [], at: [], s: [], r: [], cd: c.head.cd };
}

/** Appends captured rows [from, to) to `doc`. */
function snapshotRows(c: LabelCapture, doc: LabelSnapshotDoc, from: number, to: number): void {
  const { order, columns } = c.rows;
  for (let row = from; row < to; row++) {
    const id = c.utteranceId(order[row]!);
    if (columns.reviewed[row] === 1) doc.r!.push(id);
    doc.u.push(id);
    doc.t.push(encodeTarget(targetAt(columns.kind[row], columns.intent[row], c.names.intentIds))!);
    doc.a.push(columns.annotator[row]!);
    doc.at.push(columns.at[row]!);
    doc.s.push(columns.source[row]!);
  }
}

/** Appends the orphans (labels of utterances not in the index) to `doc`. */
function finishSnapshot(c: LabelCapture, doc: LabelSnapshotDoc): LabelSnapshotDoc {
  for (const o of c.names.orphans) {
    doc.u.push(o.id);
    doc.t.push(o.t);
    let a = doc.annotators.indexOf(o.a);
    if (a < 0) a = doc.annotators.push(o.a) - 1;
    doc.a.push(a);
    doc.at.push(o.at);
    doc.s.push(Math.max(0, SOURCES.indexOf(o.s)));
  }
  return doc;
}

/** Builds the snapshot document of a capture in chunks that yield, so the thread that answers labels is not held. */
export async function buildSnapshot(c: LabelCapture, chunks: (n: number, visit: (start: number, end: number) => void) => Promise<void>): Promise<LabelSnapshotDoc> {
  const doc = emptySnapshot(c);
  await chunks(c.rows.order.length, (start, end) => snapshotRows(c, doc, start, end));
  return finishSnapshot(c, doc);
}

/**
 * The JSON text of a snapshot document, as `JSON.stringify(doc)` parses back, written a slice of each column at a
 * time with `pause()` between slices (a million labels are tens of MB of JSON).
 */
export async function stringifySnapshot(doc: LabelSnapshotDoc, pause: () => Promise<void>, slice = 16_384): Promise<string> {
  const parts: string[] = [`{"v":${doc.v},"seq":${doc.seq},"segment":${doc.segment},"annotators":${JSON.stringify(doc.annotators)}`];
  const columns: [string, readonly unknown[] | undefined][] = [['u', doc.u], ['t', doc.t], ['a', doc.a], ['at', doc.at], ['s', doc.s], ['r', doc.r]];
  for (const [key, values] of columns) {
    if (values === undefined) continue;
    const pieces: string[] = [];
    for (let start = 0; start < values.length; start += slice) {
      pieces.push(JSON.stringify(values.slice(start, start + slice)).slice(1, -1));
      await pause();
    }
    parts.push(`,"${key}":[${pieces.join(',')}]`);
  }
  if (doc.cd !== undefined) parts.push(`,"cd":${JSON.stringify(doc.cd)}`);
  parts.push('}');
  return parts.join('');
}
