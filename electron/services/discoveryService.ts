import { join } from 'node:path';
import type {
  BotQuestion,
  CleanupReport,
  ClusterMember,
  ClusterStatus,
  ClusterSummary,
  DiscoveryActionKind,
  DiscoveryActionResult,
  DiscoveryJob,
  DiscoveryPhase,
  DiscoveryStatus,
  DiscoveryUndoResult,
  ExpansionCandidate,
  LabeledText,
  Page,
  QuestionCount,
} from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence, term } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { DiscoveryService } from '../../shared/contract/services';
import type { Intent, LabelTarget } from '../../shared/domain/types';
import type { CatalogueDraft } from './store/catalogue';
import { confusedIntentPairs } from '../../shared/ml/discovery/cleanup';
import { createRng, sampleIndexes } from '../../shared/ml/random';
import { writeError } from '../../lib/durable/durableFile';
import { ClusterBook, clusterMember, summarize, withoutMembers, type ClusterDoc, type StoredCluster } from './discovery/clusterBook';
import type { DiscoveryRequest, DiscoveryResultMessage } from './discovery/discoveryProtocol';
import { runDiscoveryJob } from './discovery/discoveryRunner';
import { QuestionKeys } from './discovery/questions';
import { isOpenForDiscovery, uncoveredPool } from './discovery/uncoveredPool';
import type { IntentStore } from './intentService';
import type { LabelStore } from './labelService';
import { JobCancelled, jobProgressEvent, type JobState, type RunningJob } from './workerJob';
import type { Rankings } from './model/rankings';
import { VersionStore } from './model/versionStore';
import type { ModelController } from './modelService';
import type { LabelChange, WorkspaceStore } from './store/workspaceStore';
import type { WorkspaceSession } from './workspaceSession';
import { atypicalMembers } from '../../shared/ml/clusterTypicality';
import { log } from './log';

export interface DiscoveryOptions {
  /** The discovery worker: the built .js file, or the .ts source when running under tsx. */
  readonly workerPath: string;
}

/** What undoing a discovery action needs: the clusters as they were, the label action and an intent it created. */
interface UndoEntry {
  readonly kind: DiscoveryActionKind;
  readonly clusterId: string;
  readonly before: readonly StoredCluster[];
  /** Clusters the action added (split), removed again on undo. */
  readonly added: readonly string[];
  readonly labelActionId: string | null;
  readonly createdIntentId: string | null;
}

/** Most uncovered utterances clustered in one run (clustering 20k takes seconds on a laptop). */
const MAX_POOL = 40_000;
/** Labeled utterances per known intent that shape the representation. */
const KNOWN_PER_INTENT = 200;
const MAX_CANDIDATES = 100_000;
/** Expansion asks the worker for this many times the candidates shown, then re-ranks them with the model. */
const EXPANSION_OVERFETCH = 3;
const MAX_CLEANUP_TEXTS = 200_000;
const SEED = 20261124;
const UNDO_DEPTH = 50;

/** DiscoveryService: clusters the uncovered pool in a worker, keeps the clusters in `discovery/clusters.json`. */
export class DiscoveryController implements DiscoveryService {
  private job: { info: DiscoveryJob; run: RunningJob<DiscoveryResultMessage>; finished: Promise<void> } | null = null;
  private book: ClusterBook;
  private doc: Promise<ClusterDoc | null>;
  private undoStack: UndoEntry[] = [];
  private poolCache: { store: WorkspaceStore; rankings: Rankings | null; revision: number; utterances: number; size: number } | null = null;
  /** Serializes cluster actions: each reads and writes the whole cluster file. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly session: WorkspaceSession,
    private readonly labels: LabelStore,
    private readonly intents: IntentStore,
    private readonly model: ModelController,
    private readonly options: DiscoveryOptions,
  ) {
    this.book = new ClusterBook(session.store);
    this.doc = this.book.read();
    // Imports and pulls announce new calls with the same event: only another workspace drops the clustering state.
    session.events.on('onDidChangeWorkspace', () => {
      const stale = () => this.book.store !== this.session.store;
      if (stale()) void this.enqueue(async () => (stale() ? this.reset() : undefined));
    });
  }

  async getStatus(): Promise<DiscoveryStatus> {
    const doc = await this.current();
    const last = this.undoStack.at(-1);
    return {
      job: this.job?.info ?? null,
      run: doc?.run ?? null,
      pool: this.poolSize(),
      undo: last ? { kind: last.kind, clusterId: last.clusterId } : null,
    };
  }

  /**
   * How many utterances the uncovered pool holds, counted again only when the labels, the utterances or the rankings
   * changed: the Discover view asks after every label change, and the pool is a scan of the whole workspace.
   */
  private poolSize(): number {
    const store = this.session.store;
    const rankings = this.model.currentRankings;
    const key = { store, rankings, revision: store.labels.revision, utterances: store.calls.utteranceCount };
    const cached = this.poolCache;
    if (cached && cached.store === key.store && cached.rankings === key.rankings && cached.revision === key.revision && cached.utterances === key.utterances) {
      return cached.size;
    }
    const size = uncoveredPool(store, rankings).length;
    this.poolCache = { ...key, size };
    return size;
  }

