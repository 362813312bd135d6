import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SyncConflict, SyncStatus } from '../../shared/contract/dto';
import type { ContractErrorData } from '../../shared/contract/errors';
import type { EventMap } from '../../shared/contract/services';
import { api, events } from '../api';
import { nextSelection } from '../composables/syncFormat';
import { toErrorData } from './notices';
import { attempt } from './storeLoad';

/** The last progress event of a sync job. */
export type SyncProgressEvent = EventMap['onDidSyncProgress'];

const CONFLICT_PAGE = 500;

/** The workspace's link to the bot platform: status, the running sync, connect errors and the conflicts review. */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);
  const progress = ref<SyncProgressEvent | null>(null);
  const connectError = ref<ContractErrorData | null>(null);
  const connecting = ref(false);
  const conflicts = ref<SyncConflict[]>([]);
  const conflictsTotal = ref(0);
  const conflictsOpen = ref(false);
  const conflictsLoading = ref(false);
  const selected = ref(-1);
  const resolving = ref(false);

  const connection = computed(() => status.value?.connection ?? 'disconnected');
  const connected = computed(() => connection.value !== 'disconnected');
  const job = computed(() => status.value?.job ?? null);
  const running = computed(() => job.value !== null);
  const runningProgress = computed(() => {
    const current = job.value;
    if (!current) return null;
    const event = progress.value;
    return event && event.jobId === current.jobId && event.state === 'running' ? event : current;
  });
  const selectedConflict = computed(() => conflicts.value[selected.value] ?? null);

  async function load(): Promise<void> {
    await attempt(async () => {
      status.value = await api.sync.getStatus({});
    });
  }

  function onStatus(next: SyncStatus): void {
    const before = status.value?.conflicts ?? 0;
    status.value = next;
    if (conflictsOpen.value && next.conflicts !== before) void loadConflicts();
  }

  function onProgress(event: SyncProgressEvent): void {
    progress.value = event;
  }

  /** Subscribes to the sync events; returns the unsubscribe function. */
  function listen(): () => void {
    const offs = [events.on('onDidChangeSyncStatus', onStatus), events.on('onDidSyncProgress', onProgress)];
    return () => offs.forEach((off) => off());
  }

  async function connect(arg: { url: string; token: string; project: string }): Promise<boolean> {
    connecting.value = true;
    connectError.value = null;
    try {
      status.value = await api.sync.connect(arg);
      return true;
    } catch (err) {
      connectError.value = toErrorData(err);
      return false;
    } finally {
      connecting.value = false;
    }
  }

  async function disconnect(): Promise<boolean> {
    const next = await attempt(() => api.sync.disconnect({}));
    if (next === undefined) return false;
    status.value = next;
    connectError.value = null;
    return true;
  }

  async function syncNow(): Promise<void> {
    await attempt(() => api.sync.syncNow({}));
  }

  async function cancel(): Promise<void> {
    const current = job.value;
    if (!current) return;
    await attempt(() => api.sync.cancel({ jobId: current.jobId }));
  }

  async function loadConflicts(): Promise<void> {
    conflictsLoading.value = true;
    try {
      const page = await attempt(() => api.sync.listConflicts({ offset: 0, limit: CONFLICT_PAGE }));
      if (page) {
        conflicts.value = [...page.items];
        conflictsTotal.value = page.total;
        selected.value = nextSelection(selected.value, conflicts.value.length);
      }
    } finally {
      conflictsLoading.value = false;
    }
  }

  function openConflicts(): void {
    conflictsOpen.value = true;
    selected.value = 0;
    void loadConflicts();
  }

  function closeConflicts(): void {
    conflictsOpen.value = false;
  }

  function moveSelection(delta: 1 | -1): void {
    if (conflicts.value.length === 0) return;
    selected.value = nextSelection(selected.value + delta, conflicts.value.length);
  }

  async function resolve(conflictId: string, keep: 'mine' | 'theirs'): Promise<boolean> {
    if (resolving.value) return false;
    resolving.value = true;
    try {
      const resolved = await attempt(async () => {
        status.value = await api.sync.resolveConflict({ conflictId, keep });
        const index = conflicts.value.findIndex((c) => c.id === conflictId);
        await loadConflicts();
        if (index >= 0) selected.value = nextSelection(index, conflicts.value.length);
        return true;
      });
      return resolved ?? false;
    } finally {
      resolving.value = false;
    }
  }

  async function resolveSelected(keep: 'mine' | 'theirs'): Promise<void> {
    const conflict = selectedConflict.value;
    if (conflict) await resolve(conflict.id, keep);
  }

  return {
    status,
    progress,
    connectError,
    connecting,
    conflicts,
    conflictsTotal,
    conflictsOpen,
    conflictsLoading,
    selected,
    resolving,
    connection,
    connected,
    job,
    running,
    runningProgress,
    selectedConflict,
    load,
    listen,
    onStatus,
    onProgress,
    connect,
    disconnect,
    syncNow,
    cancel,
    loadConflicts,
    openConflicts,
    closeConflicts,
    moveSelection,
    resolve,
    resolveSelected,
  };
});
