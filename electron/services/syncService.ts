import { randomUUID } from 'node:crypto';
import type { GateCheck, GateOverride, ModelComparison, ModelPushResult, Page, PlatformModelList, SyncConflict, SyncErrorInfo, SyncJob, SyncPhase, SyncStatus } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { EventMap, SyncService } from '../../shared/contract/services';
import * as wire from '../../shared/platformApi/schemas';
import type { LabelStore } from './labelService';
import { activateModel, compareModel, listPlatformModels, pushModel, rollbackModel, type ModelPushContext } from './sync/modelPush';
import { pullLabels, pushOutbox, targetOfPlatformIntent } from './sync/labelExchange';
import { checkApiVersion, DEFAULT_CLIENT_OPTIONS, normalizePlatformUrl, PlatformClient, type PlatformClientOptions } from './sync/platformClient';
import { pullCalls } from './sync/pullCalls';
import { pullCatalogue } from './sync/pullCatalogue';
import type { SecretStore } from './sync/secretStore';
import { isOfflineError, SyncCancelled, SyncError } from './sync/syncError';
import { freshSyncState } from './sync/syncState';
import { WorkspaceLink } from './sync/workspaceLink';
import { readWire } from './sync/wireReply';
import type { WorkspaceSession } from './workspaceSession';
import { log } from './log';

export interface SyncOptions {
  /** Where platform tokens are kept (safeStorage in Electron, a 0600 file in browser mode). */
  readonly secrets: SecretStore;
  /** Request time limit and retries of reads. */
  readonly client?: Partial<PlatformClientOptions>;
  /** Calls per feed page (1–2000). Default 1000. */
  readonly pageSize?: number;
  /** Labels per upload (≤ 5000). Default 2000. */
  readonly labelBatchSize?: number;
  /** Outbox retry backoff: first wait and cap, ms. Default 1 s doubling to 60 s. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** Wait after a label change before the outbox is sent (labels made together go together), ms. Default 300. */
  readonly pushDelayMs?: number;
}

type SyncProgress = EventMap['onDidSyncProgress'];

interface RunningJob {
  job: { -readonly [K in keyof SyncJob]: SyncJob[K] };
  readonly abort: AbortController;
  finished: Promise<SyncProgress> | null;
  lastEmitAt: number;
}

/** Progress events are at most ten a second. */
const PROGRESS_INTERVAL_MS = 100;
const TOKEN_KEY_PREFIX = 'platform-token:';

/**
 * SyncService: links the open workspace to a platform project and keeps both in step — catalogue, calls by
 * cursor, the label outbox (sent in the background with capped exponential backoff, and by every sync),
 * and others' labels, with disagreements kept as conflicts. State lives in `<workspace>/sync/`.
 */
export class SyncController implements SyncService {
  private link: WorkspaceLink | null = null;
  private linking: Promise<WorkspaceLink> | null = null;
  private running: RunningJob | null = null;
  private readonly finishedJobs = new Map<string, SyncProgress>();
  private online: boolean | null = null;
  private lastError: SyncErrorInfo | null = null;
  private readonly tokens = new Map<string, string>();
  private pushChain: Promise<unknown> = Promise.resolve();
  private drainTimer: NodeJS.Timeout | null = null;
  private drainAttempt = 0;
  private closed = false;
  /** Aborted on close: stops a background send in flight. */
  private readonly lifetime = new AbortController();
  private readonly clientOptions: PlatformClientOptions;
  private readonly offWorkspace: () => void;

  private constructor(
    private readonly session: WorkspaceSession,
    private readonly labels: LabelStore,
    private readonly options: SyncOptions,
  ) {
    this.clientOptions = { ...DEFAULT_CLIENT_OPTIONS, ...options.client };
    this.offWorkspace = session.events.on('onDidChangeWorkspace', () => {
      if (this.link && this.link.store !== session.store) void this.requireLink().catch((err: unknown) => this.noteError(err));
    });
  }

  /** Opens the sync files of the current workspace and starts sending its outbox when it is linked. */
  static async open(session: WorkspaceSession, labels: LabelStore, options: SyncOptions): Promise<SyncController> {
    const controller = new SyncController(session, labels, options);
    const link = await controller.requireLink();
    if (link.connected) controller.scheduleDrain(0);
    return controller;
  }

  async getStatus(): Promise<SyncStatus> {
    return this.status(await this.requireLink());
  }

