import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JudgeItem, JudgeState, LabelTarget, NetChange, ReplayJob, ReplayJudgment, ReplayResult, ReplayStatus } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import type { MethodArgs } from '../../../shared/contract/schemas';
import type { ReplayService } from '../../../shared/contract/services';
import { estimateNetChange, tallyJudgments, type Judgment } from '../../../shared/ml/gate/judge';
import type { ComparedTurn, ReplayComparison, StoredColumns } from '../../../shared/ml/gate/replayCompare';
import { distinctTextCollector } from '../../../shared/ml/gate/replayPredict';
import { CorruptFileError, DurableJsonFile } from '../../../lib/durable/durableFile';
import type { LabelStore } from '../labelService';
import { log } from '../log';
import { scanInChunks } from '../model/scanInChunks';
import { VersionStore } from '../model/versionStore';
import type { WorkspaceStore } from '../store/workspaceStore';
import type { SyncController } from '../syncService';
import { JobCancelled, JobSlot, type RunningJob, type TrackedJob } from '../workerJob';
import type { WorkspaceSession } from '../workspaceSession';
import { fetchActiveArtifact, type ActiveArtifact } from './activeArtifact';
import { runReplay, type ReplayRunResult } from './replayRunner';

export interface ReplayOptions {
  /** The replay worker: the built .js file, or the .ts source when running under tsx. */
  readonly workerPath: string;
  /** Worker threads per replay; default: up to two, by the number of turns and cores. */
  readonly workers?: number;
}

/** A sampled changed turn as kept on disk. */
interface SampledTurn {
  readonly utteranceId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly fromConfidence: number;
  readonly toConfidence: number;
  /** Index into `strata`. */
  readonly stratum: number;
}

/** `gate/replay.json`: the last replay's result and its judged sample (judgments are the sampled turns' labels). */
interface ReplayDoc {
  readonly format: 'callsift-replay';
  readonly v: 1;
  readonly result: ReplayResult;
  /** Changed turns per transition (the strata), in the sample's stratum order. */
  readonly strata: readonly { readonly from: string | null; readonly to: string | null; readonly size: number }[];
  readonly sample: readonly SampledTurn[];
}

/** Transitions a result lists; the sample draws from all of them. */
const MAX_TRANSITIONS = 200;
/** Example turns kept per transition. */
const EXAMPLES = 3;
const SEED = 20261204;
/** Turns whose texts are built and deduplicated between checks of the clock (a few milliseconds' work). */
const TEXT_CHUNK = { chunk: 2048 };

/**
 * ReplayService: replays a workspace's recent traffic with a candidate version and the platform's active model in
 * worker threads, keeps the last result and its judged sample in `gate/replay.json`, and estimates the net change
 * in accuracy from the judgments (which are labels).
 */
