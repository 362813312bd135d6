import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type {
  CleanupReport,
  ClusterMember,
  ClusterSummary,
  DiscoveryActionKind,
  DiscoveryActionResult,
  DiscoveryPhase,
  DiscoveryStatus,
  DiscoveryUndoResult,
  ExpansionCandidate,
  LabelResult,
  QuestionCount,
} from '../../shared/contract/dto';
import type { EventMap } from '../../shared/contract/services';
import { api } from '../api';
import { discoveryProgress, remainingCandidates, selectionAfterChange } from '../composables/discoveryFormat';
import { useWorkerJobState } from '../composables/workerJobState';
import { jobFailure, useNoticeStore } from './notices';
import { attempt, changeThenReload } from './storeLoad';

/** A clustering job's latest progress event. */
export type DiscoveryProgress = EventMap['onDidDiscoveryProgress'];

/** How the cluster list is ordered. */
export type ClusterSort = 'size' | 'cohesion';

/** Members shown per page in the detail pane. */
export const MEMBER_PAGE = 50;

/**
 * New-intent discovery: the last clustering and its clusters, the selected cluster's members, a running job,
 * actions on clusters (each undoable), corpus expansion candidates and the cleanup report.
 */
export const useDiscoveryStore = defineStore('discovery', () => {
  const status = ref<DiscoveryStatus | null>(null);
  const clusters = ref<readonly ClusterSummary[]>([]);
  const sort = ref<ClusterSort>('size');
  const includeClosed = ref(false);
  const loaded = ref(false);
  const selectedId = ref<string | null>(null);
  const members = ref<readonly ClusterMember[]>([]);
  const membersTotal = ref(0);
  const membersOffset = ref(0);
  const membersLoading = ref(false);
  /** The cluster an action is running on (accept, merge, dismiss, split, remove), or null. */
  const busy = ref<string | null>(null);

  const expandIntentId = ref<string | null>(null);
  const candidates = ref<readonly ExpansionCandidate[]>([]);
  const candidatesLoading = ref(false);
  const cleanup = ref<CleanupReport | null>(null);
  const cleanupLoading = ref(false);

  /** The bot questions the uncovered pool answered, and the one the next run is scoped to (null: the whole pool). */
  const questions = ref<readonly QuestionCount[]>([]);
  const scope = ref<string | null>(null);

  const selected = computed(() => clusters.value.find((c) => c.id === selectedId.value) ?? null);
  const job = useWorkerJobState<DiscoveryPhase, DiscoveryProgress>({
    statusJob: () => status.value?.job,
    overall: discoveryProgress,
    startJob: () => api.discovery.run(scope.value === null ? {} : { question: scope.value }),
    cancelJob: (jobId) => api.discovery.cancel({ jobId }),
    onError: (err) => useNoticeStore().error(err),
  });
  const { progress, starting, running, jobId, percent, phase } = job;
  const maxShare = computed(() => clusters.value.reduce((m, c) => Math.max(m, c.share), 0));
  const canUndo = computed(() => status.value?.undo != null);

  const notices = () => useNoticeStore();

  async function loadStatus(): Promise<void> {
    await attempt(async () => {
      status.value = await api.discovery.getStatus({});
      job.settle();
    });
  }

  async function loadQuestions(): Promise<void> {
    await attempt(async () => {
      questions.value = await api.discovery.listQuestions({ limit: 50 });
      if (scope.value !== null && !questions.value.some((q) => q.key === scope.value)) scope.value = null;
    });
  }

  async function loadClusters(): Promise<void> {
    await attempt(async () => {
      const before = clusters.value.map((c) => c.id);
      const next = await api.discovery.listClusters({ sort: sort.value, includeClosed: includeClosed.value });
      clusters.value = next;
      loaded.value = true;
      const nextSelected = selectionAfterChange(before, next.map((c) => c.id), selectedId.value);
      if (nextSelected !== selectedId.value) await select(nextSelected);
      else if (nextSelected !== null) await loadMembers(membersOffset.value);
    });
  }

  /** Status and clusters, e.g. when the view opens or after the clusters changed. */
  async function load(): Promise<void> {
    await Promise.all([loadStatus(), loadClusters(), loadQuestions()]);
  }

  async function select(id: string | null): Promise<void> {
    if (selectedId.value !== id) {
      selectedId.value = id;
      members.value = [];
      membersTotal.value = 0;
      membersOffset.value = 0;
    }
    if (id !== null) await loadMembers(0);
  }

  async function loadMembers(offset: number): Promise<void> {
    const id = selectedId.value;
    if (id === null) return;
    membersLoading.value = true;
    try {
      await attempt(
        async () => {
          const page = await api.discovery.getMembers({ clusterId: id, offset, limit: MEMBER_PAGE });
          if (selectedId.value !== id) return;
          members.value = page.items;
          membersTotal.value = page.total;
          membersOffset.value = page.offset;
        },
        (err) => selectedId.value === id && notices().error(err),
      );
    } finally {
      membersLoading.value = false;
    }
  }

  async function setSort(next: ClusterSort): Promise<void> {
    sort.value = next;
    await loadClusters();
  }

  async function setIncludeClosed(next: boolean): Promise<void> {
    includeClosed.value = next;
    await loadClusters();
  }

  const run = job.start;
  const cancel = job.cancel;

  /** Takes a clustering progress event; a finished or stopped job reloads status and clusters. */
  function onProgress(event: DiscoveryProgress): void {
    progress.value = event;
    if (event.state === 'failed') notices().error(jobFailure(event));
    if (event.state !== 'running') void load();
  }

  /** Labels changed somewhere: the pool size and the members' labels may have changed. */
  async function onLabelsChanged(): Promise<void> {
    if (!loaded.value) return;
    await loadStatus();
    await loadMembers(membersOffset.value);
  }

  /** Another workspace opened: everything shown belongs to the old one. */
  async function reset(): Promise<void> {
    loaded.value = false;
    clusters.value = [];
    progress.value = null;
    candidates.value = [];
    expandIntentId.value = null;
    cleanup.value = null;
    await select(null);
    await load();
  }

  async function act<T>(clusterId: string, work: () => Promise<T>): Promise<T | null> {
    busy.value = clusterId;
    try {
      return await changeThenReload(work, load);
    } finally {
      busy.value = null;
    }
  }

  /** Whether the next accept, merge or dismiss labels the cluster's least typical members too (off for each new cluster). */
  const includeAtypical = ref(false);
  watch(selectedId, () => (includeAtypical.value = false));

  function accept(clusterId: string, name: string, description: string): Promise<DiscoveryActionResult | null> {
    return act(clusterId, () => api.discovery.acceptCluster({ clusterId, name, description, includeAtypical: includeAtypical.value }));
  }

  function merge(clusterId: string, intentId: string): Promise<DiscoveryActionResult | null> {
    return act(clusterId, () => api.discovery.mergeCluster({ clusterId, intentId, includeAtypical: includeAtypical.value }));
  }

  function dismiss(clusterId: string): Promise<DiscoveryActionResult | null> {
    return act(clusterId, () => api.discovery.dismissCluster({ clusterId, includeAtypical: includeAtypical.value }));
  }

  function split(clusterId: string): Promise<DiscoveryActionResult | null> {
    return act(clusterId, () => api.discovery.splitCluster({ clusterId }));
  }

  function removeMembers(clusterId: string, utteranceIds: readonly string[]): Promise<DiscoveryActionResult | null> {
    return act(clusterId, () => api.discovery.removeMembers({ clusterId, utteranceIds: [...utteranceIds] }));
  }

  /** Undoes the last discovery action; the cluster it touched is selected again. */
  async function undo(): Promise<DiscoveryUndoResult | null> {
    const result = await act('', () => api.discovery.undo({}));
    if (result && clusters.value.some((c) => c.id === result.clusterId)) await select(result.clusterId);
    return result;
  }

  /**
   * Undoes the action `kind` on `clusterId` if it is still the last discovery action; 'notLast' (and nothing
   * changes) when another action came after it or it was undone already, null when the undo failed.
   */
  async function undoIfLast(kind: DiscoveryActionKind, clusterId: string): Promise<DiscoveryUndoResult | 'notLast' | null> {
    await loadStatus();
    const last = status.value?.undo;
    if (!last || last.kind !== kind || last.clusterId !== clusterId) return 'notLast';
    return undo();
  }

  async function expand(intentId: string): Promise<void> {
    expandIntentId.value = intentId;
    candidates.value = [];
    candidatesLoading.value = true;
    try {
      await attempt(
        async () => {
          const found = await api.discovery.expandIntent({ intentId, limit: 100 });
          if (expandIntentId.value === intentId) candidates.value = found;
        },
        (err) => expandIntentId.value === intentId && notices().error(err),
      );
    } finally {
      candidatesLoading.value = false;
    }
  }

  /** Drops candidates from the list (accepted or skipped). */
  function dropCandidates(ids: readonly string[]): void {
    candidates.value = remainingCandidates(candidates.value, new Set(ids));
  }

  /** Labels utterances with one intent as one undoable label action. */
  function labelAll(utteranceIds: readonly string[], intentId: string): Promise<LabelResult> {
    const target = { kind: 'intent' as const, intentId };
    return utteranceIds.length === 1 ? api.label.setLabel({ utteranceId: utteranceIds[0]!, target }) : api.label.bulkLabel({ utteranceIds: [...utteranceIds], target });
  }

  /** Labels candidates with the intent being expanded, as one undoable label action; they leave the list. */
  async function acceptCandidates(ids: readonly string[]): Promise<LabelResult | null> {
    const intentId = expandIntentId.value;
    if (!intentId || ids.length === 0) return null;
    return (
      (await attempt(async () => {
        const result = await labelAll(ids, intentId);
        dropCandidates(ids);
        return result;
      })) ?? null
    );
  }

  /** Reverts a label action (e.g. candidates accepted by mistake); they come back on the next search. */
  async function undoLabels(actionId: string): Promise<boolean> {
    return (await attempt(() => api.label.undoAction({ actionId }))) !== undefined;
  }

  async function loadCleanup(): Promise<void> {
    cleanupLoading.value = true;
    try {
      await attempt(async () => (cleanup.value = await api.discovery.getCleanup({})));
    } finally {
      cleanupLoading.value = false;
    }
  }

  /** Relabels labeled utterances (from the cleanup lists) as one undoable action and reloads the report. */
  async function relabel(utteranceIds: readonly string[], intentId: string): Promise<LabelResult | null> {
    if (utteranceIds.length === 0) return null;
    return changeThenReload(() => labelAll(utteranceIds, intentId), loadCleanup);
  }

  return {
    status,
    clusters,
    questions,
    scope,
    loadQuestions,
    sort,
    includeClosed,
    loaded,
    selectedId,
    selected,
    members,
    membersTotal,
    membersOffset,
    membersLoading,
    progress,
    starting,
    busy,
    running,
    jobId,
    percent,
    phase,
    maxShare,
    canUndo,
    expandIntentId,
    includeAtypical,
    candidates,
    candidatesLoading,
    cleanup,
    cleanupLoading,
    load,
    loadStatus,
    loadClusters,
    select,
    loadMembers,
    setSort,
    setIncludeClosed,
    run,
    cancel,
    onProgress,
    onLabelsChanged,
    reset,
    accept,
    merge,
    dismiss,
    split,
    removeMembers,
    undo,
    undoIfLast,
    expand,
    dropCandidates,
    acceptCandidates,
    undoLabels,
    loadCleanup,
    relabel,
  };
});
