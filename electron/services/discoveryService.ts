import type {
  CleanupReport,
  ClusterMember,
  ClusterStatus,
  ClusterSummary,
  DiscoveryActionKind,
  DiscoveryActionResult,
  DiscoveryJob,
  DiscoveryStatus,
  DiscoveryUndoResult,
  ExpansionCandidate,
  Page,
  QuestionCount,
} from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence, term } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { DiscoveryService } from '../../shared/contract/services';
import type { Intent, LabelTarget } from '../../shared/domain/types';
import { atypicalMembers } from '../../shared/ml/clusterTypicality';
import { buildCleanupReport } from './discovery/cleanupReport';
import { clusterMember, runKey, storedCluster, summarize, withoutMembers, type ClusterDoc, type StoredCluster } from './discovery/clusterBook';
import { clusteringDoc, planDiscovery, startClustering, type DiscoveryJobSlot } from './discovery/discoveryJob';
import { expandIntent } from './discovery/expansion';
import { QuestionKeys } from './discovery/questions';
import { SavedClustering } from './discovery/savedClustering';
import { isOpenForDiscovery, uncoveredPool } from './discovery/uncoveredPool';
import { clustersBefore, UndoStack, type UndoEntry } from './discovery/undoStack';
import type { IntentStore } from './intentService';
import type { LabelStore } from './labelService';
import type { Rankings } from './model/rankings';
import type { ModelController } from './modelService';
import type { CatalogueDraft } from './store/catalogue';
import type { LabelChange, WorkspaceStore } from './store/workspaceStore';
import { JobCancelled, JobSlot } from './workerJob';
import type { WorkspaceSession } from './workspaceSession';
import { log } from './log';

export interface DiscoveryOptions {
  /** The discovery worker: the built .js file, or the .ts source when running under tsx. */
  readonly workerPath: string;
}

/**
 * DiscoveryService: a facade over the discovery modules. The clustering job (`discovery/discoveryJob.ts`) runs in a
 * worker; the clustering is kept in `discovery/clusters.json` (`SavedClustering`); cluster actions label through the
 * label store and are undone from `UndoStack`; cleanup and expansion are `cleanupReport.ts` and `expansion.ts`.
 */
