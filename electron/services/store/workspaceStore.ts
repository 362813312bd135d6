import { mkdir, open, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ClusterStatus, RecoveryNotice } from '../../../shared/contract/dto';
import type { RecoverySentence } from '../../../shared/contract/recovery';
import { problemTerm, recoveryNotice, type FileProblem } from './recoveryNotice';
import { ContractError } from '../../../shared/contract/errors';
import { sentence, errorName } from '../../../shared/contract/errorWords';
import { sameTarget, type Intent, type Label, type LabelEvent, type LabelSource, type LabelTarget, type WorkspaceMeta } from '../../../shared/domain/types';
import { CatalogueDraft, type IntentChange } from './catalogue';
import { WorkspaceReads } from './workspaceReads';
import { CallTable, type StagedCalls } from './callTable';
import { CorruptFileError, DurableJsonFile, removeTempFiles, writeError, writeFileAtomic } from '../../../lib/durable/durableFile';
import { decodeTarget, encodeTarget, isLabelRecord, toLabelEvent, type JournalEntry, type JournalRecord } from './labelCodec';
import { LabelJournal, listSegments, readSegment, segmentName, type JournalOptions } from './labelJournal';
import { buildSnapshot, LabelTable, stringifySnapshot, type LabelCapture, type LabelSnapshotDoc } from './labelTable';
import { scanInChunks, yieldToEventLoop } from '../model/scanInChunks';
import { RecoveryFolder } from './recoveryFolder';
import { acquireWorkspaceLock, LOCK_FILE_NAME, type LockMode, type WorkspaceLock } from './workspaceLock';
import { log } from '../log';

/** workspace.json: the workspace's name, languages, annotators and intent catalogue. */
export interface WorkspaceDoc {
  readonly formatVersion: 1 | 2;
  meta: WorkspaceMeta;
  intents: Intent[];
  /** Journal sequence number up to which `intents` holds every intent change (format 2); later ones are replayed. */
  seq?: number;
}

/** Format 2: intent changes are journaled with the labels, and workspace.json records how far it includes them. */
export const WORKSPACE_FORMAT_VERSION = 2;
/** Journal entries after which a snapshot is taken and a new segment started (CALLSIFT_COMPACT_AFTER for torture runs). */
const COMPACT_AFTER = Number(process.env.CALLSIFT_COMPACT_AFTER) > 0 ? Number(process.env.CALLSIFT_COMPACT_AFTER) : 200_000;
const FOLDERS_WITH_TEMP_FILES = ['', 'calls', 'labels', 'sync', 'discovery', 'models'];
const LABEL_SOURCES: ReadonlySet<string> = new Set<LabelSource>(['manual', 'bulk', 'suggestion', 'import', 'undo', 'merge', 'review', 'discovery']);

export interface LabelChange {
  readonly utterance: number;
  readonly target: LabelTarget | null;
  /** Who made it, when not the action's annotator (imported labels keep theirs). */
  readonly annotator?: string;
}

export interface ChangeContext {
  readonly annotator: string;
  readonly source: LabelSource;
  readonly actionId: string;
}

/** What a lead decided about cluster `cluster` of discovery run `run`. */
export interface ClusterDecision {
  readonly run: string;
  readonly cluster: string;
  readonly status: ClusterStatus;
  readonly intentId: string | null;
}

/**
 * Everything one user action changes, committed as one journal write: after a crash the action is there whole or
 * not at all. Intent changes come from a CatalogueDraft made inside `exclusive`.
 */
export interface StoreAction {
  readonly labels?: readonly LabelChange[];
  /** Utterances whose current labels a reviewer kept. */
  readonly reviews?: readonly number[];
  readonly intents?: readonly IntentChange[];
  readonly clusters?: readonly ClusterDecision[];
  /** Import shards (staged calls) that exist only if this action does. */
  readonly shards?: readonly number[];
}

export interface OpenOptions {
  /** Who opens the workspace, named to a second opener it refuses (default 'cli'). */
  readonly mode?: LockMode;
  /** Journal file access, for tests that inject failing writes. */
  readonly journal?: JournalOptions;
}

interface DocState {
  meta: WorkspaceMeta;
  /** Journal seq the catalogue on disk includes. */
  seq: number;
  /** False when workspace.json must be recovered by replaying every segment's intent changes. */
  current: boolean;
  /** Set when workspace.json was damaged or missing: the catalogue is being rebuilt. */
  rebuild: { problem: FileProblem; movedTo: string | null; fromPrevious: boolean; previousSavedAt: number | null } | null;
  intents: Intent[];
}