export class ReplayController implements ReplayService {
  private readonly job: JobSlot<ReplayJob, ReplayRunResult>;
  private cached: { store: WorkspaceStore; doc: ReplayDoc | null } | null = null;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly labels: LabelStore,
    private readonly sync: SyncController,
    private readonly options: ReplayOptions,
  ) {
    this.job = new JobSlot((event) => session.events.emit('onDidReplayProgress', event));
  }

  async getStatus(): Promise<ReplayStatus> {
    const doc = await this.read();
    return { job: this.job.current?.info ?? null, result: doc?.result ?? null, traffic: await trafficSpan(this.session.store) };
  }

  async start(arg: MethodArgs<'replay.start'>): Promise<ReplayJob> {
    if (this.job.current) return this.job.current.info;
    const store = this.session.store;
    const candidate = await new VersionStore(join(store.folder, 'models')).read(arg.version);
    if (!candidate) throw new ContractError('not_found', sentence('no_model_version', { version: arg.version }), { field: 'version' });
    const turns = await selectTurns(store, arg.from, arg.to, arg.campaign);
    const old = await readStoredPredictions(store, turns);
    const active = old.missing > 0 ? await this.activeArtifact() : null;
    if (turns.length === 0 || (old.missing === turns.length && !active)) throw new ContractError('invalid_argument', sentence('replay_no_turns'));
    const running = this.runningJob();
    if (running) return running.info;
    const info: ReplayJob = { jobId: `replay-${Date.now().toString(36)}`, version: arg.version, phase: 'reading', progress: 0, turns: turns.length, startedAt: Date.now() };
    const started = performance.now();
    let cancelled = false;
    let workers: RunningJob<ReplayRunResult> | null = null;
    const run: RunningJob<ReplayRunResult> = {
      result: (async () => {
        // Model texts, reduced to the distinct ones, a chunk at a time: labels keep being answered meanwhile.
        const texts: string[] = new Array<string>(turns.length);
        const collect = distinctTextCollector(texts, old.stored.needOld);
        await scanInChunks(turns.length, (s, e) => {
          for (let r = s; r < e; r++) texts[r] = store.calls.modelText(turns[r]!);
          collect.add(s, e);
        }, TEXT_CHUNK);
        if (cancelled) throw new JobCancelled();
        this.job.progress('predicting', 0);
        const compare = { threshold: arg.threshold, examples: EXAMPLES, sampleSize: arg.sampleSize, seed: SEED, version: arg.version };
        workers = runReplay(this.options.workerPath, { candidate: candidate.artifact, active: active?.artifact ?? null, distinct: collect.result(), stored: old.stored, compare }, (phase, done) => this.job.progress(phase, done), this.options.workers);
        return workers.result;
      })(),
      async cancel() {
        cancelled = true;
        await workers?.cancel();
      },
    };
    const job: TrackedJob<ReplayJob, ReplayRunResult> = { info, run };
    this.job.current = job;
    job.finished = run.result
      .then(async ({ comparison, timings }) => {
        const doc = replayDoc(store, arg, turns, comparison, active, (performance.now() - started) / 1000);
        log.info('replay.start', `replayed ${turns.length} turns in ${doc.result.seconds.toFixed(2)} s`, Object.fromEntries(Object.entries(timings).map(([k, ms]) => [k, Math.round(ms)])));
        if (store !== this.session.store) return;
        await mkdir(dirname(this.file(store)), { recursive: true });
        await new DurableJsonFile<ReplayDoc>(this.file(store)).write(doc);
        this.cached = { store, doc };
        this.job.report('done');
      })
      .catch((err: unknown) => {
        if (!(err instanceof JobCancelled)) log.error('replay.start', err);
        this.job.report(err instanceof JobCancelled ? 'cancelled' : 'failed', err);
      })
      .finally(() => {
        if (this.job.current === job) this.job.current = null;
      });
    this.job.report('running');
    return info;
  }

  async cancel(arg: MethodArgs<'replay.cancel'>): Promise<{ readonly cancelled: boolean }> {
    const job = this.job.current;
    if (!job || job.info.jobId !== arg.jobId) return { cancelled: false };
    await job.run.cancel();
    await job.finished;
    return { cancelled: true };
  }

  async getJudging(): Promise<JudgeState> {
    const doc = await this.read();
    if (!doc) throw new ContractError('not_found', sentence('replay_none'));
    return judgeState(this.session.store, doc);
  }

  async judge(arg: MethodArgs<'replay.judge'>): Promise<JudgeState> {
    const doc = await this.read();
    if (!doc) throw new ContractError('not_found', sentence('replay_none'));
    const item = doc.sample.find((s) => s.utteranceId === arg.utteranceId);
    if (!item) throw new ContractError('not_found', sentence('replay_not_sampled'), { field: 'utteranceId' });
    const intent = arg.judgment === 'new' ? item.to : arg.judgment === 'old' ? item.from : (arg.intentId ?? null);
    const target: LabelTarget = intent === null ? { kind: 'none' } : { kind: 'intent', intentId: intent };
    await this.labels.setLabel({ utteranceId: arg.utteranceId, target, source: 'manual' });
    return judgeState(this.session.store, doc);
  }

  /**
   * The net change the judged sample estimates for `version` (the push gate holds a negative one back), or null when
   * the last replay was of another version or nothing is judged yet.
   */
  async netChangeOf(version: number): Promise<NetChange | null> {
    const doc = await this.read();
    if (!doc || doc.result.version !== version) return null;
    const { estimate } = judgeState(this.session.store, doc);
    if (estimate.judged === 0) return null;
    return { estimate: estimate.estimate, low: estimate.low, high: estimate.high, judged: estimate.judged };
  }

  /** The running replay (read afresh: another start may have begun while this one awaited). */
  private runningJob(): TrackedJob<ReplayJob, ReplayRunResult> | null {
    return this.job.current;
  }

  /** Cancels a running replay and waits for it to settle (tests, close). */
  async close(): Promise<void> {
    await this.job.current?.run.cancel();
    await this.job.whenIdle();
  }

  /** The running replay's promise, for tests and benchmarks: settles when it is saved, cancelled or failed. */
  get running(): Promise<void> | null {
    return this.job.current?.finished ?? null;
  }

  private async activeArtifact(): Promise<ActiveArtifact | null> {
    try {
      return await this.sync.whenConnected(fetchActiveArtifact);
    } catch (err) {
      // Unreachable platform: turns without a stored prediction are left out, and the result says how many.
      log.warn('replay.activeArtifact', err);
      return null;
    }
  }

  private file(store: WorkspaceStore): string {
    return join(store.folder, 'gate', 'replay.json');
  }

  private async read(): Promise<ReplayDoc | null> {
    const store = this.session.store;
    if (this.cached?.store === store) return this.cached.doc;
    let doc: ReplayDoc | null = null;
    try {
      const read = await new DurableJsonFile<ReplayDoc>(this.file(store)).read();
      doc = read?.format === 'callsift-replay' && read.v === 1 ? read : null;
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err;
      log.warn('replay.read', err);
    }
    this.cached = { store, doc };
    return doc;
  }

}

