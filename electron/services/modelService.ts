import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ModelReport, ModelStatus, QuestionReportDto, SavedQuestionReport, RankingProblem, ModelSummary, ReportExportContent, ReportExportReport, TrainJob } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence, type ErrorSentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { ModelService } from '../../shared/contract/services';
import { chooseVersionThreshold } from '../../shared/ml/outOfScope';
import { Rankings, type TrainingRows } from './model/rankings';
import { scanInChunks } from './model/scanInChunks';
import { packTexts, type PackedTexts } from './model/textPack';
import { JobCancelled, runWorkerJob } from './model/trainRunner';
import { JobSlot, runJob, type TrackedJob } from './workerJob';
import { measuredThresholdOf, toSummary, trainingRowsOf, VersionStore, withOutOfScopeThreshold, type VersionDoc } from './model/versionStore';
import { measureThresholdChange } from '../../shared/ml/thresholdChange';
import type { QuestionReport } from '../../shared/ml/questionReport';
import type { RankColumns, RankTrainingColumns, RankUncoveredResult, ScoreResult, TrainResult } from './model/workerProtocol';
import { LabeledKind } from './store/labelTable';
import type { LabeledRows } from './store/workspaceReads';
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

const MIN_EXAMPLES = 10;
const SEED = 20261124;

