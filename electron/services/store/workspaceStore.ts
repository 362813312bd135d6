import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { RecoveryNotice } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { sameTarget, type Intent, type LabelEvent, type LabelSource, type LabelTarget, type WorkspaceMeta } from '../../../shared/domain/types';
import { CallTable } from './callTable';
import { CorruptFileError, DurableJsonFile } from './durableFile';
import { decodeTarget, encodeTarget, toLabelEvent, type JournalEntry } from './labelCodec';
import { LabelJournal, listSegments, readSegment } from './labelJournal';
import { LabelTable, type LabelSnapshotDoc } from './labelTable';

/** workspace.json: the workspace's name, languages, annotators and intent catalogue. */
export interface WorkspaceDoc {
  readonly formatVersion: 1;
  meta: WorkspaceMeta;
  intents: Intent[];
}

export const WORKSPACE_FORMAT_VERSION = 1;
/** Journal entries after which a snapshot is taken and a new segment started. */
const COMPACT_AFTER = 200_000;

export interface LabelChange {
  readonly utterance: number;
  readonly target: LabelTarget | null;
}

export interface ChangeContext {
  readonly annotator: string;
  readonly source: LabelSource;
  readonly actionId: string;
}

/**
 * One workspace folder on disk:
 * - workspace.json (lowdb, atomic + fsync): meta and intents;
 * - calls/: sharded call documents with columnar indexes (see CallTable);
 * - labels/snapshot.json (lowdb, atomic + fsync) plus labels/journal-NNNNNN.jsonl, the append-only,
 *   fsynced label history. A label is acknowledged only after its journal line is on disk.
 */
export class WorkspaceStore {
  readonly notices: RecoveryNotice[];
  private seq: number;
  private compacting: Promise<void> | null = null;
  private readonly labelListeners = new Set<(events: readonly LabelEvent[]) => void>();

  private constructor(
    readonly folder: string,
    private readonly doc: Low<WorkspaceDoc>,
    readonly calls: CallTable,
    readonly labels: LabelTable,
    private readonly journal: LabelJournal,
    seq: number,
    notices: RecoveryNotice[],
  ) {
    this.seq = seq;
    this.notices = notices;
  }

  /** Opens the workspace in `folder`, creating it with `init` when it does not exist yet; repairs what it can. */
  static async open(folder: string, init?: () => WorkspaceDoc): Promise<WorkspaceStore> {
    await mkdir(join(folder, 'labels'), { recursive: true });
    const notices: RecoveryNotice[] = [];
    const doc = await openWorkspaceDoc(folder, notices, init);
    const calls = await CallTable.load(join(folder, 'calls'), notices);
    const labels = new LabelTable(calls);
    labels.resize(calls.utteranceCount);
    const { seq, segment, entries } = await replayLabels(join(folder, 'labels'), labels, notices);
    const journal = await LabelJournal.open(join(folder, 'labels'), segment, entries);
    return new WorkspaceStore(folder, doc, calls, labels, journal, seq, notices);
  }

  get meta(): WorkspaceMeta {
    return this.doc.data.meta;
  }

  get intents(): readonly Intent[] {
    return this.doc.data.intents;
  }

  /** Changes meta or intents and writes workspace.json durably (the previous version is kept as a backup). */
  async updateDoc(mutate: (doc: WorkspaceDoc) => void): Promise<void> {
    const before = structuredClone(this.doc.data);
    mutate(this.doc.data);
    try {
      await copyFile(join(this.folder, 'workspace.json'), join(this.folder, 'workspace.prev.json')).catch(() => undefined);
      await this.doc.write();
    } catch (err) {
      this.doc.data = before;
      throw new ContractError('io', `Could not save workspace.json: ${(err as Error).message}`, { file: join(this.folder, 'workspace.json') });
    }
  }

  /**
   * Applies label changes in memory and appends them to the journal; resolves when they are durable.
   * If the disk write fails the changes are rolled back and the promise rejects.
   */
  async applyLabelChanges(changes: readonly LabelChange[], ctx: ChangeContext): Promise<LabelEvent[]> {
    const at = Date.now();
    const entries: JournalEntry[] = [];
    const undo: { utterance: number; before: ReturnType<LabelTable['labelOf']> }[] = [];
    for (const change of changes) {
      const beforeLabel = this.labels.labelOf(change.utterance);
      const before = beforeLabel?.target ?? null;
      if (sameTarget(before, change.target)) continue;
      undo.push({ utterance: change.utterance, before: beforeLabel });
      this.labels.set(change.utterance, change.target, ctx.annotator, at, ctx.source);
      entries.push({
        s: ++this.seq,
        u: this.calls.utteranceId(change.utterance),
        t: encodeTarget(change.target),
        p: encodeTarget(before),
        a: ctx.annotator,
        at,
        src: ctx.source,
        act: ctx.actionId,
      });
    }
    try {
      await this.journal.append(entries);
    } catch (err) {
      for (let i = undo.length - 1; i >= 0; i--) {
        const u = undo[i]!;
        this.labels.set(u.utterance, u.before?.target ?? null, u.before?.annotator ?? ctx.annotator, u.before?.at ?? at, u.before?.source ?? ctx.source);
      }
      throw new ContractError('io', `The label could not be saved to disk: ${(err as Error).message}`, { file: join(this.folder, 'labels') });
    }
    if (this.journal.segmentEntries >= COMPACT_AFTER) void this.compact().catch(() => undefined);
    const events = entries.map(toLabelEvent);
    if (events.length > 0) for (const listener of this.labelListeners) listener(events);
    return events;
  }