/**
 * One workspace folder on disk:
 * - workspace.json (atomic + fsync, previous version kept as workspace.prev.json): meta and the intent catalogue as of
 *   journal sequence `seq`;
 * - calls/: sharded call documents with columnar indexes (see CallTable);
 * - labels/journal-NNNNNN.jsonl: the append-only, fsynced history of every label change, intent change, cluster decision
 *   and import commit, each user action one write (a multi-record action ends in a commit record);
 *   labels/snapshot.json (atomic + fsync): every current label as of journal sequence `seq`.
 * An action is acknowledged only after its journal write is on disk; the other files catch up from the journal.
 * Recovery never deletes: what it cannot use goes to recovery/<time>/, and each step is reported in `notices`.
 */
export class WorkspaceStore {
  readonly notices: RecoveryNotice[];
  private seq: number;
  private catalogueSeq: number;
  private intentList: Intent[];
  private meta_: WorkspaceMeta;
  private readonly clusterDecisions: Map<string, ClusterDecision>;
  private compacting: Promise<void> | null = null;
  /** Closed while compaction takes its snapshot: commits wait so the snapshot holds only durable labels. */
  private gate: Promise<void> | null = null;
  private inFlight = 0;
  /** Utterances whose label was changed in memory by a write not yet on disk, with that write's settling. */
  private readonly unsettled = new Map<number, Promise<void>>();
  private idle: (() => void) | null = null;
  private exclusiveTail: Promise<unknown> = Promise.resolve();
  private docWrites: Promise<void> = Promise.resolve();
  private docDirty = false;
  private lastDocText: string | null;
  private readonly labelListeners = new Set<(events: readonly LabelEvent[]) => void>();

  private readonly releaseAtExit: () => void;
  /** What services read of calls and labels (user turns, labeled rows): use it rather than the columns. */
  readonly reads: WorkspaceReads;

  private constructor(
    readonly folder: string,
    private readonly lock: WorkspaceLock,
    readonly calls: CallTable,
    readonly labels: LabelTable,
    private readonly journal: LabelJournal,
    state: { seq: number; catalogueSeq: number; intents: Intent[]; meta: WorkspaceMeta; clusters: Map<string, ClusterDecision>; docText: string | null },
    notices: RecoveryNotice[],
  ) {
    this.reads = new WorkspaceReads(calls, labels);
    this.seq = state.seq;
    this.catalogueSeq = state.catalogueSeq;
    this.intentList = state.intents;
    this.meta_ = state.meta;
    this.clusterDecisions = state.clusters;
    this.lastDocText = state.docText;
    this.notices = notices;
    this.releaseAtExit = () => lock.releaseSync();
    process.on('exit', this.releaseAtExit);
  }