  async run(arg: MethodArgs<'discovery.run'>): Promise<DiscoveryJob> {
    if (this.job) return this.job.info;
    const store = this.session.store;
    let uncovered = uncoveredPool(store, this.model.currentRankings);
    let question: BotQuestion | null = null;
    if (arg.question !== undefined) {
      // Scoped to one bot question: only the uncovered replies to it, and the run says so.
      const keys = new QuestionKeys(store.calls);
      uncovered = uncovered.filter((idx) => keys.keyOf(idx) === arg.question);
      const counted = keys.count(uncovered, 1)[0];
      question = counted ? { key: counted.key, node: counted.node, prompt: counted.prompt } : null;
    }
    const pool = uncovered.slice(0, MAX_POOL);
    if (pool.length === 0) throw new ContractError('invalid_argument', sentence('nothing_to_cluster'), arg.question === undefined ? undefined : { field: 'question' });
    const known = this.knownExamples(store);
    const request: DiscoveryRequest = {
      kind: 'discover',
      texts: Array.from(pool, (idx) => store.calls.uttText[idx]!),
      knownTexts: known.texts,
      knownLabels: known.labels,
      seed: SEED,
      split: false,
    };
    const info: DiscoveryJob = { jobId: `discover-${Date.now().toString(36)}`, phase: 'preparing', progress: 0, startedAt: Date.now() };
    const run = runDiscoveryJob(this.options.workerPath, request, (phase, done) => this.progress(phase, done));
    const modelVersion = this.model.currentRankings?.input.version ?? null;
    const finished = run.result
      .then(async (result) => {
        this.progress('saving', 0);
        if (store !== this.session.store) return;
        const ids = Array.from(pool, (idx) => store.calls.utteranceId(idx));
        const clusters = result.clusters.map((c, i) => storedCluster(`c${i + 1}`, c, ids, null));
        await this.enqueue(async () => {
          this.undoStack = [];
          await this.save({
            format: 'callsift-clusters',
            version: 1,
            run: { createdAt: Date.now(), pool: pool.length, distinct: result.distinct, clusters: clusters.length, lowConfidence: result.lowConfidence, seconds: result.seconds, modelVersion, question },
            clusters,
          });
        });
        this.emitJob('done');
      })
      .catch((err: unknown) => {
        if (!(err instanceof JobCancelled)) log.error('discovery.run', err);
        this.emitJob(err instanceof JobCancelled ? 'cancelled' : 'failed', err);
      })
      .finally(() => {
        this.job = null;
      });
    this.job = { info, run, finished };
    this.emitJob('running');
    return info;
  }

  async listQuestions(arg: MethodArgs<'discovery.listQuestions'>): Promise<readonly QuestionCount[]> {
    const store = this.session.store;
    return new QuestionKeys(store.calls).count(uncoveredPool(store, this.model.currentRankings), arg.limit);
  }

  async cancel(arg: MethodArgs<'discovery.cancel'>): Promise<{ readonly cancelled: boolean }> {
    if (!this.job || this.job.info.jobId !== arg.jobId) return { cancelled: false };
    await this.job.run.cancel();
    return { cancelled: true };
  }