  /** Calls `listener` with the events of every label change once it is durable (reviews excluded); returns the unsubscribe function. */
  onDidApplyLabelChanges(listener: (events: readonly LabelEvent[]) => void): () => void {
    this.labelListeners.add(listener);
    return () => this.labelListeners.delete(listener);
  }

  /** Journals that reviewers kept the current labels of `utterances`; resolves when durable. */
  async keepLabels(utterances: readonly number[], ctx: ChangeContext): Promise<LabelEvent[]> {
    const at = Date.now();
    const entries: JournalEntry[] = [];
    for (const u of utterances) {
      const target = encodeTarget(this.labels.targetOf(u));
      if (target === null) continue;
      entries.push({ s: ++this.seq, u: this.calls.utteranceId(u), t: target, p: target, a: ctx.annotator, at, src: 'review', act: ctx.actionId });
    }
    await this.journal.append(entries);
    for (const u of utterances) this.labels.markReviewed(u);
    return entries.map(toLabelEvent);
  }

  /** Writes a label snapshot and starts a new journal segment, so the next open replays little. */
  compact(): Promise<void> {
    if (!this.compacting) {
      this.compacting = (async () => {
        // Roll first: every entry of the older segments is then covered by the snapshot taken next,
        // so the next open replays only the new segment (entries in it up to `seq` are skipped).
        await this.journal.roll();
        const snapshot = this.labels.toSnapshot(this.seq, this.journal.currentSegment);
        await new DurableJsonFile<LabelSnapshotDoc>(join(this.folder, 'labels', 'snapshot.json')).write(snapshot);
      })().finally(() => {
        this.compacting = null;
      });
    }
    return this.compacting;
  }

  /** Reads the label history (newest first), optionally of one utterance, from every journal segment. */
  async readHistory(filter: (e: JournalEntry) => boolean, limit: number): Promise<LabelEvent[]> {
    await this.journal.drain();
    const dir = join(this.folder, 'labels');
    const out: LabelEvent[] = [];
    const segments = await listSegments(dir);
    for (let i = segments.length - 1; i >= 0 && out.length < limit; i--) {
      const found: JournalEntry[] = [];
      await readSegment(dir, segments[i]!, (e) => filter(e) && found.push(e), [], false);
      for (let j = found.length - 1; j >= 0 && out.length < limit; j--) out.push(toLabelEvent(found[j]!));
    }
    return out;
  }

  /** Flushes everything, snapshots the labels and closes files. */
  async close(): Promise<void> {
    await this.journal.drain();
    if (this.journal.segmentEntries > 0) await this.compact();
    await this.journal.close();
  }
}

async function openWorkspaceDoc(folder: string, notices: RecoveryNotice[], init?: () => WorkspaceDoc): Promise<Low<WorkspaceDoc>> {
  const path = join(folder, 'workspace.json');
  const adapter = new DurableJsonFile<WorkspaceDoc>(path, 1);
  let data: WorkspaceDoc | null;
  try {
    data = await adapter.read();
  } catch (err) {
    if (!(err instanceof CorruptFileError)) throw err;
    const backup = await new DurableJsonFile<WorkspaceDoc>(join(folder, 'workspace.prev.json')).read().catch(() => null);
    notices.push({
      file: 'workspace.json',
      message: backup
        ? `workspace.json was damaged (${err.message}); the previous version was restored. Labels are not affected.`
        : `workspace.json was damaged (${err.message}) and no backup was found; the intent list starts empty. Labels are not affected.`,
    });
    data = backup ?? { formatVersion: 1, meta: { name: 'Recovered workspace', languages: ['zh', 'en'], annotators: [], createdAt: Date.now() }, intents: [] };
  }
  if (data && data.formatVersion > WORKSPACE_FORMAT_VERSION) {
    throw new ContractError('bad_input', `${path} was written by a newer Callsift (format ${data.formatVersion}); update Callsift to open it.`, { file: path });
  }
  const isNew = data === null;
  if (!data) {
    if (!init) throw new ContractError('not_found', `No Callsift workspace in ${folder}.`, { file: folder });
    data = init();
  }
  const low = new Low<WorkspaceDoc>(adapter, data);
  if (isNew || notices.some((n) => n.file === 'workspace.json')) await low.write();
  return low;
}

async function replayLabels(
  dir: string,
  labels: LabelTable,
  notices: RecoveryNotice[],
): Promise<{ seq: number; segment: number; entries: number }> {
  let seq = 0;
  let fromSegment = 1;
  try {
    const snapshot = await new DurableJsonFile<LabelSnapshotDoc>(join(dir, 'snapshot.json')).read();
    if (snapshot && labels.loadSnapshot(snapshot)) {
      seq = snapshot.seq;
      fromSegment = snapshot.segment;
    } else if (snapshot) {
      notices.push({ file: 'labels/snapshot.json', message: 'The label snapshot has an unknown shape; labels were rebuilt from the journal.' });
    }
  } catch (err) {
    if (!(err instanceof CorruptFileError)) throw err;
    notices.push({ file: 'labels/snapshot.json', message: `The label snapshot was damaged (${err.message}); every label was rebuilt from the journal.` });
  }
  const segments = (await listSegments(dir)).filter((n) => n >= fromSegment);
  const last = segments[segments.length - 1] ?? fromSegment;
  let entries = 0;
  for (const n of segments) {
    await readSegment(
      dir,
      n,
      (e) => {
        if (n === last) entries++;
        if (e.s <= seq) return;
        seq = e.s;
        if (e.src === 'review') labels.markReviewedById(e.u);
        else labels.setById(e.u, decodeTarget(e.t) ?? null, e.a, e.at, e.src);
      },
      notices,
      n === last,
    );
  }
  return { seq, segment: last, entries };
}