/** Earliest and latest call start of the workspace, or null without calls. */
async function trafficSpan(store: WorkspaceStore): Promise<ReplayStatus['traffic']> {
  const n = store.calls.callCount;
  if (n === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  await scanInChunks(n, (s, e) => {
    for (let c = s; c < e; c++) {
      const t = store.calls.callStartedAt[c]!;
      if (t < first) first = t;
      if (t > last) last = t;
    }
  });
  return { first, last };
}

/** Utterance indexes of the user turns of calls started in [from, to) of `campaign` (null: every campaign), in table order. */
async function selectTurns(store: WorkspaceStore, from: number, to: number, campaign: string | null): Promise<Int32Array> {
  const calls = store.calls;
  const out: number[] = [];
  await scanInChunks(calls.callCount, (s, e) => {
    for (let c = s; c < e; c++) {
      const t = calls.callStartedAt[c]!;
      if (t < from || t >= to) continue;
      if (campaign !== null && calls.campaignOf(c) !== campaign) continue;
      const first = calls.callFirstUtt[c]!;
      if (first < 0) continue;
      for (let u = first; u < first + calls.callUttCount[c]!; u++) out.push(u);
    }
  });
  return Int32Array.from(out);
}

/** The platform's stored prediction of each turn (`needOld` where it stored none), and how many it stored none for. */
async function readStoredPredictions(store: WorkspaceStore, turns: Int32Array): Promise<{ stored: StoredColumns; missing: number }> {
  const reads = store.reads;
  const needOld = new Uint8Array(turns.length);
  const confidence = new Float32Array(turns.length);
  const intent = new Int32Array(turns.length);
  let missing = 0;
  await scanInChunks(turns.length, (s, e) => {
    for (let r = s; r < e; r++) {
      const u = turns[r]!;
      if (!reads.hasPlatformPrediction(u)) {
        needOld[r] = 1;
        missing++;
        intent[r] = -1;
        confidence[r] = Number.NaN;
        continue;
      }
      intent[r] = reads.platformIntentSlotOf(u);
      confidence[r] = reads.platformConfidenceOf(u);
    }
  });
  return { stored: { intent, confidence, needOld, labels: [...reads.predictionLabels] }, missing };
}

/**
 * The replay's document from the worker's comparison: intents by id, rows of the replayed turns as utterances (only
 * the examples and the sample are looked up here).
 */
function replayDoc(store: WorkspaceStore, arg: MethodArgs<'replay.start'>, turns: Int32Array, c: ReplayComparison, active: ActiveArtifact | null, seconds: number): ReplayDoc {
  if (c.turns === 0) throw new ContractError('invalid_argument', sentence('replay_no_turns'));
  const idOf = (i: number): string | null => (i < 0 ? null : c.intents[i]!);
  const example = (t: ComparedTurn) => {
    const u = turns[t.row]!;
    return {
      utteranceId: store.calls.utteranceId(u),
      text: store.reads.text(u),
      botPrompt: store.calls.botPrompt(u),
      fromConfidence: t.fromConfidence,
      toConfidence: t.toConfidence,
    };
  };
  const result: ReplayResult = {
    version: arg.version,
    from: arg.from,
    to: arg.to,
    campaign: arg.campaign,
    threshold: arg.threshold,
    ranAt: Date.now(),
    seconds,
    turns: c.turns,
    oldFromTurns: c.turns - c.fromRegistry,
    oldFromRegistry: c.fromRegistry,
    registryVersion: c.fromRegistry > 0 && active ? active.version : null,
    withoutOld: turns.length - c.turns,
    changed: c.changed,
    changedShare: c.changedShare,
    before: c.before,
    after: c.after,
    volumes: c.volumes.map((v) => ({ intentId: idOf(v.intent), before: v.before, after: v.after })),
    transitions: c.transitions.slice(0, MAX_TRANSITIONS).map((t) => ({ from: idOf(t.from), to: idOf(t.to), count: t.count, examples: t.examples.map(example) })),
    transitionCount: c.transitions.length,
  };
  return {
    format: 'callsift-replay',
    v: 1,
    result,
    strata: c.strata.map((s) => ({ from: idOf(s.from), to: idOf(s.to), size: s.size })),
    sample: c.sample.map((s) => {
      const stratum = c.strata[s.stratum]!;
      return { utteranceId: store.calls.utteranceId(turns[s.row]!), from: idOf(stratum.from), to: idOf(stratum.to), fromConfidence: s.fromConfidence, toConfidence: s.toConfidence, stratum: s.stratum };
    }),
  };
}

/** The judgment a label gives a sampled turn: the candidate's intent → new, the active model's → old, any other → neither. */
function judgmentOf(target: LabelTarget | null, from: string | null, to: string | null): ReplayJudgment | null {
  if (!target) return null;
  const intent = target.kind === 'intent' ? target.intentId : target.kind === 'none' ? null : undefined;
  if (intent === undefined) return 'neither';
  if (intent === to) return 'new';
  if (intent === from) return 'old';
  return 'neither';
}

function judgeState(store: WorkspaceStore, doc: ReplayDoc): JudgeState {
  const items: JudgeItem[] = doc.sample.map((s) => {
    const u = store.calls.findUtterance(s.utteranceId);
    const label = u === undefined ? null : store.labels.targetOf(u);
    return {
      utteranceId: s.utteranceId,
      text: store.reads.textOrEmpty(u),
      botPrompt: u === undefined ? null : store.calls.botPrompt(u),
      fromConfidence: s.fromConfidence,
      toConfidence: s.toConfidence,
      from: s.from,
      to: s.to,
      label,
      judgment: judgmentOf(label, s.from, s.to),
    };
  });
  const judgments: (Judgment | null)[] = items.map((i) => i.judgment);
  const strata = tallyJudgments(
    doc.strata.map((s) => s.size),
    doc.sample.map((s, k) => ({ row: k, stratum: s.stratum })),
    judgments,
  );
  return {
    version: doc.result.version,
    items,
    changed: doc.result.changed,
    strata: doc.strata.length,
    estimate: estimateNetChange(strata, doc.result.changedShare),
  };
}