  async listClusters(arg: MethodArgs<'discovery.listClusters'>): Promise<readonly ClusterSummary[]> {
    const doc = await this.current();
    if (!doc) return [];
    const store = this.session.store;
    const shown = doc.clusters.filter((c) => arg.includeClosed || c.status === 'open');
    const summaries = shown.map((c) => summarize(store, c, doc.run.pool));
    return arg.sort === 'cohesion' ? summaries.sort((a, b) => b.cohesion - a.cohesion || b.size - a.size) : summaries.sort((a, b) => b.size - a.size || b.cohesion - a.cohesion);
  }

  async getMembers(arg: MethodArgs<'discovery.getMembers'>): Promise<Page<ClusterMember>> {
    const cluster = await this.requireCluster(arg.clusterId);
    const store = this.session.store;
    const items: ClusterMember[] = [];
    for (let p = arg.offset; p < Math.min(cluster.members.length, arg.offset + arg.limit); p++) {
      const m = clusterMember(store, cluster, p);
      if (m) items.push(m);
    }
    return { total: cluster.members.length, offset: arg.offset, items };
  }

  async acceptCluster(arg: MethodArgs<'discovery.acceptCluster'>): Promise<DiscoveryActionResult> {
    return this.clusterAction(arg.clusterId, async (cluster, doc) => {
      const store = this.session.store;
      const done = cluster.status === 'accepted' ? store.intents.find((i) => i.id === cluster.intentId) : undefined;
      if (done && done.name.toLowerCase() === arg.name.toLowerCase()) return this.alreadyDone('accept', cluster, doc, done);
      this.assertOpen(cluster);
      const examples = cluster.representatives.map((id) => store.calls.findUtterance(id)).filter((i): i is number => i !== undefined).map((i) => store.calls.uttText[i]!);
      const draft = store.catalogueDraft();
      const intent = draft.create({ name: arg.name, description: arg.description, examples, status: 'active' });
      const labeled = await this.labelMembers(cluster, { kind: 'intent', intentId: intent.id }, doc, 'accepted', arg.includeAtypical === true, draft);
      return this.finish('accept', cluster, { ...cluster, status: 'accepted', intentId: intent.id }, labeled, intent, intent.id);
    });
  }

  async mergeCluster(arg: MethodArgs<'discovery.mergeCluster'>): Promise<DiscoveryActionResult> {
    return this.clusterAction(arg.clusterId, async (cluster, doc) => {
      const intent = this.session.requireIntent(arg.intentId);
      if (cluster.status === 'merged' && cluster.intentId === intent.id) return this.alreadyDone('merge', cluster, doc, intent);
      this.assertOpen(cluster);
      if (intent.status === 'deprecated') throw new ContractError('invalid_argument', sentence('intent_deprecated', { name: intent.name }), { field: 'intentId' });
      const labeled = await this.labelMembers(cluster, { kind: 'intent', intentId: intent.id }, doc, 'merged', arg.includeAtypical === true);
      return this.finish('merge', cluster, { ...cluster, status: 'merged', intentId: intent.id }, labeled, intent, null);
    });
  }

  async dismissCluster(arg: MethodArgs<'discovery.dismissCluster'>): Promise<DiscoveryActionResult> {
    return this.clusterAction(arg.clusterId, async (cluster, doc) => {
      if (cluster.status === 'dismissed') return this.alreadyDone('dismiss', cluster, doc, null);
      this.assertOpen(cluster);
      const labeled = await this.labelMembers(cluster, { kind: 'none' }, doc, 'dismissed', arg.includeAtypical === true);
      return this.finish('dismiss', cluster, { ...cluster, status: 'dismissed' }, labeled, null, null);
    });
  }

  /** Runs an action on a cluster of the saved clustering, one at a time, with the catalogue held (see store.exclusive). */
  private clusterAction(clusterId: string, work: (cluster: StoredCluster, doc: ClusterDoc) => Promise<DiscoveryActionResult>): Promise<DiscoveryActionResult> {
    return this.enqueue(() =>
      this.session.store.exclusive(async () => {
        const cluster = await this.requireCluster(clusterId);
        return work(cluster, (await this.current())!);
      }),
    );
  }

  /** The answer to an action repeated after it was done (a retry whose first answer was lost): nothing changes. */
  private alreadyDone(kind: DiscoveryActionKind, cluster: StoredCluster, doc: ClusterDoc, intent: Intent | null): DiscoveryActionResult {
    return { kind, actionId: null, labeled: 0, intent, clusters: [summarize(this.session.store, cluster, doc.run.pool)] };
  }