/** ModelService: trains and scores in a worker thread, keeps versions in `models/`, and ranks the model queues. */
export class ModelController implements ModelService {
  private readonly job: JobSlot<TrainJob, TrainResult | ScoreResult>;
  private rankings: Rankings | null = null;
  private labelsSinceTraining = 0;
  /** The workspace the job and rankings belong to. */
  private rankingsStore: WorkspaceStore;
  private retrainTimer: NodeJS.Timeout | null = null;
  /** Warm retraining is due: its wait runs, or it is starting (until the job is set or refused). */
  private retrainPending = false;
  /** Why the newest saved version ranks nothing, until a training or a restore succeeds. */
  private rankingProblem: RankingProblem | null = null;
  /** The training data of the last labeled rows read, with the catalogue's usable intents it was taken with. */
  private trainingData: { rows: LabeledRows; catalogue: string; data: Promise<TrainingData> } | null = null;
  private readonly ready: Promise<void>;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly options: ModelOptions,
  ) {
    this.rankingsStore = session.store;
    this.job = new JobSlot((event) => session.events.emit('onDidTrainProgress', event));
    session.events.on('onDidChangeLabels', ({ count }) => this.noteLabels(count));
    session.events.on('onDidChangeWorkspace', () => void this.workspaceChanged().catch((err: unknown) => log.error('model.workspaceChanged', err)));
    this.ready = this.restoreLatest();
  }

  /** The current ranking of the model queues, or null before any model exists. */
  get currentRankings(): Rankings | null {
    return this.rankings?.isFor(this.session.store) ? this.rankings : null;
  }

  async getStatus(): Promise<ModelStatus> {
    const newest = await this.versions().latestReport();
    const latest = newest ? toSummary(newest) : null;
    return {
      job: this.job.current?.info ?? null,
      latest,
      labelsSinceTraining: this.labelsSinceTraining,
      cannotTrain: (await this.collectTrainingData(this.session.store)).problem,
      rankedAt: this.currentRankings?.rankedAt ?? null,
      rankingProblem: this.rankingProblem,
      retrainPending: this.retrainPending,
    };
  }

  async train(): Promise<TrainJob> {
    return this.startTraining(false);
  }

  async cancelJob(arg: MethodArgs<'model.cancelJob'>): Promise<{ readonly cancelled: boolean }> {
    const job = this.job.current;
    if (!job || job.info.jobId !== arg.jobId) return { cancelled: false };
    await job.run.cancel();
    return { cancelled: true };
  }

  async listVersions(): Promise<readonly ModelSummary[]> {
    return this.versions().summaries();
  }

  async getReport(arg: MethodArgs<'model.getReport'>): Promise<ModelReport> {
    const report = await this.versions().readReport(arg.version);
    if (!report) throw new ContractError('not_found', sentence('no_model_version', { version: arg.version }), { field: 'version' });
    return withoutQuestions(report);
  }

  async getQuestionReport(arg: MethodArgs<'model.getQuestionReport'>): Promise<QuestionReportDto> {
    const versions = this.versions();
    const report = arg.version === undefined ? await versions.latestReport() : await versions.readReport(arg.version);
    if (!report) {
      if (arg.version === undefined) throw new ContractError('not_found', sentence('no_model_yet'), { field: 'version' });
      throw new ContractError('not_found', sentence('no_model_version', { version: arg.version }), { field: 'version' });
    }
    const saved = report.questions;
    if (!saved) return { version: report.version, measured: false, threshold: report.outOfScopeThreshold, total: 0, questions: [] };
    return { version: report.version, measured: true, ...saved };
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
      const order = await this.rankUncovered(store, current, arg.threshold);
      if (this.currentRankings === current) {
        this.rankings = current.withUncovered(order, arg.threshold);
        this.session.events.emit('onDidModelChange', { version: arg.version });
      }
    }
    return withoutQuestions(updated.report);
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
    const report = version === undefined ? await versions.latestReport() : await versions.readReport(version);
    if (!report) {
      if (version === undefined) throw new ContractError('not_found', sentence('no_model_yet'), { field: 'version' });
      throw new ContractError('not_found', sentence('no_model_version', { version }), { field: 'version' });
    }
    const store = this.session.store;
    const names = new Map(store.intents.map((i) => [i.id, i.name]));
    return { report, nameOf: (id) => names.get(id) ?? id, workspace: store.meta.name };
  }

  /** Uncovered of `rankings` re-ranked at `threshold`, in a worker. */
  private async rankUncovered(store: WorkspaceStore, rankings: Rankings, threshold: number): Promise<Int32Array> {
    const { platformConfidence } = (await scoringInputs(store, rankings.input.scored.first.length, false)).rank;
    const outOfScope = rankings.input.scored.outOfScope.slice();
    const run = runJob<never, RankUncoveredResult>(this.options.workerPath, { kind: 'rankUncovered', platformConfidence, outOfScope, threshold }, () => undefined, 'training');
    return (await run.result).order;
  }

  /** Waits until the latest saved version (if any) has ranked the queues; for tests and start-up. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Waits for the running job, if any, to end. */
  whenIdle(): Promise<void> {
    return this.job.whenIdle();
  }

  /** Stops a running job and pending warm retraining. */
  async close(): Promise<void> {
    if (this.retrainTimer) clearTimeout(this.retrainTimer);
    this.retrainTimer = null;
    this.retrainPending = false;
    await this.job.current?.run.cancel();
    await this.whenIdle();
  }

  private versions(): VersionStore {
    return new VersionStore(join(this.session.store.folder, 'models'));
  }

  private noteLabels(count: number): void {
    this.labelsSinceTraining += count;
    const every = this.options.retrainAfterLabels;
    if (every <= 0 || this.labelsSinceTraining < every || this.job.current || this.retrainTimer) return;
    this.retrainPending = true;
    this.retrainTimer = setTimeout(() => {
      this.retrainTimer = null;
      // Refused quietly when nothing changed (labels set back as they were): no version without new data.
      void this.collectTrainingData(this.session.store)
        .then((data) => {
          if (!this.job.current && data.problem === null) return this.startTraining(true, data);
        })
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
    if (!this.job.current) await this.restoreLatest();
  }

  private async reset(): Promise<void> {
    this.rankingsStore = this.session.store;
    await this.job.current?.run.cancel();
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
    const { score: texts, rank } = await scoringInputs(store, store.reads.utteranceCount);
    const training = trainingRowsOf(doc, (id) => store.calls.findUtterance(id));
    const run = runWorkerJob<ScoreResult>(this.options.workerPath, { kind: 'score', artifact: doc.artifact, score: texts, rank, training: rankTrainingColumns(training) }, () => undefined);
    try {
      const result = await run.result;
      if (store !== this.session.store) return;
      this.rankings = this.buildRankings(store, doc, result, training);
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

  private async startTraining(automatic: boolean, collected?: TrainingData): Promise<TrainJob> {
    if (this.job.current) throw new ContractError('conflict', sentence('training_running'), { field: 'jobId' });
    const store = this.session.store;
    const data = collected ?? (await this.collectTrainingData(store));
    if (data.problem) throw new ContractError('invalid_argument', data.problem);
    const latest = await this.versions().latestReport();
    if (this.job.current) throw new ContractError('conflict', sentence('training_running'), { field: 'jobId' });
    if (latest && latest.dataHash === data.hash) {
      throw new ContractError(
        'invalid_argument',
        sentence('unchanged_data', { version: latest.version }),
        { reason: 'unchanged_data' },
      );
    }
    const { score, rank } = await scoringInputs(store, store.reads.utteranceCount);
    const scored = score.lengths.length;
    const questions = store.reads.questionColumns(scored);
    if (this.job.current) throw new ContractError('conflict', sentence('training_running'), { field: 'jobId' });
    const previous = latest && { threshold: latest.outOfScopeThreshold, source: latest.outOfScopeThresholdSource };
    // The measured threshold is not known before training: only whether a kept one will replace it.
    const kept = chooseVersionThreshold(Number.NaN, previous);
    const keptThreshold = kept.source === 'kept' ? kept.threshold : null;
    const labelsAtStart = this.labelsSinceTraining;
    const info: TrainJob = { jobId: `train-${Date.now().toString(36)}`, phase: 'preparing', progress: 0, startedAt: Date.now(), automatic };
    const run = runWorkerJob<TrainResult>(
      this.options.workerPath,
      { kind: 'train', score, utterances: Int32Array.from(data.utterances), labels: data.labels, outOfScopeUtterances: Int32Array.from(data.outOfScopeUtterances), rank, questions, keptThreshold, folds: this.options.folds, seed: SEED },
      (phase, done) => this.job.progress(phase, done),
    );
    const job: TrackedJob<TrainJob, TrainResult | ScoreResult> = { info, run };
    this.job.current = job;
    this.job.report('running');
    job.finished = run.result
      .then(async (result) => {
        this.job.progress('saving', 0);
        const doc = await this.saveVersion(store, data, result);
        this.labelsSinceTraining = Math.max(0, this.labelsSinceTraining - labelsAtStart);
        if (store === this.session.store) {
          let rankings = this.buildRankings(store, doc, result, this.rowsOf(data, result));
          // A threshold chosen while it trained: Uncovered at the saved one.
          if (doc.report.outOfScopeThreshold !== (keptThreshold ?? result.artifact.outOfScopeThreshold)) {
            rankings = rankings.withUncovered(await this.rankUncovered(store, rankings, doc.report.outOfScopeThreshold), doc.report.outOfScopeThreshold);
          }
          this.rankings = rankings;
          this.rankingProblem = null;
        }
        this.job.progress('saving', 1);
        this.job.report('done');
        this.session.events.emit('onDidModelChange', { version: doc.report.version });
        // Calls added while it trained are scored too.
        if (store === this.session.store && store.reads.utteranceCount !== scored) void this.restoreLatest();
      })
      .catch((err: unknown) => {
        if (!(err instanceof JobCancelled)) log.error('model.train', err);
        this.job.report(err instanceof JobCancelled ? 'cancelled' : 'failed', err);
      })
      .finally(() => {
        this.job.current = null;
      });
    return info;
  }

  private async saveVersion(store: WorkspaceStore, data: TrainingData, result: TrainResult): Promise<VersionDoc> {
    const versions = new VersionStore(join(store.folder, 'models'));
    const previous = (await versions.versions()).pop();
    const version = (previous ?? 0) + 1;
    const before = previous === undefined ? null : await versions.readReport(previous);
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
      questions: savedQuestions(store, result.questions, result.questionsThreshold),
    };
    const doc: VersionDoc = {
      report,
      artifact: result.artifact,
      training: {
        utteranceIds: await utteranceIdsOf(store, data.utterances),
        intentIds: data.labels,
        quality: await plainArray(result.labelQuality),
        suggested: await plainArray(result.suggested),
        outOfFoldPrediction: await plainArray(result.outOfFoldPrediction),
        review: {
          first: await plainArray(result.review.first),
          firstProb: await plainArray(result.review.firstProb),
          second: await plainArray(result.review.second),
          secondProb: await plainArray(result.review.secondProb),
          third: await plainArray(result.review.third),
          thirdProb: await plainArray(result.review.thirdProb),
          // JSON has no NaN: a row without a suggestion is saved as null.
          suggestedProb: (await plainArray(result.review.suggestedProb)).map((p) => (Number.isNaN(p) ? null : p)),
        },
        outOfScope: { inScope: await plainArray(result.outOfScope.inScope), examples: await plainArray(result.outOfScope.examples) },
      },
    };
    // A threshold a user chose stays chosen: the next version keeps it rather than measuring its own.
    const choice = chooseVersionThreshold(report.outOfScopeThreshold, before && { threshold: before.outOfScopeThreshold, source: before.outOfScopeThresholdSource });
    const previousMeasured = before ? measuredThresholdOf(before) : null;
    const change = measureThresholdChange(
      before && previousMeasured !== null
        ? { version: before.version, threshold: previousMeasured, examples: before.examples, outOfScopeExamples: before.outOfScopeExamples ?? 0 }
        : null,
      { threshold: result.artifact.outOfScopeThreshold, examples: r.examples, inScope: result.outOfScope.inScope, outOfScope: result.outOfScope.examples },
    );
    const explained = change ? { ...doc, report: { ...doc.report, outOfScopeThresholdChange: { ...change, applied: choice.source === 'measured' } } } : doc;
    const saved = choice.source === 'measured' ? { ...explained, report: { ...explained.report, outOfScopeThresholdSource: 'measured' as const } } : withOutOfScopeThreshold(explained, choice.threshold, 'kept');
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

  private buildRankings(store: WorkspaceStore, doc: VersionDoc, result: ScoreResult | TrainResult, training: TrainingRows): Rankings {
    const input = { version: doc.report.version, labels: doc.artifact.labels, scored: result.scored, outOfScopeThreshold: doc.artifact.outOfScopeThreshold, training };
    return new Rankings(store, input, result.orders);
  }

  /**
   * Labeled utterances of active intents (the training set) and those labeled "none of these", each hashed as the
   * model reads it (with its bot prompt, node and previous turn); or why there are too few. From the shared labeled
   * rows (`WorkspaceReads.labeledRows`); the same rows and catalogue give the same promise, so the status and a
   * training started in the same revision share one read. The model texts are built in chunks that yield to the
   * event loop, so labels are answered while it runs.
   */
  private collectTrainingData(store: WorkspaceStore): Promise<TrainingData> {
    const rows = store.reads.labeledRows();
    const usable = new Set(store.intents.filter((i) => i.status !== 'deprecated').map((i) => i.id));
    const catalogue = [...usable].join('\u0000');
    const cached = this.trainingData;
    if (cached?.rows === rows && cached.catalogue === catalogue) return cached.data;
    const data = trainingDataOf(rows, usable, store);
    this.trainingData = { rows, catalogue, data };
    data.catch(() => {
      if (this.trainingData?.data === data) this.trainingData = null;
    });
    return data;
  }
}

/** The training data in `rows`: see ModelController.collectTrainingData. */
async function trainingDataOf(rows: LabeledRows, usable: ReadonlySet<string>, store: WorkspaceStore): Promise<TrainingData> {
  const picked: number[] = [];
  rows.kinds.forEach((kind, row) => {
    const id = rows.intentIds[row];
    if (kind === LabeledKind.none || (id !== null && id !== undefined && usable.has(id))) picked.push(row);
  });
  const modelTexts = await store.reads.modelTexts(picked.map((row) => rows.utterances[row]!));
  const texts: string[] = [];
  const labels: string[] = [];
  const utterances: number[] = [];
  const outOfScopeUtterances: number[] = [];
  const perIntent = new Map<string, number>();
  const hash = createHash('sha256');
  await scanInChunks(picked.length, (start, end) => {
    for (let k = start; k < end; k++) {
      const row = picked[k]!;
      const text = modelTexts[k]!;
      const intentId = rows.intentIds[row];
      if (intentId === null || intentId === undefined) {
        // "None of these" labels move the out-of-scope threshold: new ones make new data.
        outOfScopeUtterances.push(rows.utterances[row]!);
        hash.update(`${text}\u0000\u0002`);
        continue;
      }
      texts.push(text);
      labels.push(intentId);
      utterances.push(rows.utterances[row]!);
      perIntent.set(intentId, (perIntent.get(intentId) ?? 0) + 1);
      hash.update(`${text}\u0000${intentId}\u0001`);
    }
  });
  const trainable = [...perIntent.values()].filter((c) => c >= 2).length;
  const problem =
    texts.length < MIN_EXAMPLES || trainable < 2 ? sentence('training_needs_data', { min: MIN_EXAMPLES, labels: texts.length, intents: trainable }) : null;
  return { texts, labels, utterances, outOfScopeUtterances, problem, hash: hash.digest('hex').slice(0, 16) };
}

/** The worker's report per question as a version keeps it: examples by utterance id, with their text. */
function savedQuestions(store: WorkspaceStore, report: QuestionReport, threshold: number): SavedQuestionReport {
  return {
    threshold,
    total: report.total,
    questions: report.questions.map((q) => ({
      key: q.key,
      question: q.question,
      node: q.node,
      replies: q.replies,
      labeled: q.labeled,
      evaluated: q.evaluated,
      accuracy: q.accuracy,
      coverage: q.coverage,
      uncovered: q.uncovered,
      uncoveredShare: q.uncoveredShare,
      confused: q.confused,
      trouble: q.trouble,
      confusedPairs: q.confusedPairs,
      examples: q.examples.map((e) => ({ utteranceId: store.calls.utteranceId(e.utterance), text: store.reads.text(e.utterance), kind: e.kind, label: e.label, predicted: e.predicted })),
    })),
  };
}

/** A report without its part per question, which `model.getQuestionReport` serves. */
function withoutQuestions(report: ModelReport): ModelReport {
  if (!report.questions) return report;
  const { questions: _questions, ...rest } = report;
  return rest;
}

/** A typed column as a plain array (for a version file), copied in chunks that yield to the event loop. */
async function plainArray(column: ArrayLike<number>): Promise<number[]> {
  const out = new Array<number>(column.length);
  await scanInChunks(column.length, (start, end) => {
    for (let i = start; i < end; i++) out[i] = column[i]!;
  });
  return out;
}

/** The ids of utterances `rows`, built in chunks that yield to the event loop. */
async function utteranceIdsOf(store: WorkspaceStore, rows: readonly number[]): Promise<string[]> {
  const ids = new Array<string>(rows.length);
  await scanInChunks(rows.length, (start, end) => {
    for (let r = start; r < end; r++) ids[r] = store.calls.utteranceId(rows[r]!);
  });
  return ids;
}

/**
 * One chunked pass over the first `n` utterances for scoring and ranking: the texts the model reads (packed for the
 * worker, unless `withTexts` is false) and the columns ranking reads.
 */
async function scoringInputs(store: WorkspaceStore, n: number, withTexts = true): Promise<{ score: PackedTexts; rank: RankColumns }> {
  const { modelTexts, platformConfidence, labeled } = await store.reads.scoringColumns(n, withTexts);
  const platform = store.reads.platformIntentColumn(n);
  return { score: await packTexts(modelTexts), rank: { platformConfidence, platformIntent: platform.slots, platformIntents: platform.intents, labeled } };
}

/** A version's training rows as the worker ranks them: the model's intent is the review figures' top one when kept. */
function rankTrainingColumns(t: TrainingRows): RankTrainingColumns {
  return { utterances: t.utterances, intentIds: t.intentIds, quality: t.quality, isIssue: t.isIssue, modelIntent: t.review ? t.review.first : t.outOfFoldPrediction };
}

interface TrainingData {
  readonly texts: string[];
  readonly labels: string[];
  readonly utterances: number[];
  readonly outOfScopeUtterances: number[];
  readonly problem: ErrorSentence | null;
  readonly hash: string;
}
