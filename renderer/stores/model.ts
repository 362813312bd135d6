import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ModelReport, ModelStatus, ModelSummary, QuestionReportDto, ReportExportFormat, TrainPhase } from '../../shared/contract/dto';
import type { EventMap } from '../../shared/contract/services';
import { api, host, isDesktop } from '../api';
import { downloadFile } from '../composables/download';
import { i18n } from '../i18n';
import { deltasOf, overallProgress } from '../composables/modelReport';
import { useWorkerJobState } from '../composables/workerJobState';
import { jobFailure, useNoticeStore } from './notices';
import { attempt } from './storeLoad';

/** A training job's latest progress event. */
export type TrainProgress = EventMap['onDidTrainProgress'];

/** The intent model: status, live training progress, kept versions and the report of the selected one. */
export const useModelStore = defineStore('model', () => {
  const status = ref<ModelStatus | null>(null);
  const versions = ref<readonly ModelSummary[]>([]);
  const selected = ref<number | null>(null);
  const report = ref<ModelReport | null>(null);
  const reportLoading = ref(false);
  /** The report per bot question of the version it was last loaded for. */
  const questionReport = ref<QuestionReportDto | null>(null);
  const applyingThreshold = ref(false);
  const exportingReport = ref(false);
  const job = useWorkerJobState<TrainPhase, TrainProgress>({
    statusJob: () => status.value?.job,
    overall: overallProgress,
    startJob: () => api.model.train({}),
    cancelJob: (jobId) => api.model.cancelJob({ jobId }),
    onError: (err) => useNoticeStore().error(err),
  });
  const { progress, starting, running, jobId, percent, phase } = job;
  const deltas = computed(() => deltasOf(versions.value));
  /** The ranking problem last shown, so a reload does not show it again. */
  let shownProblem: string | null = null;

  /** Shows, once, why the saved model ranks nothing (the service also logs it). */
  function showRankingProblem(s: ModelStatus): void {
    const problem = s.rankingProblem;
    const key = problem ? `${problem.version}|${problem.reason}|${problem.detail}` : null;
    if (key === shownProblem) return;
    shownProblem = key;
    if (problem) useNoticeStore().push({ kind: 'error', text: i18n.global.t(`models.rankingProblem.${problem.reason}`, { version: problem.version, detail: problem.detail }) });
  }

  async function load(): Promise<void> {
    await attempt(async () => {
      const [s, v] = await Promise.all([api.model.getStatus({}), api.model.listVersions({})]);
      status.value = s;
      versions.value = v;
      showRankingProblem(s);
      job.settle();
      const newest = v[0];
      if (newest && (selected.value === null || !v.some((x) => x.version === selected.value))) await openReport(newest.version);
    });
  }

  /** Reloads only the status (the newest version's headline), for views that show no report. */
  async function refreshStatus(): Promise<void> {
    await attempt(async () => {
      status.value = await api.model.getStatus({});
    });
  }

  async function openReport(version: number): Promise<void> {
    selected.value = version;
    reportLoading.value = true;
    try {
      const r = await attempt(() => api.model.getReport({ version }));
      if (r !== undefined && selected.value === version) report.value = r;
    } finally {
      reportLoading.value = false;
    }
  }

  /** Loads a version's report per bot question (kept until the next request's answer arrives). */
  let questionRequest = 0;
  async function loadQuestionReport(version: number): Promise<void> {
    // The newest request wins: an answer to an earlier one (another version) is dropped.
    const request = ++questionRequest;
    const r = await attempt(() => api.model.getQuestionReport({ version }));
    if (r !== undefined && request === questionRequest) questionReport.value = r;
  }

  const train = job.start;
  const cancel = job.cancel;

  /** Sets a version's out-of-scope threshold; the updated report is shown. Returns whether it was applied. */
  async function setOutOfScopeThreshold(version: number, threshold: number): Promise<boolean> {
    applyingThreshold.value = true;
    try {
      const applied = await attempt(async () => {
        const r = await api.model.setOutOfScopeThreshold({ version, threshold });
        if (selected.value === version) report.value = r;
        versions.value = await api.model.listVersions({});
        return true;
      });
      return applied ?? false;
    } finally {
      applyingThreshold.value = false;
    }
  }

  /**
   * Exports a version's report (summary and per-intent table): a save dialog on desktop, a download in the browser.
   * Returns where it went, or null when cancelled or failed (the failure is shown).
   */
  async function exportReport(version: number, format: ReportExportFormat): Promise<string | null> {
    exportingReport.value = true;
    try {
      if (isDesktop) {
        const name = i18n.global.t(`models.exportFormats.${format}`);
        const { path } = await host.showSaveDialog({ defaultName: `model-v${version}-report.${format}`, filters: [{ name, extensions: [format] }] });
        if (!path) return null;
        return (await api.model.exportReportFile({ version, format, path })).path;
      }
      const r = await api.model.exportReportContent({ version, format });
      downloadFile(r);
      return r.fileName;
    } catch (err) {
      useNoticeStore().error(err);
      return null;
    } finally {
      exportingReport.value = false;
    }
  }

  /** Takes a training progress event; a finished or stopped job reloads the status. */
  function onTrainProgress(event: TrainProgress): void {
    progress.value = event;
    if (event.state === 'failed') useNoticeStore().error(jobFailure(event));
    if (event.state !== 'running') void load();
  }

  /** A new version was saved: the newest report is shown. */
  async function onModelChange(): Promise<void> {
    selected.value = null;
    await load();
  }

  return { status, versions, selected, report, reportLoading, questionReport, loadQuestionReport, progress, starting, applyingThreshold, exportingReport, exportReport, running, jobId, percent, phase, deltas, load, refreshStatus, openReport, train, cancel, onTrainProgress, onModelChange, setOutOfScopeThreshold };
});