  async removeMembers(arg: MethodArgs<'discovery.removeMembers'>): Promise<DiscoveryActionResult> {
    return this.enqueue(async () => {
      const cluster = this.assertOpen(await this.requireCluster(arg.clusterId));
      const drop = new Set(arg.utteranceIds.filter((id) => cluster.members.includes(id)));
      if (drop.size === 0) throw new ContractError('invalid_argument', sentence('not_in_cluster'), { field: 'utteranceIds' });
      return this.finish('removeMembers', cluster, withoutMembers(cluster, drop), null, null, null);
    });
  }

  async splitCluster(arg: MethodArgs<'discovery.splitCluster'>): Promise<DiscoveryActionResult> {
    const cluster = this.assertOpen(await this.requireCluster(arg.clusterId));
    if (cluster.members.length < 4) throw new ContractError('invalid_argument', sentence('cluster_too_small'), { field: 'clusterId' });
    const store = this.session.store;
    const known = this.knownExamples(store);
    const texts = cluster.members.map((id) => store.calls.uttText[store.calls.findUtterance(id) ?? -1] ?? '');
    const request: DiscoveryRequest = { kind: 'discover', texts, knownTexts: known.texts, knownLabels: known.labels, seed: SEED, split: true };
    const result = await runDiscoveryJob(this.options.workerPath, request).result;
    if (result.clusters.length < 2) throw new ContractError('invalid_argument', sentence('cluster_no_split'), { field: 'clusterId' });
    return this.enqueue(async () => {
      const doc = (await this.current())!;
      const current = doc.clusters.find((c) => c.id === cluster.id);
      if (current?.status !== 'open' || current.members.length !== cluster.members.length) {
        throw new ContractError('conflict', sentence('cluster_changed'), { field: 'clusterId' });
      }
      const children = result.clusters.map((c, i) => storedCluster(`${cluster.id}.${i + 1}`, c, cluster.members, cluster.id));
      const clusters = doc.clusters.flatMap((c) => (c.id === cluster.id ? children : [c]));
      await this.save({ ...doc, clusters });
      this.pushUndo({ kind: 'split', clusterId: cluster.id, before: [cluster], added: children.map((c) => c.id), labelActionId: null, createdIntentId: null });
      return { kind: 'split', actionId: null, labeled: 0, intent: null, clusters: children.map((c) => summarize(store, c, doc.run.pool)) };
    });
  }

  async undo(): Promise<DiscoveryUndoResult> {
    return this.enqueue(() =>
      this.session.store.exclusive(async () => {
        const entry = this.undoStack.at(-1);
        if (!entry) throw new ContractError('not_found', sentence('no_discovery_undo'));
        const doc = (await this.current())!;
        let reverted = 0;
        if (entry.labelActionId) {
          // Labels, the intent it created and the cluster's decision go back in one durable write.
          const reopen = entry.before.map((c) => ({ run: runKey(doc), cluster: c.id, status: c.status, intentId: c.intentId }));
          reverted = (await this.labels.undo(entry.labelActionId, reopen)).reverted.length;
        }
        this.undoStack.pop();
        const before = new Map(entry.before.map((c) => [c.id, c]));
        const added = new Set(entry.added);
        const clusters: StoredCluster[] = [];
        for (const c of doc.clusters) {
          if (added.has(c.id)) {
            const parent = entry.before.find((b) => b.id === entry.clusterId);
            if (parent && !clusters.includes(parent)) clusters.push(parent);
            continue;
          }
          clusters.push(before.get(c.id) ?? c);
        }
        await this.save({ ...doc, clusters }, entry.labelActionId !== null);
        const store = this.session.store;
        return { kind: entry.kind, clusterId: entry.clusterId, reverted, clusters: entry.before.map((c) => summarize(store, c, doc.run.pool)) };
      }),
    );
  }