  async connect(arg: MethodArgs<'sync.connect'>): Promise<SyncStatus> {
    const url = normalizePlatformUrl(arg.url);
    const client = new PlatformClient(url, arg.token, { ...this.clientOptions, retries: 0 });
    await checkPlatform(client, arg.project);
    await this.stopJob();
    const link = await this.requireLink();
    const s = link.state.value;
    const wasConnected = link.connected;
    if (s.url === url && s.project === arg.project && s.linkId) await link.state.update({ connected: true });
    else await link.state.reset(freshSyncState(url, arg.project));
    if (!wasConnected) await link.startSending();
    await this.options.secrets.set(TOKEN_KEY_PREFIX + url, arg.token);
    this.tokens.set(url, arg.token);
    this.online = true;
    this.lastError = null;
    this.drainAttempt = 0;
    this.scheduleDrain(0);
    return this.emitStatus(link);
  }

  async disconnect(): Promise<SyncStatus> {
    await this.stopJob();
    this.clearDrain();
    const link = await this.requireLink();
    const url = link.state.value.url;
    await link.state.update({ connected: false });
    if (url !== null) {
      this.tokens.delete(url);
      await this.options.secrets.delete(TOKEN_KEY_PREFIX + url);
    }
    this.online = null;
    this.lastError = null;
    return this.emitStatus(link);
  }

  async syncNow(): Promise<SyncJob> {
    if (this.running) return { ...this.running.job };
    const link = await this.requireLink();
    if (!link.connected) throw new ContractError('invalid_argument', sentence('not_connected'));
    const abort = new AbortController();
    const running: RunningJob = {
      job: { jobId: randomUUID(), phase: 'catalogue', progress: 0, startedAt: Date.now(), callsPulled: 0, callsRemaining: null, labelsPushed: 0, labelsPulled: 0 },
      abort,
      finished: null,
      lastEmitAt: 0,
    };
    this.running = running;
    running.finished = this.run(link, running);
    this.emitStatus(link);
    return { ...running.job };
  }

  async cancel(arg: MethodArgs<'sync.cancel'>): Promise<{ readonly cancelled: boolean }> {
    const running = this.running;
    if (!running || running.job.jobId !== arg.jobId) return { cancelled: false };
    running.abort.abort();
    await running.finished;
    return { cancelled: true };
  }

  async listConflicts(arg: MethodArgs<'sync.listConflicts'>): Promise<Page<SyncConflict>> {
    const link = await this.requireLink();
    const open = link.conflicts.open().sort((a, b) => a.detectedAt - b.detectedAt);
    const { calls, labels } = link.store;
    const items = open.slice(arg.offset, arg.offset + arg.limit).map((c): SyncConflict => {
      const idx = calls.findUtterance(c.theirs.utteranceId);
      return {
        id: c.id,
        utteranceId: c.theirs.utteranceId,
        text: link.store.reads.textOrEmpty(idx),
        mine: idx === undefined ? null : labels.labelOf(idx),
        theirs: { target: targetOfPlatformIntent(c.theirs.intent), annotator: c.theirs.annotator, at: c.theirs.labeledAt },
        foundBy: c.foundBy,
        detectedAt: c.detectedAt,
      };
    });
    return { total: open.length, offset: arg.offset, items };
  }

  async resolveConflict(arg: MethodArgs<'sync.resolveConflict'>): Promise<SyncStatus> {
    const link = await this.requireLink();
    const conflict = link.conflicts.get(arg.conflictId);
    if (!conflict) throw new ContractError('not_found', sentence('no_conflict', { id: arg.conflictId }), { field: 'conflictId' });
    if (conflict.closed !== null) throw new ContractError('conflict', sentence('conflict_resolved'), { field: 'conflictId' });
    if (arg.keep === 'theirs') {
      const { theirs } = conflict;
      const utterance = link.store.calls.findUtterance(theirs.utteranceId);
      if (utterance === undefined) throw new ContractError('not_found', sentence('conflict_utterance_missing', { id: theirs.utteranceId }), { field: 'conflictId' });
      if (theirs.intent !== null) this.session.requireIntent(theirs.intent);
      await this.labels.apply([{ utterance, target: targetOfPlatformIntent(theirs.intent) }], 'manual');
      for (const other of link.conflicts.open()) {
        if (other.theirs.utteranceId === theirs.utteranceId && other.theirs.intent === theirs.intent) await link.conflicts.close(other.id, 'theirs');
      }
    } else {
      await link.conflicts.close(conflict.id, 'mine');
    }
    return this.emitStatus(link);
  }

  async listPlatformModels(): Promise<PlatformModelList> {
    return this.withPlatform((ctx) => listPlatformModels(ctx));
  }