export class DiscoveryController implements DiscoveryService {
  private readonly job: DiscoveryJobSlot;
  private clustering: SavedClustering;
  private readonly undoStack = new UndoStack();
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
    this.job = new JobSlot((event) => session.events.emit('onDidDiscoveryProgress', event));
    this.clustering = new SavedClustering(session.store);
    // Imports and pulls announce new calls with the same event: only another workspace drops the clustering state.
    session.events.on('onDidChangeWorkspace', () => {
      const stale = () => this.clustering.store !== this.session.store;
      if (stale()) void this.enqueue(async () => (stale() ? this.reset() : undefined));
    });
  }

  async getStatus(): Promise<DiscoveryStatus> {
    const doc = await this.current();
    const last = this.undoStack.peek();
    return {
      job: this.job.current?.info ?? null,
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
    const key = { store, rankings, revision: store.labels.revision, utterances: store.reads.utteranceCount };
    const cached = this.poolCache;
    if (cached && cached.store === key.store && cached.rankings === key.rankings && cached.revision === key.revision && cached.utterances === key.utterances) {
      return cached.size;
    }
    const size = uncoveredPool(store, rankings).length;
    this.poolCache = { ...key, size };
    return size;
  }

  async run(arg: MethodArgs<'discovery.run'>): Promise<DiscoveryJob> {
    if (this.job.current) return this.job.current.info;
    const plan = planDiscovery(this.session.store, this.model.currentRankings, arg.question);
    const store = plan.store;
    const info: DiscoveryJob = { jobId: `discover-${Date.now().toString(36)}`, phase: 'preparing', progress: 0, startedAt: Date.now() };
    const run = startClustering(store, store.reads.texts(plan.pool), false, this.options.workerPath, (phase, done) => this.job.progress(phase, done));
    const finished = run.result
      .then(async (result) => {
        this.job.progress('saving', 0);
        if (store !== this.session.store) return;
        await this.enqueue(async () => {
          this.undoStack.clear();
          await this.save(clusteringDoc(plan, result));
        });
        this.job.report('done');
      })
      .catch((err: unknown) => {
        if (!(err instanceof JobCancelled)) log.error('discovery.run', err);
        this.job.report(err instanceof JobCancelled ? 'cancelled' : 'failed', err);
      })
      .finally(() => {
        this.job.current = null;
      });
    this.job.current = { info, run, finished };
    this.job.report('running');
    return info;
  }

  async listQuestions(arg: MethodArgs<'discovery.listQuestions'>): Promise<readonly QuestionCount[]> {
    const store = this.session.store;
    return new QuestionKeys(store).count(uncoveredPool(store, this.model.currentRankings), arg.limit);
  }

  async cancel(arg: MethodArgs<'discovery.cancel'>): Promise<{ readonly cancelled: boolean }> {
    const job = this.job.current;
    if (!job || job.info.jobId !== arg.jobId) return { cancelled: false };
    await job.run.cancel();
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
      const representatives = cluster.representatives.map((id) => store.calls.findUtterance(id)).filter((i): i is number => i !== undefined);
      const draft = store.catalogueDraft();
      const intent = draft.create({ name: arg.name, description: arg.description, examples: store.reads.texts(representatives), status: 'active' });
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
    const texts = cluster.members.map((id) => store.reads.textOrEmpty(store.calls.findUtterance(id)));
    const result = await startClustering(store, texts, true, this.options.workerPath).result;
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
      this.undoStack.push({ kind: 'split', clusterId: cluster.id, before: [cluster], added: children.map((c) => c.id), labelActionId: null, createdIntentId: null });
      return { kind: 'split', actionId: null, labeled: 0, intent: null, clusters: children.map((c) => summarize(store, c, doc.run.pool)) };
    });
  }

  async undo(): Promise<DiscoveryUndoResult> {
    return this.enqueue(() =>
      this.session.store.exclusive(async () => {
        const entry = this.undoStack.peek();
        if (!entry) throw new ContractError('not_found', sentence('no_discovery_undo'));
        const doc = (await this.current())!;
        let reverted = 0;
        if (entry.labelActionId) {
          // Labels, the intent it created and the cluster's decision go back in one durable write.
          const reopen = entry.before.map((c) => ({ run: runKey(doc), cluster: c.id, status: c.status, intentId: c.intentId }));
          reverted = (await this.labels.undo(entry.labelActionId, reopen)).reverted.length;
        }
        this.undoStack.pop();
        await this.save({ ...doc, clusters: clustersBefore(doc.clusters, entry) }, entry.labelActionId !== null);
        const store = this.session.store;
        return { kind: entry.kind, clusterId: entry.clusterId, reverted, clusters: entry.before.map((c) => summarize(store, c, doc.run.pool)) };
      }),
    );
  }

  async expandIntent(arg: MethodArgs<'discovery.expandIntent'>): Promise<readonly ExpansionCandidate[]> {
    const intent = this.session.requireIntent(arg.intentId);
    return expandIntent(this.session.store, intent, this.model.currentRankings, this.options.workerPath, arg.limit);
  }

  async getCleanup(): Promise<CleanupReport> {
    const store = this.session.store;
    const rankings = this.model.currentRankings?.isFor(store) ? this.model.currentRankings : null;
    return buildCleanupReport(store, rankings, this.options.workerPath);
  }

  /** Waits for a running clustering, if any; for tests. */
  whenIdle(): Promise<void> {
    return this.job.whenIdle();
  }

  async close(): Promise<void> {
    await this.job.current?.run.cancel();
    await this.whenIdle();
    await this.queue.catch(() => undefined);
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
    const entry: UndoEntry = { kind, clusterId: before.id, before: [before], added: [], labelActionId: labeled?.actionId ?? null, createdIntentId };
    this.undoStack.push(entry);
    return {
      kind,
      actionId: labeled?.actionId ?? null,
      labeled: labeled?.changed ?? 0,
      intent,
      clusters: [summarize(this.session.store, after, doc.run.pool)],
    };
  }

  /** Writes the cluster file (see SavedClustering.save) and tells the windows. */
  private async save(doc: ClusterDoc, journaled = false): Promise<void> {
    await this.clustering.save(doc, journaled);
    this.session.events.emit('onDidChangeClusters', {});
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The saved clustering of the open workspace (another workspace's state is dropped first). */
  private async current(): Promise<ClusterDoc | null> {
    if (this.clustering.store !== this.session.store) await this.reset();
    return this.clustering.current();
  }

  private async requireCluster(id: string): Promise<StoredCluster> {
    if (this.clustering.store !== this.session.store) await this.reset();
    return this.clustering.require(id);
  }

  private assertOpen(cluster: StoredCluster): StoredCluster {
    if (cluster.status !== 'open') throw new ContractError('conflict', sentence('cluster_closed', { state: term(`cluster_${cluster.status}` as 'cluster_accepted' | 'cluster_merged' | 'cluster_dismissed') }), { field: 'clusterId' });
    return cluster;
  }

  private async reset(): Promise<void> {
    await this.job.current?.run.cancel();
    this.undoStack.clear();
    this.poolCache = null;
    this.clustering = new SavedClustering(this.session.store);
  }
}