  async expandIntent(arg: MethodArgs<'discovery.expandIntent'>): Promise<readonly ExpansionCandidate[]> {
    const intent = this.session.requireIntent(arg.intentId);
    const store = this.session.store;
    const examples = [...intent.examples];
    const candidates: number[] = [];
    const n = store.calls.utteranceCount;
    for (let idx = 0; idx < n; idx++) {
      const target = store.labels.targetOf(idx);
      if (target === null) candidates.push(idx);
      else if (target.kind === 'intent' && target.intentId === intent.id) examples.push(store.calls.uttText[idx]!);
    }
    if (examples.length === 0) throw new ContractError('invalid_argument', sentence('intent_no_examples', { name: intent.name }), { field: 'intentId' });
    const sampled = sample(candidates, MAX_CANDIDATES);
    const result = await runDiscoveryJob(this.options.workerPath, {
      kind: 'expand',
      examples: sample(examples, 2000),
      candidates: sampled.map((idx) => store.calls.uttText[idx]!),
      top: arg.limit * EXPANSION_OVERFETCH,
    }).result;
    const claimedElsewhere = this.claimedByOtherIntent(intent.id);
    return result.ranked
      .map(({ index, similarity }) => ({ idx: sampled[index]!, similarity: similarity * (1 - claimedElsewhere(sampled[index]!)) }))
      .sort((a, b) => b.similarity - a.similarity || a.idx - b.idx)
      .slice(0, arg.limit)
      .map(({ idx, similarity }) => ({ utteranceId: store.calls.utteranceId(idx), callId: store.calls.callIds[store.calls.uttCall[idx]!]!, text: store.calls.uttText[idx]!, similarity }));
  }

  /**
   * How surely the latest model puts an utterance in another intent than `intentId` (its top probability when the top
   * intent is another one, else 0). Text similarity alone ranks short generic replies ("可以", "ok") high for any intent
   * whose examples contain them; the model knows they belong elsewhere.
   */
  private claimedByOtherIntent(intentId: string): (idx: number) => number {
    const rankings = this.model.currentRankings;
    if (!rankings) return () => 0;
    const { labels, scored } = rankings.input;
    const own = labels.indexOf(intentId);
    return (idx) => (idx < scored.first.length && scored.first[idx] !== own ? scored.firstProb[idx]! : 0);
  }

  async getCleanup(): Promise<CleanupReport> {
    const store = this.session.store;
    const keys = new QuestionKeys(store.calls);
    const rankings = this.model.currentRankings?.isFor(store) ? this.model.currentRankings : null;
    const rows: number[] = [];
    const labelOf: string[] = [];
    const n = store.calls.utteranceCount;
    for (let idx = 0; idx < n; idx++) {
      const target = store.labels.targetOf(idx);
      if (target?.kind !== 'intent') continue;
      rows.push(idx);
      labelOf.push(target.intentId);
    }
    const picked = sample(rows.map((_, i) => i), MAX_CLEANUP_TEXTS);
    const result = await runDiscoveryJob(this.options.workerPath, {
      kind: 'cleanup',
      texts: picked.map((i) => store.calls.uttText[rows[i]!]!),
      labels: picked.map((i) => labelOf[i]!),
      questions: picked.map((i) => keys.keyOf(rows[i]!)),
      maxPairs: 200,
    }).result;
    // What each shown utterance answered, and whether a model that never saw its label backs it.
    const duplicates = result.duplicates.slice(0, 200);
    const text = (i: number): LabeledText => {
      const idx = rows[picked[i]!]!;
      return {
        utteranceId: store.calls.utteranceId(idx),
        text: store.calls.uttText[idx]!,
        intentId: labelOf[picked[i]!]!,
        botPrompt: store.calls.botPrompt(idx),
        node: store.calls.contextOf(idx).node || null,
        modelIntentId: rankings?.outOfSampleIntent(idx) ?? null,
      };
    };
    const questionOf = (g: (typeof duplicates)[number]): BotQuestion | null => {
      const counted = g.question ? keys.count(g.items.map((i) => rows[picked[i]!]!), 1)[0] : undefined;
      return counted ? { key: counted.key, node: counted.node, prompt: counted.prompt } : null;
    };
    return {
      conflictingDuplicates: duplicates.map((g) => ({ normalized: g.normalized, question: questionOf(g), items: g.items.map(text) })),
      nearDuplicates: result.nearDuplicates.map((p) => ({ a: text(p.a), b: text(p.b), similarity: p.similarity })),
      confusedPairs: await this.confusedPairs(),
      labeled: rows.length,
    };
  }