  /** Opens the workspace in `folder`, creating it with `init` when it does not exist yet; repairs what it can, deleting nothing. */
  static async open(folder: string, init?: () => WorkspaceDoc, options: OpenOptions = {}): Promise<WorkspaceStore> {
    await mkdir(join(folder, 'labels'), { recursive: true });
    const lock = await acquireWorkspaceLock(folder, { mode: options.mode ?? 'cli' });
    try {
      return await WorkspaceStore.openLocked(folder, lock, init, options);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private static async openLocked(folder: string, lock: WorkspaceLock, init: (() => WorkspaceDoc) | undefined, options: OpenOptions): Promise<WorkspaceStore> {
    for (const sub of FOLDERS_WITH_TEMP_FILES) await removeTempFiles(join(folder, sub));
    const notices: RecoveryNotice[] = [];
    if (lock.tookOverFrom) notices.push(recoveryNotice(LOCK_FILE_NAME, lock.tookOverFrom.sentence));
    const recovery = new RecoveryFolder(folder);
    const labelsDir = join(folder, 'labels');
    const doc = await readWorkspaceDoc(folder, recovery, init);
    const calls = await CallTable.load(join(folder, 'calls'), notices, recovery);
    const labels = new LabelTable(calls);
    labels.resize(calls.utteranceCount);
    const snapshot = await readLabelSnapshot(labelsDir, labels, notices, recovery);
    const catalogue = new Map(doc.intents.map((i) => [i.id, i]));
    const replay = await replayJournal(labelsDir, {
      labels,
      snapshotSeq: snapshot.seq,
      startSegment: snapshot.segment,
      catalogue,
      catalogueFrom: doc.current ? Math.max(doc.seq, 0) : -1,
      everySegment: doc.rebuild !== null,
      clusters: snapshot.clusters,
      notices,
      recovery,
    });
    const unresolved = calls.stagedShardNumbers().filter((n) => !replay.committedShards.has(n));
    // A compaction may have rolled the journal between an import's commit and its index's update: look further back.
    if (unresolved.length > 0) await readShardCommits(labelsDir, snapshot.segment, replay.committedShards);
    if (await calls.resolveStaged((n) => replay.committedShards.has(n), notices, recovery)) labels.resize(calls.utteranceCount);
    const intents = [...catalogue.values()];
    if (doc.rebuild) recreateIntentsUsedByLabels(intents, labels, calls.utteranceCount, notices, doc, replay.catalogueChanges);
    const journal = await LabelJournal.open(labelsDir, replay.segment, replay.entries, replay.goodBytes, options.journal);
    const store = new WorkspaceStore(
      folder,
      lock,
      calls,
      labels,
      journal,
      // Every intent change the journal holds is applied now, so the catalogue is current up to the last record.
      { seq: replay.seq, catalogueSeq: replay.seq, intents, meta: doc.meta, clusters: snapshot.clusters, docText: doc.text },
      notices,
    );
    if (doc.isNew || doc.rebuild || !doc.hasPrevious || doc.formatVersion < WORKSPACE_FORMAT_VERSION || replay.catalogueChanges > 0) {
      // On a full disk the workspace still opens for reading; the journal holds what this write would have saved.
      await store.saveDoc().catch((err: unknown) => {
        log.warn('store.saveCatalogue', err, { folder });
        store.docDirty = true;
      });
    }
    return store;
  }

  get meta(): WorkspaceMeta {
    return this.meta_;
  }

  /** The intent catalogue, as durable. */
  get intents(): readonly Intent[] {
    return this.intentList;
  }

  /** The last journal sequence number used. */
  get lastSeq(): number {
    return this.seq;
  }

  /** A working copy of the catalogue to plan intent changes on (inside `exclusive`), committed with `commit`. */
  catalogueDraft(now = Date.now()): CatalogueDraft {
    return new CatalogueDraft(this.intentList, now);
  }

  /** What a lead decided about a cluster of a discovery run, if anything. */
  clusterDecision(run: string, cluster: string): ClusterDecision | undefined {
    return this.clusterDecisions.get(`${run}/${cluster}`);
  }

  /**
   * Runs `work` alone among exclusive work: actions that plan intent changes or append calls read the catalogue and
   * the call table, then commit, with nobody else changing them in between.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.exclusiveTail.then(work, work);
    this.exclusiveTail = next.catch(() => undefined);
    return next;
  }

  /** Changes meta (name, languages, annotators) and writes workspace.json durably. */
  async updateMeta(mutate: (meta: WorkspaceMeta) => WorkspaceMeta): Promise<void> {
    const before = this.meta_;
    this.meta_ = mutate(this.meta_);
    try {
      await this.saveDoc();
    } catch (err) {
      this.meta_ = before;
      throw writeError(err, 'what_workspace', join(this.folder, 'workspace.json'));
    }
  }

  /**
   * Commits one user action: label changes are applied at once (and taken back if the write fails), intent changes,
   * cluster decisions and import shards once the action's journal write is on disk. Resolves when it is durable; a
   * failed write rejects with a contract error (a full disk says so) and leaves nothing of the action behind. Returns
   * the label events (reviews included; listeners hear only the changes).
   */
  async commit(action: StoreAction, ctx: ChangeContext): Promise<LabelEvent[]> {
    return (await this.commitAction(action, ctx)).events;
  }

  /**
   * `commit`, also returning the labels of `action.labels`' utterances as this action left them (null: no label).
   * Read after the commit resolves, the label table may already hold a later action's change that is not on disk.
   */
  async commitAction(action: StoreAction, ctx: ChangeContext): Promise<{ events: LabelEvent[]; labels: (Label | null)[] }> {
    if (!LABEL_SOURCES.has(ctx.source)) throw new ContractError('internal', sentence('bad_label_source', { source: String(ctx.source) }));
    // An utterance another action changed in memory may still lose that change (its write can fail, or the process
    // die): this action compares with, and reports, only labels on disk.
    for (;;) {
      while (this.gate) await this.gate;
      const waits = this.unsettledOf(action);
      if (waits.length === 0) break;
      await Promise.all(waits);
    }
    const at = Date.now();
    const records: JournalRecord[] = [];
    const base = { a: ctx.annotator, at, act: ctx.actionId };
    const undo: { utterance: number; before: ReturnType<LabelTable['labelOf']>; after: LabelTarget | null }[] = [];
    for (const change of action.intents ?? []) {
      const id = (change.after ?? change.before)!.id;
      records.push({ s: 0, ...base, k: 'intent', id, intent: change.after });
    }
    for (const decision of action.clusters ?? []) {
      records.push({ s: 0, ...base, k: 'cluster', run: decision.run, c: decision.cluster, st: decision.status, i: decision.intentId });
    }
    for (const n of action.shards ?? []) records.push({ s: 0, ...base, k: 'shard', n });
    for (const change of action.labels ?? []) {
      const beforeLabel = this.labels.labelOf(change.utterance);
      const before = beforeLabel?.target ?? null;
      if (sameTarget(before, change.target)) continue;
      const annotator = change.annotator ?? ctx.annotator;
      undo.push({ utterance: change.utterance, before: beforeLabel, after: change.target });
      this.labels.set(change.utterance, change.target, annotator, at, ctx.source);
      records.push({ s: 0, ...base, a: annotator, u: this.calls.utteranceId(change.utterance), t: encodeTarget(change.target), p: encodeTarget(before), src: ctx.source });
    }
    for (const u of action.reviews ?? []) {
      const target = encodeTarget(this.labels.targetOf(u));
      if (target !== null) records.push({ s: 0, ...base, u: this.calls.utteranceId(u), t: target, p: target, src: 'review' });
    }
    const labels = (action.labels ?? []).map((c) => this.labels.labelOf(c.utterance));
    if (records.length === 0) return { events: [], labels };
    const multi = records.length > 1;
    const numbered = records.map((r) => ({ ...r, s: ++this.seq, ...(multi ? { x: 1 as const } : {}) }));
    const lines = numbered.map((r) => JSON.stringify(r));
    if (multi) lines.push(JSON.stringify({ s: ++this.seq, k: 'commit', act: ctx.actionId, n: numbered.length }));
    this.inFlight++;
    const written = this.journal.append(lines);
    this.markUnsettled(undo.map((u) => u.utterance), written);
    try {
      await written;
    } catch (err) {
      for (let i = undo.length - 1; i >= 0; i--) {
        const u = undo[i]!;
        if (!sameTarget(this.labels.targetOf(u.utterance), u.after)) continue;
        this.labels.set(u.utterance, u.before?.target ?? null, u.before?.annotator ?? ctx.annotator, u.before?.at ?? at, u.before?.source ?? ctx.source);
      }
      throw writeError(err, multi ? 'what_change' : 'what_label', join(this.folder, 'labels'));
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
    const events: LabelEvent[] = [];
    let catalogueChanged = false;
    for (const r of numbered) {
      if (isLabelRecord(r)) {
        if (r.src === 'review') this.labels.markReviewedById(r.u);
        events.push(toLabelEvent(r));
      } else if (r.k === 'intent') {
        this.applyIntent(r.id, r.intent);
        this.catalogueSeq = r.s;
        catalogueChanged = true;
      } else if (r.k === 'cluster') {
        this.clusterDecisions.set(`${r.run}/${r.c}`, { run: r.run, cluster: r.c, status: r.st, intentId: r.i });
      }
    }
    // Listeners hear every action in journal order, before anything here awaits: the sync outbox takes the highest
    // seq it queued as considered, so hearing a later change first would leave this one unsent after a crash.
    const changes = events.filter((e) => e.source !== 'review');
    if (changes.length > 0) for (const listener of this.labelListeners) listener(changes);
    if (catalogueChanged) {
      await this.saveDoc().catch((err: unknown) => {
        log.warn('store.saveCatalogue', err, { folder: this.folder });
        this.docDirty = true;
      });
    }
    // A failed compaction loses nothing (the journal holds every label); it is retried after the next commit and at close.
    if (this.journal.segmentEntries >= COMPACT_AFTER) void this.compact().catch((err: unknown) => log.error('store.compact', err, { folder: this.folder }));
    return { events, labels };
  }

  private unsettledOf(action: StoreAction): Promise<void>[] {
    if (this.unsettled.size === 0) return [];
    const out: Promise<void>[] = [];
    for (const c of action.labels ?? []) {
      const w = this.unsettled.get(c.utterance);
      if (w) out.push(w);
    }
    for (const u of action.reviews ?? []) {
      const w = this.unsettled.get(u);
      if (w) out.push(w);
    }
    return out;
  }

  private markUnsettled(utterances: readonly number[], written: Promise<void>): void {
    if (utterances.length === 0) return;
    const settled = written.then(
      () => undefined,
      () => undefined,
    );
    for (const u of utterances) this.unsettled.set(u, settled);
    void settled.then(() => {
      for (const u of utterances) if (this.unsettled.get(u) === settled) this.unsettled.delete(u);
    });
  }

  /** Applies label changes as one action; resolves when they are durable. */
  applyLabelChanges(changes: readonly LabelChange[], ctx: ChangeContext): Promise<LabelEvent[]> {
    return this.commit({ labels: changes }, ctx);
  }

  /** Journals that reviewers kept the current labels of `utterances`; resolves when durable. */
  keepLabels(utterances: readonly number[], ctx: ChangeContext): Promise<LabelEvent[]> {
    return this.commit({ reviews: utterances }, { ...ctx, source: 'review' });
  }

  /**
   * Imports calls as one action with what `plan` makes of them (labels, new intents): the calls are staged in new
   * shards, then committed together with the plan's changes, so a crash leaves the batch whole or absent.
   * Call it inside `exclusive`. Returns the staged calls and the label events.
   */
  async importCalls(
    calls: Parameters<CallTable['stageCalls']>[0],
    plan: (staged: StagedCalls) => Omit<StoreAction, 'shards'>,
    ctx: ChangeContext,
  ): Promise<{ staged: StagedCalls; events: LabelEvent[] }> {
    const staged = await this.calls.stageCalls(calls, ctx.actionId);
    this.labels.resize(this.calls.utteranceCount);
    let events: LabelEvent[];
    try {
      events = await this.commit({ ...plan(staged), shards: staged.shards.map((s) => s.n) }, ctx);
    } catch (err) {
      this.labels.truncate(staged.utterancesBefore);
      await this.calls.discardStaged(staged);
      throw err;
    }
    await this.calls.commitStaged(staged);
    return { staged, events };
  }

  /** Calls `listener` with the events of every label change once it is durable (reviews excluded); returns the unsubscribe function. */
  onDidApplyLabelChanges(listener: (events: readonly LabelEvent[]) => void): () => void {
    this.labelListeners.add(listener);
    return () => this.labelListeners.delete(listener);
  }

  /**
   * Writes a label snapshot and starts a new journal segment, so the next open replays little. Commits wait while the
   * snapshot is taken (not while it is written), so it holds exactly the durable labels up to its sequence number.
   */
  compact(): Promise<void> {
    if (!this.compacting) {
      this.compacting = (async () => {
        let release!: () => void;
        this.gate = new Promise<void>((resolve) => (release = resolve));
        let capture: LabelCapture;
        try {
          if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
          this.idle = null;
          // Roll first: every entry of the older segments is then covered by the snapshot taken next.
          await this.journal.roll();
          const decisions = [...this.clusterDecisions.values()].map((d): [string, ClusterStatus, string | null] => [`${d.run}/${d.cluster}`, d.status, d.intentId]);
          // A copy of the columns (milliseconds): the document is built from it after commits go on again.
          capture = this.labels.capture(this.seq, this.journal.currentSegment, decisions);
        } finally {
          this.gate = null;
          release();
        }
        await this.saveDoc();
        // Built and written in slices that yield: on a million labels this took over a second of the label thread.
        const snapshot = await buildSnapshot(capture, (n, visit) => scanInChunks(n, visit));
        const text = await stringifySnapshot(snapshot, yieldToEventLoop);
        await writeFileAtomic(join(this.folder, 'labels', 'snapshot.json'), text);
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
      await readSegment(dir, segments[i]!, (r) => {
        if (isLabelRecord(r) && filter(r)) found.push(r);
      });
      for (let j = found.length - 1; j >= 0 && out.length < limit; j--) out.push(toLabelEvent(found[j]!));
    }
    return out;
  }

  /** Calls `onEntry` with every committed label change of sequence number above `seq`, oldest first. */
  async readLabelChangesSince(seq: number, onEntry: (e: JournalEntry) => void): Promise<void> {
    await this.journal.drain();
    const dir = join(this.folder, 'labels');
    const segments = await listSegments(dir);
    let from = segments.length - 1;
    while (from > 0 && (await firstSeqOf(dir, segments[from]!)) > seq + 1) from--;
    for (let i = Math.max(0, from); i < segments.length; i++) {
      await readSegment(dir, segments[i]!, (r) => {
        if (r.s > seq && isLabelRecord(r)) onEntry(r);
      });
    }
  }

  /**
   * Flushes everything, snapshots the labels and closes files. Never throws: what cannot be written now (a full disk)
   * is already in the journal and is caught up at the next open; the reason is returned.
   */
  async close(): Promise<string | null> {
    let problem: string | null = null;
    await this.journal.drain().catch((err: unknown) => log.warn('store.close.drain', err, { folder: this.folder }));
    try {
      if (this.journal.segmentEntries > 0 || this.docDirty) await this.compact();
    } catch (err) {
      log.error('store.compact', err, { folder: this.folder, atClose: true });
      problem = writeError(err, 'what_snapshot', join(this.folder, 'labels', 'snapshot.json')).message;
    }
    await this.docWrites.catch((err: unknown) => log.warn('store.saveCatalogue', err, { folder: this.folder }));
    await this.journal.close().catch((err: unknown) => {
      log.error('store.close.journal', err, { folder: this.folder });
      problem ??= (err as Error).message;
    });
    process.off('exit', this.releaseAtExit);
    await this.lock.release();
    return problem;
  }

  /**
   * Lets go of the workspace as a crash would: nothing is flushed, snapshotted or closed, only the lock is released
   * (and the journal file handle, so a test process does not leak it). For crash tests within one process.
   */
  async abandonAsIfCrashed(): Promise<void> {
    await this.journal.abandon();
    process.off('exit', this.releaseAtExit);
    await this.lock.release();
  }

  private applyIntent(id: string, intent: Intent | null): void {
    const at = this.intentList.findIndex((i) => i.id === id);
    if (intent === null) {
      if (at >= 0) this.intentList = this.intentList.filter((i) => i.id !== id);
    } else if (at >= 0) {
      this.intentList = this.intentList.map((i) => (i.id === id ? intent : i));
    } else {
      this.intentList = [...this.intentList, intent];
    }
  }

  /**
   * Writes workspace.json with the durable catalogue (and its journal position), after saving the version it replaces
   * as workspace.prev.json. Writes run one at a time, each with the state at its turn.
   */
  private saveDoc(): Promise<void> {
    const write = this.docWrites.then(async () => {
      const doc: WorkspaceDoc = { formatVersion: WORKSPACE_FORMAT_VERSION, meta: this.meta_, intents: this.intentList, seq: this.catalogueSeq };
      const text = JSON.stringify(doc, null, 1);
      if (text === this.lastDocText && !this.docDirty) return;
      if (this.lastDocText !== null) await writeFileAtomic(join(this.folder, 'workspace.prev.json'), this.lastDocText);
      await writeFileAtomic(join(this.folder, 'workspace.json'), text);
      if (this.lastDocText === null) await writeFileAtomic(join(this.folder, 'workspace.prev.json'), text);
      this.lastDocText = text;
      this.docDirty = false;
    });
    this.docWrites = write.catch(() => undefined);
    return write;
  }
}

/** Adds the shard numbers that `shard` records of the segments before `before` commit to `committed`. */
async function readShardCommits(dir: string, before: number, committed: Set<number>): Promise<void> {
  for (const n of await listSegments(dir)) {
    if (n >= before) break;
    await readSegment(dir, n, (r) => {
      if ('k' in r && r.k === 'shard') committed.add(r.n);
    });
  }
}

/** The sequence number of a segment's first record: +Infinity when it has none, 0 when it cannot be read (so it is read whole). */
async function firstSeqOf(dir: string, segment: number): Promise<number> {
  const head = Buffer.alloc(4096);
  let bytes: number;
  const handle = await open(join(dir, segmentName(segment)), 'r').catch(() => null);
  if (!handle) return 0;
  try {
    bytes = (await handle.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await handle.close();
  }
  if (bytes === 0) return Number.POSITIVE_INFINITY;
  const text = head.subarray(0, bytes).toString('utf8');
  const end = text.indexOf('\n');
  try {
    const s = (JSON.parse(end >= 0 ? text.slice(0, end) : text) as { s?: unknown }).s;
    return typeof s === 'number' ? s : 0;
  } catch {
    return 0;
  }
}

interface ReadDoc extends DocState {
  readonly isNew: boolean;
  readonly hasPrevious: boolean;
  readonly formatVersion: number;
  /** The text of workspace.json as read (null when it was not usable): the next write saves it as workspace.prev.json. */
  readonly text: string | null;
}

/**
 * Reads workspace.json. A damaged (or, in a folder with data, missing) file is moved aside and the catalogue restored
 * from workspace.prev.json, else rebuilt from the journal; the caller replays the journal's intent changes either way.
 */
async function readWorkspaceDoc(folder: string, recovery: RecoveryFolder, init?: () => WorkspaceDoc): Promise<ReadDoc> {
  const path = join(folder, 'workspace.json');
  const prevPath = join(folder, 'workspace.prev.json');
  let text: string | null = null;
  let problem: FileProblem | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ContractError('io', sentence('cannot_read', { file: path, detail: errorName(err) }), { file: path }, `Cannot read ${path}: ${(err as Error).message}`);
  }
  const previousExists = await readFile(prevPath, 'utf8').then(
    () => true,
    () => false,
  );
  let data: WorkspaceDoc | null = null;
  if (text !== null) {
    try {
      data = JSON.parse(text) as WorkspaceDoc;
      if (typeof data !== 'object' || data === null || !Array.isArray(data.intents) || typeof data.meta !== 'object') {
        problem = { kind: 'unknown_shape' };
        data = null;
      }
    } catch (err) {
      problem = { kind: 'not_json', detail: (err as Error).message };
    }
  } else {
    const hasData = previousExists || (await listSegments(join(folder, 'labels'))).length > 0;
    if (hasData) problem = { kind: 'missing' };
  }
  if (data && data.formatVersion > WORKSPACE_FORMAT_VERSION) {
    throw new ContractError('bad_input', sentence('newer_format', { file: path, format: data.formatVersion }), { file: path });
  }
  if (data) {
    return { meta: data.meta, intents: data.intents, seq: data.seq ?? Number.POSITIVE_INFINITY, current: true, rebuild: null, isNew: false, hasPrevious: previousExists, formatVersion: data.formatVersion, text };
  }
  if (problem === null) {
    if (!init) throw new ContractError('not_found', sentence('no_workspace', { folder }), { file: folder });
    const created = init();
    return { meta: created.meta, intents: created.intents, seq: 0, current: true, rebuild: null, isNew: true, hasPrevious: false, formatVersion: WORKSPACE_FORMAT_VERSION, text: null };
  }
  const movedTo = text !== null ? await recovery.moveAside('workspace.json') : null;
  const previous = await new DurableJsonFile<WorkspaceDoc>(prevPath).read().catch((err: unknown) => {
    if (err instanceof CorruptFileError) return null;
    throw err;
  });
  if (previous && Array.isArray(previous.intents) && typeof previous.meta === 'object') {
    const savedAt = Math.max(0, ...previous.intents.map((i) => i.updatedAt ?? 0));
    return {
      meta: previous.meta,
      intents: previous.intents,
      seq: previous.seq ?? 0,
      current: previous.seq !== undefined,
      rebuild: { problem, movedTo, fromPrevious: true, previousSavedAt: savedAt || null },
      isNew: false,
      hasPrevious: true,
      formatVersion: previous.formatVersion,
      text: null,
    };
  }
  const meta: WorkspaceMeta = { name: basename(folder) || 'Recovered workspace', languages: ['zh', 'en'], annotators: [], createdAt: Date.now() };
  return { meta, intents: [], seq: 0, current: false, rebuild: { problem, movedTo, fromPrevious: false, previousSavedAt: null }, isNew: false, hasPrevious: false, formatVersion: WORKSPACE_FORMAT_VERSION, text: null };
}

/** After a catalogue rebuild: intents labels use that no record describes come back under their ids, and the notice says all. */
function recreateIntentsUsedByLabels(
  intents: Intent[],
  labels: LabelTable,
  utterances: number,
  notices: RecoveryNotice[],
  doc: DocState,
  replayed: number,
): void {
  const rebuild = doc.rebuild!;
  const known = new Set(intents.map((i) => i.id));
  const missing = new Set<string>();
  for (let idx = 0; idx < utterances; idx++) {
    const t = labels.targetOf(idx);
    if (t?.kind === 'intent' && !known.has(t.intentId)) missing.add(t.intentId);
  }
  for (const id of labels.orphanIntentIds()) if (!known.has(id)) missing.add(id);
  const now = Date.now();
  for (const id of missing) {
    intents.push({ id, name: id, description: '', examples: [], status: 'active', createdAt: now, updatedAt: now });
  }
  const sentences: RecoverySentence[] = [{ key: 'catalogue_unusable', params: { problem: problemTerm(rebuild.problem) } }];
  if (rebuild.movedTo) sentences.push({ key: 'catalogue_moved', params: { movedTo: rebuild.movedTo } });
  if (!rebuild.fromPrevious) sentences.push({ key: 'catalogue_from_journal', params: { intents: intents.length - missing.size } });
  else if (rebuild.previousSavedAt) {
    sentences.push({ key: 'catalogue_from_previous_dated', params: { savedAt: new Date(rebuild.previousSavedAt).toISOString(), replayed } });
  } else sentences.push({ key: 'catalogue_from_previous', params: { replayed } });
  if (missing.size > 0) {
    const ids = `${[...missing].slice(0, 5).join(', ')}${missing.size > 5 ? ', …' : ''}`;
    sentences.push({ key: 'catalogue_recreated', params: { count: missing.size, ids } });
  }
  if (!rebuild.fromPrevious) sentences.push({ key: 'catalogue_meta_reset' });
  sentences.push({ key: 'catalogue_labels_kept' });
  notices.push(recoveryNotice('workspace.json', ...sentences));
}

/** Reads labels/snapshot.json into `labels`; a damaged one is moved aside and the labels rebuilt from the journal. */
async function readLabelSnapshot(
  dir: string,
  labels: LabelTable,
  notices: RecoveryNotice[],
  recovery: RecoveryFolder,
): Promise<{ seq: number; segment: number; clusters: Map<string, ClusterDecision> }> {
  const clusters = new Map<string, ClusterDecision>();
  const segments = await listSegments(dir);
  const history = (): RecoverySentence => {
    if (segments.length === 0) return { key: 'journal_empty' };
    const gaps = segments[0] !== 1 || segments.some((n, i) => i > 0 && n !== segments[i - 1]! + 1);
    return gaps ? { key: 'journal_segments_missing', params: { found: segments.join(', ') } } : { key: 'journal_segments_whole' };
  };
  let problem: FileProblem | null = null;
  try {
    const snapshot = await new DurableJsonFile<LabelSnapshotDoc>(join(dir, 'snapshot.json')).read();
    if (snapshot && labels.loadSnapshot(snapshot)) {
      for (const [key, status, intentId] of snapshot.cd ?? []) {
        const [run, cluster] = splitClusterKey(key);
        clusters.set(key, { run, cluster, status: status as ClusterStatus, intentId });
      }
      return { seq: snapshot.seq, segment: snapshot.segment, clusters };
    }
    if (snapshot) problem = { kind: 'unknown_shape' };
    else if (segments.length > 1 || (segments[0] ?? 1) > 1) {
      notices.push(recoveryNotice('labels/snapshot.json', { key: 'snapshot_missing' }, history()));
    }
  } catch (err) {
    if (!(err instanceof CorruptFileError)) throw err;
    problem = { kind: 'damaged', detail: err.reason };
  }
  if (problem) {
    labels.clear();
    const moved = await recovery.moveAside('labels/snapshot.json');
    notices.push(recoveryNotice('labels/snapshot.json', { key: 'snapshot_unusable', params: { problem: problemTerm(problem), movedTo: moved } }, history()));
  }
  return { seq: 0, segment: 1, clusters };
}

function splitClusterKey(key: string): [string, string] {
  const at = key.indexOf('/');
  return [key.slice(0, at), key.slice(at + 1)];
}

interface ReplayContext {
  readonly labels: LabelTable;
  readonly snapshotSeq: number;
  readonly startSegment: number;
  readonly catalogue: Map<string, Intent>;
  /** Intent changes above this sequence number are applied (-1: all). */
  readonly catalogueFrom: number;
  /** Read the segments before the snapshot's too, for intent changes workspace.json may lack (a catalogue rebuild). */
  readonly everySegment: boolean;
  readonly clusters: Map<string, ClusterDecision>;
  readonly notices: RecoveryNotice[];
  readonly recovery: RecoveryFolder;
}

/** Replays the journal into the label table, the catalogue and the cluster decisions; repairs the last segment's tail. */
async function replayJournal(
  dir: string,
  ctx: ReplayContext,
): Promise<{ seq: number; segment: number; entries: number; goodBytes: number; catalogueSeq: number; catalogueChanges: number; committedShards: Set<number> }> {
  let seq = ctx.snapshotSeq;
  let catalogueSeq = 0;
  let catalogueChanges = 0;
  const committedShards = new Set<number>();
  const segments = await listSegments(dir);
  const last = segments.at(-1) ?? ctx.startSegment;
  const from = ctx.everySegment ? (segments[0] ?? last) : ctx.startSegment;
  let entries = 0;
  let goodBytes = 0;
  for (const n of segments) {
    if (n < from) continue;
    const current = n >= ctx.startSegment;
    goodBytes = await readSegment(
      dir,
      n,
      (r) => {
        if (n === last) entries++;
        if (r.s > seq) seq = r.s;
        if (isLabelRecord(r)) {
          if (r.s <= ctx.snapshotSeq) return;
          if (r.src === 'review') ctx.labels.markReviewedById(r.u);
          else ctx.labels.setById(r.u, decodeTarget(r.t) ?? null, r.a, r.at, r.src);
          return;
        }
        switch (r.k) {
          case 'intent':
            if (ctx.catalogueFrom >= 0 && r.s <= ctx.catalogueFrom) return;
            if (r.intent === null) ctx.catalogue.delete(r.id);
            else ctx.catalogue.set(r.id, r.intent);
            catalogueSeq = Math.max(catalogueSeq, r.s);
            catalogueChanges++;
            return;
          case 'cluster':
            if (r.s > ctx.snapshotSeq) ctx.clusters.set(`${r.run}/${r.c}`, { run: r.run, cluster: r.c, status: r.st, intentId: r.i });
            return;
          case 'shard':
            committedShards.add(r.n);
            return;
        }
      },
      current ? { notices: ctx.notices, ...(n === last ? { repairTail: ctx.recovery } : {}) } : {},
    );
  }
  return { seq, segment: last, entries, goodBytes: segments.length > 0 ? goodBytes : 0, catalogueSeq, catalogueChanges, committedShards };
}