  async compareModel(arg: MethodArgs<'sync.compareModel'>): Promise<ModelComparison> {
    return this.withPlatform((ctx) => compareModel(ctx, arg.version));
  }

  async pushModel(arg: MethodArgs<'sync.pushModel'>): Promise<ModelPushResult> {
    const check = this.pushGate ? await this.pushGate(arg.version) : null;
    let override: GateOverride | null = null;
    if (check && !check.passed) {
      if (arg.overrideNote === undefined) throw gateBlocked(check);
      override = { note: arg.overrideNote, by: this.session.annotator, at: Date.now(), reasons: check.reasons };
    }
    return this.withPlatform((ctx) => pushModel(ctx, arg.version, arg.note, override));
  }

  /** Sets the release gate every push is checked by (the pinned cases and net-change estimate of a version). */
  setPushGate(gate: (version: number) => Promise<GateCheck>): void {
    this.pushGate = gate;
  }

  private pushGate: ((version: number) => Promise<GateCheck>) | null = null;

  async activateModel(arg: MethodArgs<'sync.activateModel'>): Promise<PlatformModelList> {
    return this.withPlatform((ctx) => activateModel(ctx, arg.platformVersion));
  }

  async rollbackModel(): Promise<PlatformModelList> {
    return this.withPlatform((ctx) => rollbackModel(ctx));
  }

  /** Waits for job `jobId` to end (or the running one when omitted) and returns its last progress event. */
  async whenJobEnds(jobId?: string): Promise<SyncProgress | null> {
    const running = this.running;
    if (running?.finished && (jobId === undefined || running.job.jobId === jobId)) return running.finished;
    return jobId === undefined ? null : (this.finishedJobs.get(jobId) ?? null);
  }

  /** Waits until the outbox has been sent once more (or failed to be); for tests and benchmarks. */
  async whenOutboxSent(): Promise<void> {
    await this.pushChain;
  }

  /** Stops the running sync and background sending, and closes the sync files. */
  async close(): Promise<void> {
    this.closed = true;
    this.lifetime.abort();
    this.offWorkspace();
    this.clearDrain();
    await this.stopJob();
    await this.pushChain;
    await this.link?.close();
    this.link = null;
  }

  private async run(link: WorkspaceLink, running: RunningJob): Promise<SyncProgress> {
    const { job, abort } = running;
    const signal = abort.signal;
    const { url, project } = link.state.value;
    let outcome: SyncProgress;
    let labelsApplied = 0;
    try {
      const client = await this.clientFor(url!);
      const base = { client, project: project!, store: link.store, state: link.state, signal };
      this.setPhase(link, running, 'catalogue', 0);
      const catalogue = await pullCatalogue(base);
      if (catalogue.added + catalogue.updated > 0) this.session.events.emit('onDidChangeIntents', {});
      this.setPhase(link, running, 'calls', 0);
      await pullCalls({
        ...base,
        pageSize: this.options.pageSize ?? 1000,
        onProgress: ({ stored, remaining }) => {
          job.callsPulled = stored;
          job.callsRemaining = remaining;
          job.progress = remaining === null ? 0 : stored / Math.max(1, stored + remaining);
          this.emitProgress(running, 'running');
        },
      });
      this.setPhase(link, running, 'push', 0);
      const pending = link.outbox.size;
      job.labelsPushed = await this.pushNow(link, signal, (delivered) => {
        job.labelsPushed = delivered;
        job.progress = pending === 0 ? 1 : Math.min(1, delivered / pending);
        this.emitProgress(running, 'running');
      });
      this.setPhase(link, running, 'labels', 0);
      const pulled = await pullLabels({
        ...base,
        conflicts: link.conflicts,
        annotator: this.session.annotator,
        pageSize: 5000,
        onPage: (read) => {
          job.labelsPulled = read;
          this.emitProgress(running, 'running');
        },
      });
      labelsApplied = pulled.applied;
      job.progress = 1;
      await link.state.update({ lastSyncAt: Date.now() });
      this.online = true;
      this.lastError = null;
      outcome = { ...job, state: 'done' };
    } catch (err) {
      if (err instanceof SyncCancelled || signal.aborted) outcome = { ...job, state: 'cancelled' };
      else {
        this.noteError(err);
        outcome = { ...job, state: 'failed', message: (err as Error).message, ...(err instanceof ContractError && err.sentences ? { sentences: err.sentences } : {}) };
      }
    }
    this.running = null;
    this.finishedJobs.set(job.jobId, outcome);
    if (this.finishedJobs.size > 20) this.finishedJobs.delete(this.finishedJobs.keys().next().value!);
    this.session.events.emit('onDidSyncProgress', outcome);
    if (job.callsPulled > 0) this.session.events.emit('onDidChangeWorkspace', {});
    if (labelsApplied > 0) this.session.events.emit('onDidChangeLabels', { count: labelsApplied });
    if (!this.closed) this.emitStatus(link);
    if (link.outbox.size > 0 && outcome.state === 'failed') this.scheduleDrain(this.nextBackoff());
    return outcome;
  }