  /** Waits for a running clustering, if any; for tests. */
  async whenIdle(): Promise<void> {
    while (this.job) await this.job.finished;
  }

  async close(): Promise<void> {
    await this.job?.run.cancel();
    await this.whenIdle();
    await this.queue.catch(() => undefined);
  }

  /** Intents the latest model version keeps confusing, from its out-of-fold predictions. */
  private async confusedPairs(): Promise<CleanupReport['confusedPairs']> {
    const versions = new VersionStore(join(this.session.store.folder, 'models'));
    const latest = (await versions.versions()).pop();
    const doc = latest === undefined ? null : await versions.read(latest);
    if (!doc) return [];
    const labels = doc.artifact.labels;
    const indexOf = new Map(labels.map((l, i) => [l, i]));
    const truth = Int32Array.from(doc.training.intentIds, (id) => indexOf.get(id) ?? -1);
    const predicted = Int32Array.from(doc.training.outOfFoldPrediction);
    return confusedIntentPairs(truth, predicted, labels, { minCount: 2, top: 20 });
  }

  /** Labeled utterances of the non-deprecated intents, at most KNOWN_PER_INTENT each (seeded sample), plus catalogue examples. */
  private knownExamples(store: WorkspaceStore): { texts: string[]; labels: string[] } {
    const usable = new Map(store.intents.filter((i) => i.status !== 'deprecated').map((i) => [i.id, i]));
    const byIntent = new Map<string, string[]>();
    const n = store.calls.utteranceCount;
    for (let idx = 0; idx < n; idx++) {
      const t = store.labels.targetOf(idx);
      if (t?.kind !== 'intent' || !usable.has(t.intentId)) continue;
      const list = byIntent.get(t.intentId) ?? [];
      list.push(store.calls.uttText[idx]!);
      byIntent.set(t.intentId, list);
    }
    const texts: string[] = [];
    const labels: string[] = [];
    for (const [id, intent] of usable) {
      for (const text of [...intent.examples, ...sample(byIntent.get(id) ?? [], KNOWN_PER_INTENT)]) {
        texts.push(text);
        labels.push(id);
      }
    }
    return { texts, labels };
  }

  /**
   * Labels the members still open for it (unlabeled or "none of these") with `target`, records the cluster's new
   * `status` and commits the intents `draft` created, as one undoable, durable action.
   */
  private async labelMembers(
    cluster: StoredCluster,
    target: LabelTarget,
    doc: ClusterDoc,
    status: ClusterStatus,
    includeAtypical: boolean,
    draft?: CatalogueDraft,
  ): Promise<{ actionId: string; changed: number }> {
    const store = this.session.store;
    const changes: LabelChange[] = [];
    // The least typical members stay unlabeled unless the lead includes them (see atypicalMembers).
    const atypical = includeAtypical ? null : atypicalMembers(cluster.similarity, cluster.lowConfidence);
    for (const [position, id] of cluster.members.entries()) {
      if (atypical?.[position]) continue;
      const idx = store.calls.findUtterance(id);
      if (idx !== undefined && isOpenForDiscovery(store, idx)) changes.push({ utterance: idx, target });
    }
    const intentId = target.kind === 'intent' ? target.intentId : null;
    const result = await this.labels.apply(changes, 'discovery', {
      intents: draft?.changes() ?? [],
      clusters: [{ run: runKey(doc), cluster: cluster.id, status, intentId }],
    });
    return { actionId: result.actionId, changed: result.changed };
  }

  private async finish(
    kind: DiscoveryActionKind,
    before: StoredCluster,
    after: StoredCluster,
    labeled: { actionId: string; changed: number } | null,
    intent: Intent | null,
    createdIntentId: string | null,
  ): Promise<DiscoveryActionResult> {
    const doc = (await this.current())!;
    await this.save({ ...doc, clusters: doc.clusters.map((c) => (c.id === before.id ? after : c)) }, labeled !== null);
    this.pushUndo({ kind, clusterId: before.id, before: [before], added: [], labelActionId: labeled?.actionId ?? null, createdIntentId });
    return {
      kind,
      actionId: labeled?.actionId ?? null,
      labeled: labeled?.changed ?? 0,
      intent,
      clusters: [summarize(this.session.store, after, doc.run.pool)],
    };
  }

  private pushUndo(entry: UndoEntry): void {
    this.undoStack.push(entry);
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
  }

