import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ModelReport, ModelStatus, RankingProblem, ModelSummary, ReportExportContent, ReportExportReport, TrainJob, TrainPhase } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { errorName, sentence, type ErrorSentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { ModelService } from '../../shared/contract/services';
import { loadModelArtifact } from '../../shared/ml/modelArtifact';
import { Rankings, type TrainingRows } from './model/rankings';
import { JobCancelled, runWorkerJob, type RunningJob } from './model/trainRunner';
import { measuredThresholdOf, toSummary, trainingRowsOf, VersionStore, withOutOfScopeThreshold, type VersionDoc } from './model/versionStore';
import { measureThresholdChange } from '../../shared/ml/thresholdChange';
import type { ScoreResult, TrainResult } from './model/workerProtocol';
import type { WorkspaceStore } from './store/workspaceStore';
import { renderReportExport, writeReportExport, type ReportExportInput } from './transfer/exportReport';
import { CSV_MIME, safeFileStem, XLSX_MIME } from './transfer/exportWriter';
import type { WorkspaceSession } from './workspaceSession';
import { log } from './log';

export interface ModelOptions {
  /** The training worker: the built .js file, or the .ts source when running under tsx. */
  readonly workerPath: string;
  /** Label changes after which the model retrains by itself (0 turns warm retraining off). */
  readonly retrainAfterLabels: number;
  readonly folds: number;
}

interface ActiveJob {
  info: TrainJob;
  readonly run: RunningJob<TrainResult | ScoreResult>;
  /** Settles once the job's result is saved (or its failure reported) and the job slot is free again. */
  finished?: Promise<void>;
}

const MIN_EXAMPLES = 10;
const SEED = 20261124;

/** ModelService: trains and scores in a worker thread, keeps versions in `models/`, and ranks the model queues. */
export class ModelController implements ModelService {
  private job: ActiveJob | null = null;
  private rankings: Rankings | null = null;
  private labelsSinceTraining = 0;
  /** The workspace the job and rankings belong to. */
  private rankingsStore: WorkspaceStore;
  private retrainTimer: NodeJS.Timeout | null = null;
  /** Warm retraining is due: its wait runs, or it is starting (until the job is set or refused). */
  private retrainPending = false;
  /** Why the newest saved version ranks nothing, until a training or a restore succeeds. */
  private rankingProblem: RankingProblem | null = null;
  private readonly ready: Promise<void>;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly options: ModelOptions,
  ) {
    this.rankingsStore = session.store;
    session.events.on('onDidChangeLabels', ({ count }) => this.noteLabels(count));
    session.events.on('onDidChangeWorkspace', () => void this.workspaceChanged().catch((err: unknown) => log.error('model.workspaceChanged', err)));
    this.ready = this.restoreLatest();
  }

  /** The current ranking of the model queues, or null before any model exists. */
  get currentRankings(): Rankings | null {
    return this.rankings?.isFor(this.session.store) ? this.rankings : null;
  }

  async getStatus(): Promise<ModelStatus> {
    const newest = await this.versions().latest();
    const latest = newest ? toSummary(newest.report) : null;
    return {
      job: this.job?.info ?? null,
      latest,
      labelsSinceTraining: this.labelsSinceTraining,
      cannotTrain: this.collectTrainingData(this.session.store).problem,
      rankedAt: this.currentRankings?.rankedAt ?? null,
      rankingProblem: this.rankingProblem,
      retrainPending: this.retrainPending,
    };
  }

  async train(): Promise<TrainJob> {
    return this.startTraining(false);
  }

  async cancelJob(arg: MethodArgs<'model.cancelJob'>): Promise<{ readonly cancelled: boolean }> {
    if (!this.job || this.job.info.jobId !== arg.jobId) return { cancelled: false };
    await this.job.run.cancel();
    return { cancelled: true };
  }

  async listVersions(): Promise<readonly ModelSummary[]> {
    return this.versions().summaries();
  }

  async getReport(arg: MethodArgs<'model.getReport'>): Promise<ModelReport> {
    const doc = await this.versions().read(arg.version);
    if (!doc) throw new ContractError('not_found', sentence('no_model_version', { version: arg.version }), { field: 'version' });
    return doc.report;
  }

  async setOutOfScopeThreshold(arg: MethodArgs<'model.setOutOfScopeThreshold'>): Promise<ModelReport> {
    await this.ready;
    const store = this.session.store;
    const versions = this.versions();
    const doc = await versions.read(arg.version);
    if (!doc) throw new ContractError('not_found', sentence('no_model_version', { version: arg.version }), { field: 'version' });
    const updated = withOutOfScopeThreshold(doc, arg.threshold);
    await versions.write(updated);
    const current = this.currentRankings;
    if (current && store === this.session.store && current.input.version === arg.version) {
      this.rankings = new Rankings(store, { ...current.input, outOfScopeThreshold: arg.threshold });
      this.session.events.emit('onDidModelChange', { version: arg.version });
    }
    return updated.report;
  }

  async exportReportFile(arg: MethodArgs<'model.exportReportFile'>): Promise<ReportExportReport> {
    const input = await this.reportExportInput(arg.version);
    const { rows } = await writeReportExport(arg.path, arg.format, input);
    return { path: arg.path, format: arg.format, version: input.report.version, rows };
  }

  async exportReportContent(arg: MethodArgs<'model.exportReportContent'>): Promise<ReportExportContent> {
    const input = await this.reportExportInput(arg.version);
    const version = input.report.version;
    const stem = safeFileStem(input.workspace, 'model');
    const fileName = `${stem}-model-v${version}-report.${arg.format}`;
    const rendered = await renderReportExport(arg.format, input);
    if ('bytes' in rendered) {
      return { fileName, format: arg.format, version, rows: rendered.rows, mimeType: XLSX_MIME, content: '', contentBase64: rendered.bytes.toString('base64') };
    }
    return { fileName, format: arg.format, version, rows: rendered.rows, mimeType: CSV_MIME, content: rendered.text };
  }

  /** The report to export (the latest version's when `version` is absent) with intent names and the workspace name. */
  private async reportExportInput(version: number | undefined): Promise<ReportExportInput> {
    const versions = this.versions();
    const doc = version === undefined ? await versions.latest() : await versions.read(version);
    if (!doc) {
      if (version === undefined) throw new ContractError('not_found', sentence('no_model_yet'), { field: 'version' });
      throw new ContractError('not_found', sentence('no_model_version', { version }), { field: 'version' });
    }
    const store = this.session.store;
    const names = new Map(store.intents.map((i) => [i.id, i.name]));
    return { report: doc.report, nameOf: (id) => names.get(id) ?? id, workspace: store.meta.name };
  }

  /** Waits until the latest saved version (if any) has ranked the queues; for tests and start-up. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Waits for the running job, if any, to end. */
  async whenIdle(): Promise<void> {
    while (this.job?.finished) await this.job.finished;
  }

  /** Stops a running job and pending warm retraining. */
  async close(): Promise<void> {
    if (this.retrainTimer) clearTimeout(this.retrainTimer);
    this.retrainTimer = null;
    this.retrainPending = false;
    await this.job?.run.cancel();
    await this.whenIdle();
  }

  private versions(): VersionStore {
    return new VersionStore(join(this.session.store.folder, 'models'));
  }

  private noteLabels(count: number): void {
    this.labelsSinceTraining += count;
    const every = this.options.retrainAfterLabels;
    if (every <= 0 || this.labelsSinceTraining < every || this.job || this.retrainTimer) return;
    this.retrainPending = true;
    this.retrainTimer = setTimeout(() => {
      this.retrainTimer = null;
      // Refused quietly when nothing changed (labels set back as they were): no version without new data.
      if (this.job || this.collectTrainingData(this.session.store).problem !== null) {
        this.retrainPending = false;
        return;
      }
      void this.startTraining(true)
        .catch((err: unknown) => log.warn('model.retrain', err))
        .finally(() => (this.retrainPending = false));
    }, 2000);
    this.retrainTimer.unref();
  }

  /**
   * Another workspace drops the job and the rankings; new calls in this one (an import, a pull) keep a running
   * training, which scores them when it ends, and are scored with the latest version otherwise.
   */
  private async workspaceChanged(): Promise<void> {
    if (this.rankingsStore !== this.session.store) return this.reset();
    if (!this.job) await this.restoreLatest();
  }

  private async reset(): Promise<void> {
    this.rankingsStore = this.session.store;
    await this.job?.run.cancel();
    this.rankings = null;
    this.rankingProblem = null;
    this.labelsSinceTraining = 0;
    await this.restoreLatest();
  }

  /** Loads the newest version of the open workspace and re-scores the utterances with it, in the worker. */
  private async restoreLatest(): Promise<void> {
    const store = this.session.store;
    const versions = this.versions();
    const latest = (await versions.versions()).pop();
    if (latest === undefined) return;
    const file = join(store.folder, 'models', `v${String(latest).padStart(4, '0')}.json`);
    let doc: VersionDoc | null;
    try {
      doc = await versions.read(latest);
    } catch (err) {
      // Not damaged but unreadable (permissions, I/O): the same for the queues.
      log.error('model.restore', err, { version: latest, file });
      doc = null;
    }
    if (!doc) {
      this.noteRankingProblem(store, { version: latest, reason: 'damaged', detail: `${file} cannot be read as a model version.` });
      return;
    }
    const texts = store.calls.modelTexts();
    const run = runWorkerJob<ScoreResult>(this.options.workerPath, { kind: 'score', artifact: doc.artifact, score: texts }, () => undefined);
    try {
      const result = await run.result;
      if (store !== this.session.store) return;
      this.rankings = this.buildRankings(store, doc, result.scored, trainingRowsOf(doc, (id) => store.calls.findUtterance(id)));
      this.rankingProblem = null;
      this.session.events.emit('onDidModelChange', { version: doc.report.version });
    } catch (err) {
      if (err instanceof JobCancelled) return;
      log.error('model.restore', err, { version: latest });
      this.noteRankingProblem(store, { version: latest, reason: 'cannot_score', detail: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * A saved version that ranks nothing leaves the ranked queues empty until the next training: the status says why,
   * and `onDidModelChange` makes an open window read it.
   */
  private noteRankingProblem(store: WorkspaceStore, problem: RankingProblem): void {
    if (store !== this.session.store) return;
    if (problem.reason === 'damaged') log.error('model.restore', problem.detail, { version: problem.version });
    this.rankings = null;
    this.rankingProblem = problem;
    this.session.events.emit('onDidModelChange', { version: problem.version });
  }

  private async startTraining(automatic: boolean): Promise<TrainJob> {
    if (this.job) throw new ContractError('conflict', sentence('training_running'), { field: 'jobId' });
    const store = this.session.store;
    const data = this.collectTrainingData(store);
    if (data.problem) throw new ContractError('invalid_argument', data.problem);
    const latest = await this.versions().latest();
    if (latest && latest.report.dataHash === data.hash) {
      throw new ContractError(
        'invalid_argument',
        sentence('unchanged_data', { version: latest.report.version }),
        { reason: 'unchanged_data' },
      );
    }
    const score = store.calls.modelTexts();
    const labelsAtStart = this.labelsSinceTraining;
    const info: TrainJob = { jobId: `train-${Date.now().toString(36)}`, phase: 'preparing', progress: 0, startedAt: Date.now(), automatic };
    const run = runWorkerJob<TrainResult>(
      this.options.workerPath,
      { kind: 'train', texts: data.texts, labels: data.labels, outOfScopeTexts: data.outOfScopeTexts, score, folds: this.options.folds, seed: SEED },
      (phase, done) => this.progress(phase, done),
    );
    const job: ActiveJob = { info, run };
    this.job = job;
    this.emitJob('running');
    job.finished = run.result
      .then(async (result) => {
        this.progress('saving', 0);
        const doc = await this.saveVersion(store, data, result);
        this.labelsSinceTraining = Math.max(0, this.labelsSinceTraining - labelsAtStart);
        if (store === this.session.store) {
          this.rankings = this.buildRankings(store, doc, result.scored, this.rowsOf(data, result));
          this.rankingProblem = null;
        }
        this.progress('saving', 1);
        this.emitJob('done');
        this.session.events.emit('onDidModelChange', { version: doc.report.version });
        // Calls added while it trained are scored too.
        if (store === this.session.store && store.calls.utteranceCount !== score.length) void this.restoreLatest();
      })
      .catch((err: unknown) => {
        if (!(err instanceof JobCancelled)) log.error('model.train', err);
        this.emitJob(err instanceof JobCancelled ? 'cancelled' : 'failed', err);
      })
      .finally(() => {
        this.job = null;
      });
    return info;
  }

  private progress(phase: TrainPhase, done: number): void {
    if (!this.job) return;
    this.job.info = { ...this.job.info, phase, progress: done };
    this.emitJob('running');
  }

  private emitJob(state: 'running' | 'done' | 'cancelled' | 'failed', err?: unknown): void {
    const message = err === undefined ? undefined : err instanceof Error ? err.message : String(err);
    const sentences = state !== 'failed' ? undefined : err instanceof ContractError && err.sentences ? err.sentences : [sentence('unexpected', { detail: errorName(err) })];
    if (!this.job) return;
    this.session.events.emit('onDidTrainProgress', { ...this.job.info, state, ...(message ? { message } : {}), ...(sentences ? { sentences } : {}) });
  }

  private async saveVersion(store: WorkspaceStore, data: TrainingData, result: TrainResult): Promise<VersionDoc> {
    const versions = new VersionStore(join(store.folder, 'models'));
    const previous = (await versions.versions()).pop();
    const version = (previous ?? 0) + 1;
    const before = previous === undefined ? null : await versions.read(previous);
    const r = result.report;
    const report: ModelReport = {
      version,
      createdAt: Date.now(),
      examples: r.examples,
      intents: r.intents,
      accuracy: r.accuracy,
      macroF1: r.macroF1,
      ece: r.ece,
      trainSeconds: result.trainSeconds,
      dataHash: data.hash,
      outOfScopeThreshold: result.artifact.outOfScopeThreshold,
      folds: r.folds,
      perIntent: r.perIntent,
      confusedPairs: r.confusedPairs,
      reliability: r.reliability,
      outOfScopeCurve: result.outOfScope.curve,
      outOfScopeAtThreshold: result.outOfScope.atThreshold,
      outOfScopeExamples: result.outOfScope.examples.length,
      outOfScopeMeasuredThreshold: result.artifact.outOfScopeThreshold,
      confusionMatrix: r.confusionMatrix,
    };
    const doc: VersionDoc = {
      report,
      artifact: result.artifact,
      training: {
        utteranceIds: data.utterances.map((u) => store.calls.utteranceId(u)),
        intentIds: data.labels,
        quality: [...result.labelQuality],
        suggested: [...result.suggested],
        outOfFoldPrediction: [...result.outOfFoldPrediction],
        review: {
          first: [...result.review.first],
          firstProb: [...result.review.firstProb],
          second: [...result.review.second],
          secondProb: [...result.review.secondProb],
          third: [...result.review.third],
          thirdProb: [...result.review.thirdProb],
          suggestedProb: Array.from(result.review.suggestedProb, (p) => (Number.isNaN(p) ? null : p)),
        },
        outOfScope: { inScope: [...result.outOfScope.inScope], examples: [...result.outOfScope.examples] },
      },
    };
    // A threshold a user chose stays chosen: the next version keeps it rather than measuring its own.
    const userThreshold = before && (before.report.outOfScopeThresholdSource === 'chosen' || before.report.outOfScopeThresholdSource === 'kept') ? before.report.outOfScopeThreshold : null;
    const previousMeasured = before ? measuredThresholdOf(before.report) : null;
    const change = measureThresholdChange(
      before && previousMeasured !== null
        ? { version: before.report.version, threshold: previousMeasured, examples: before.report.examples, outOfScopeExamples: before.report.outOfScopeExamples ?? 0 }
        : null,
      { threshold: result.artifact.outOfScopeThreshold, examples: r.examples, inScope: result.outOfScope.inScope, outOfScope: result.outOfScope.examples },
    );
    const explained = change ? { ...doc, report: { ...doc.report, outOfScopeThresholdChange: { ...change, applied: userThreshold === null } } } : doc;
    const saved = userThreshold === null ? { ...explained, report: { ...explained.report, outOfScopeThresholdSource: 'measured' as const } } : withOutOfScopeThreshold(explained, userThreshold, 'kept');
    await versions.write(saved);
    return saved;
  }

  private rowsOf(data: TrainingData, result: TrainResult): TrainingRows {
    return {
      utterances: Int32Array.from(data.utterances),
      intentIds: data.labels,
      quality: result.labelQuality,
      suggested: result.suggested,
      isIssue: result.isIssue,
      outOfFoldPrediction: result.outOfFoldPrediction,
      review: result.review,
    };
  }

  private buildRankings(store: WorkspaceStore, doc: VersionDoc, scored: ScoreResult['scored'], training: TrainingRows): Rankings {
    const { model, outOfScopeThreshold } = loadModelArtifact(doc.artifact);
    return new Rankings(store, {
      version: doc.report.version,
      labels: model.labels,
      scored,
      outOfScopeThreshold,
      featurizer: model.featurizer,
      training,
    });
  }

  /**
   * Labeled utterances of active intents (the training set) and "none of these" texts, each as the model reads it
   * (with its bot prompt, node and previous turn); or why there are too few.
   */
  private collectTrainingData(store: WorkspaceStore): TrainingData {
    const usable = new Set(store.intents.filter((i) => i.status !== 'deprecated').map((i) => i.id));
    const texts: string[] = [];
    const labels: string[] = [];
    const utterances: number[] = [];
    const outOfScopeTexts: string[] = [];
    const perIntent = new Map<string, number>();
    const n = store.calls.utteranceCount;
    for (let idx = 0; idx < n; idx++) {
      const t = store.labels.targetOf(idx);
      if (t?.kind === 'none') outOfScopeTexts.push(store.calls.modelText(idx));
      if (t?.kind !== 'intent' || !usable.has(t.intentId)) continue;
      texts.push(store.calls.modelText(idx));
      labels.push(t.intentId);
      utterances.push(idx);
      perIntent.set(t.intentId, (perIntent.get(t.intentId) ?? 0) + 1);
    }
    const trainable = [...perIntent.values()].filter((c) => c >= 2).length;
    const problem =
      texts.length < MIN_EXAMPLES || trainable < 2 ? sentence('training_needs_data', { min: MIN_EXAMPLES, labels: texts.length, intents: trainable }) : null;
    const hash = createHash('sha256');
    texts.forEach((t, i) => hash.update(`${t}\u0000${labels[i]}\u0001`));
    return { texts, labels, utterances, outOfScopeTexts, problem, hash: hash.digest('hex').slice(0, 16) };
  }
}

interface TrainingData {
  readonly texts: string[];
  readonly labels: string[];
  readonly utterances: number[];
  readonly outOfScopeTexts: string[];
  readonly problem: ErrorSentence | null;
  readonly hash: string;
}