  /** Sends the outbox; one send at a time (a sync and the background drain take turns). */
  private pushNow(link: WorkspaceLink, signal?: AbortSignal, onBatch?: (delivered: number) => void): Promise<number> {
    const next = this.pushChain.then(async () => {
      if (link.outbox.size === 0) return 0;
      const client = await this.clientFor(link.state.value.url!);
      return pushOutbox({
        client,
        project: link.state.value.project!,
        outbox: link.outbox,
        conflicts: link.conflicts,
        state: link.state,
        batchSize: this.options.labelBatchSize ?? 2000,
        signal: signal ?? this.lifetime.signal,
        onBatch: (delivered) => {
          this.online = true;
          onBatch?.(delivered);
          this.emitStatus(link);
        },
      });
    });
    this.pushChain = next.catch(() => undefined);
    return next;
  }

  /** The link queued labels: tell the UI the new pending count and send them soon. */
  private onQueued(link: WorkspaceLink): void {
    if (this.closed || this.link !== link) return;
    this.emitStatus(link);
    if (!this.running) this.scheduleDrain(this.drainAttempt === 0 ? (this.options.pushDelayMs ?? 300) : this.nextBackoff());
  }

  private scheduleDrain(delayMs: number): void {
    if (this.closed || this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      void this.drain();
    }, delayMs);
    this.drainTimer.unref?.();
  }

  private clearDrain(): void {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
  }

  private nextBackoff(): number {
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    return Math.min(maxMs, baseMs * 2 ** Math.max(0, this.drainAttempt - 1));
  }

  private async drain(): Promise<void> {
    const link = this.link;
    if (!link || !link.connected || link.outbox.size === 0 || this.closed) return;
    try {
      await this.pushNow(link);
      this.drainAttempt = 0;
      this.online = true;
      if (this.lastError && (this.lastError.kind === 'unreachable' || this.lastError.kind === 'timeout' || this.lastError.kind === 'server')) this.lastError = null;
      this.emitStatus(link);
    } catch (err) {
      this.noteError(err);
      this.drainAttempt++;
      this.emitStatus(link);
    }
    if (link.outbox.size > 0) this.scheduleDrain(this.drainAttempt === 0 ? 0 : this.nextBackoff());
  }

  /** Runs a model-registry request as withPlatform does, or answers null when the workspace is not connected to a platform. */
  async whenConnected<T>(task: (ctx: ModelPushContext) => Promise<T>): Promise<T | null> {
    const link = await this.requireLink();
    if (!link.connected) return null;
    return this.withPlatform(task);
  }

  /** Runs a model-registry request against the linked platform; a failure updates online/offline and the last error. */
  private async withPlatform<T>(task: (ctx: ModelPushContext) => Promise<T>): Promise<T> {
    const link = await this.requireLink();
    if (!link.connected) throw new ContractError('invalid_argument', sentence('not_connected'));
    const { url, project } = link.state.value;
    try {
      const result = await task({ client: await this.clientFor(url!), project: project!, store: link.store });
      if (this.online !== true) {
        this.online = true;
        this.emitStatus(link);
      }
      return result;
    } catch (err) {
      if (err instanceof SyncError) {
        this.noteError(err);
        this.emitStatus(link);
      }
      throw err;
    }
  }

  private async clientFor(url: string): Promise<PlatformClient> {
    let token = this.tokens.get(url) ?? null;
    if (token === null) {
      token = await this.options.secrets.get(TOKEN_KEY_PREFIX + url);
      if (token === null) throw new SyncError('auth', `No token is saved for ${url}; connect to the platform again.`, false, sentence('sync_no_token', { url }));
      this.tokens.set(url, token);
    }
    return new PlatformClient(url, token, this.clientOptions);
  }

  private async requireLink(): Promise<WorkspaceLink> {
    const store = this.session.store;
    if (this.link?.store === store) return this.link;
    if (this.linking) {
      const pending = await this.linking;
      if (pending.store === store) return pending;
    }
    this.linking = (async () => {
      await this.stopJob();
      this.clearDrain();
      const old = this.link;
      this.link = null;
      await old?.close();
      const link: WorkspaceLink = await WorkspaceLink.open(store, () => this.onQueued(link));
      this.link = link;
      this.online = null;
      const recovered = link.state.recovered;
      this.lastError = recovered ? { kind: 'io', message: recovered, sentences: [sentence('sync_state_reset')], at: Date.now() } : null;
      if (link.connected) this.scheduleDrain(0);
      return link;
    })().finally(() => {
      this.linking = null;
    });
    return this.linking;
  }

  private async stopJob(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.abort.abort();
    await running.finished;
  }

  private setPhase(link: WorkspaceLink, running: RunningJob, phase: SyncPhase, progress: number): void {
    running.job.phase = phase;
    running.job.progress = progress;
    this.emitProgress(running, 'running', true);
    if (!this.closed) this.emitStatus(link);
  }

  private emitProgress(running: RunningJob, state: SyncProgress['state'], force = false): void {
    const now = Date.now();
    if (!force && now - running.lastEmitAt < PROGRESS_INTERVAL_MS) return;
    running.lastEmitAt = now;
    this.session.events.emit('onDidSyncProgress', { ...running.job, state });
  }

  private noteError(err: unknown): void {
    if (err instanceof SyncCancelled) return;
    const kind = err instanceof SyncError ? err.kind : 'io';
    log.warn('sync.failed', err, { kind });
    this.lastError = { kind, message: (err as Error).message, ...(err instanceof ContractError && err.sentences ? { sentences: err.sentences } : {}), at: Date.now() };
    this.online = !isOfflineError(err);
  }

  private status(link: WorkspaceLink): SyncStatus {
    const s = link.state.value;
    const connected = link.connected;
    return {
      connection: !connected ? 'disconnected' : this.online === false ? 'offline' : 'online',
      url: connected ? s.url : null,
      project: connected ? s.project : null,
      lastSyncAt: s.lastSyncAt,
      lastCallSeq: s.lastSeq,
      pendingLabels: link.outbox.size,
      conflicts: link.conflicts.openCount,
      rejectedLabels: s.rejectedLabels,
      job: this.running ? { ...this.running.job } : null,
      lastError: this.lastError,
    };
  }

  private emitStatus(link: WorkspaceLink): SyncStatus {
    const status = this.status(link);
    this.session.events.emit('onDidChangeSyncStatus', status);
    return status;
  }
}