  /**
   * Writes the cluster file. After an action whose decision the journal already holds (`journaled`), the write only
   * catches the file up: it cannot fail the action (the journal's decisions are laid over the file when it is read).
   * Otherwise the file is the only record, and a failed write fails the action and changes nothing.
   */
  private async save(doc: ClusterDoc, journaled = false): Promise<void> {
    if (journaled) {
      this.doc = Promise.resolve(doc);
      await this.book.write(doc).catch((err: unknown) => log.warn('discovery.saveClusters', err, { journaled: true }));
    } else {
      await this.book.write(doc).catch((err: unknown) => {
        throw writeError(err, 'what_clusters', join(this.session.store.folder, 'discovery', 'clusters.json'));
      });
      this.doc = Promise.resolve(doc);
    }
    this.session.events.emit('onDidChangeClusters', {});
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The saved clustering, with each cluster's status as the journal has it: cluster decisions are committed with the
   * labels they give, so they hold even when a crash kept clusters.json from catching up.
   */
  private async current(): Promise<ClusterDoc | null> {
    if (this.book.store !== this.session.store) await this.reset();
    const doc = await this.doc;
    if (!doc) return null;
    const store = this.session.store;
    const run = runKey(doc);
    let changed = false;
    const clusters = doc.clusters.map((c) => {
      const d = store.clusterDecision(run, c.id);
      if (!d || (d.status === c.status && d.intentId === c.intentId)) return c;
      changed = true;
      return { ...c, status: d.status, intentId: d.intentId };
    });
    return changed ? { ...doc, clusters } : doc;
  }

  private async requireCluster(id: string): Promise<StoredCluster> {
    const doc = await this.current();
    const cluster = doc?.clusters.find((c) => c.id === id);
    if (!cluster) throw new ContractError('not_found', sentence('no_cluster', { id }), { field: 'clusterId' });
    return cluster;
  }

  private assertOpen(cluster: StoredCluster): StoredCluster {
    if (cluster.status !== 'open') throw new ContractError('conflict', sentence('cluster_closed', { state: term(`cluster_${cluster.status}` as 'cluster_accepted' | 'cluster_merged' | 'cluster_dismissed') }), { field: 'clusterId' });
    return cluster;
  }

  private async reset(): Promise<void> {
    await this.job?.run.cancel();
    this.undoStack = [];
    this.poolCache = null;
    this.book = new ClusterBook(this.session.store);
    this.doc = this.book.read();
  }

  private progress(phase: DiscoveryPhase, done: number): void {
    if (!this.job) return;
    this.job.info = { ...this.job.info, phase, progress: done };
    this.emitJob('running');
  }

  private emitJob(state: JobState, err?: unknown): void {
    if (this.job) this.session.events.emit('onDidDiscoveryProgress', jobProgressEvent(this.job.info, state, err));
  }
}

/** The identity of a clustering run, which cluster decisions are recorded under. */
function runKey(doc: ClusterDoc): string {
  return String(doc.run.createdAt);
}

/** A found cluster by utterance id; `ids` maps the request's text indexes to utterance ids. */
function storedCluster(id: string, c: DiscoveryResultMessage['clusters'][number], ids: readonly string[], splitFrom: string | null): StoredCluster {
  return {
    id,
    members: Array.from(c.members, (m) => ids[m]!),
    similarity: Array.from(c.similarity, round4),
    lowConfidence: Array.from(c.lowConfidence),
    duplicates: Array.from(c.duplicates),
    cohesion: round4(c.cohesion),
    representatives: Array.from(c.representatives, (m) => ids[m]!),
    outliers: Array.from(c.outliers, (m) => ids[m]!),
    nearestIntents: c.nearestIntents.map((n) => ({ intentId: n.label, similarity: round4(n.similarity) })),
    keywords: c.keywords.map((k) => ({ term: k.term, score: round4(k.score) })),
    suggestedName: c.suggestedName,
    status: 'open',
    intentId: null,
    splitFrom,
  };
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** A seeded sample of at most `max` items, in their original order. */
function sample<T>(items: readonly T[], max: number): T[] {
  return items.length <= max ? [...items] : Array.from(sampleIndexes(items.length, max, createRng(SEED)), (i) => items[i]!);
}