/** Checks that `client` reaches a platform speaking API 1.x, that its token is accepted and that `project` exists. */
async function checkPlatform(client: PlatformClient, project: string): Promise<void> {
  let raw: unknown;
  try {
    raw = await client.get('/version', { auth: false });
  } catch (err) {
    if (err instanceof SyncError && (err.kind === 'not_found' || err.kind === 'malformed' || err.kind === 'protocol')) {
      throw new SyncError('version', `${client.baseUrl} does not look like a Callsift platform: ${err.message}`, false, sentence('sync_not_platform', { url: client.baseUrl }));
    }
    throw err;
  }
  let version: string;
  try {
    // Only apiVersion decides whether this app can talk to the server; the rest of the version answer is informative.
    version = readWire(wire.versionInfo.pick({ apiVersion: true }), raw, `The answer of ${client.baseUrl}/api/v1/version`).apiVersion;
  } catch (err) {
    throw new SyncError('version', `${client.baseUrl} does not look like a Callsift platform: ${(err as Error).message}`, false, sentence('sync_not_platform', { url: client.baseUrl }));
  }
  checkApiVersion(version, client.baseUrl);
  const names = readWire(wire.projectList, await client.get('/projects'), `The project list of ${client.baseUrl}`).projects.map((p) => p.name);
  if (!names.includes(project)) {
    const message = `The platform at ${client.baseUrl} has no project "${project}"${names.length > 0 ? `; it has ${names.map((n) => `"${n}"`).join(', ')}` : ''}.`;
    throw new SyncError('not_found', message, false, sentence('sync_no_project', { url: client.baseUrl, project, projects: names.join(', ') || '—' }));
  }
}

/** The refusal of a push the gate holds back, in sentences: each reason, then what to do. */
function gateBlocked(check: GateCheck): ContractError {
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const sentences = check.reasons.map((r) =>
    r.kind === 'brokenCases'
      ? sentence('gate_broken_cases', { version: check.version, broken: r.broken, pinned: r.pinned })
      : sentence('gate_negative_net_change', { estimate: pct(r.estimate), low: pct(r.low), high: pct(r.high) }),
  );
  return new ContractError('conflict', [...sentences, sentence('gate_override_needed')], { field: 'version', reason: 'gate_blocked' });
}
