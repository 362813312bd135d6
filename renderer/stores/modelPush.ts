import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ContractErrorData } from '../../shared/contract/errors';
import type { ModelComparison, PlatformModelList, SyncStatus } from '../../shared/contract/dto';
import { api, events } from '../api';
import { toErrorData, useNoticeStore } from './notices';
import { attempt, keyedRead } from './storeLoad';

type Action = 'push' | 'activate' | 'rollback';

/** What the last action did, for a line under the buttons (`n`: a platform version). */
export interface PushOutcome {
  readonly kind: 'pushed' | 'alreadyPushed' | 'activated' | 'rolledBack';
  readonly n: number;
}

/** Model versions on the platform: the link's status, the registry, the comparison of the selected local version, push/activate/roll back. */
export const useModelPushStore = defineStore('modelPush', () => {
  const status = ref<SyncStatus | null>(null);
  const registry = ref<PlatformModelList | null>(null);
  const comparison = ref<ModelComparison | null>(null);
  const comparing = ref(false);
  const busy = ref<Action | null>(null);
  const note = ref('');
  /** The lead's reason for pushing over the gate. */
  const overrideNote = ref('');
  /** The gate's refusal of the last push (its reasons in words), or null. */
  const blocked = ref<ContractErrorData | null>(null);
  const outcome = ref<PushOutcome | null>(null);
  const compareRead = keyedRead(comparison, comparing, (version: number) => api.sync.compareModel({ version }));

  const linked = computed(() => status.value !== null && status.value.connection !== 'disconnected');
  const offline = computed(() => status.value?.connection === 'offline');
  const lastPushed = computed(() => comparison.value?.pushedAs ?? null);

  /** Reads the link's status and, when linked, the platform's registry. */
  async function load(): Promise<void> {
    await attempt(async () => {
      status.value = await api.sync.getStatus({});
      if (linked.value) registry.value = await api.sync.listPlatformModels({});
    });
  }

  /** Reads the registry again (the active version changed elsewhere) and redoes the comparison against it. */
  async function refresh(): Promise<void> {
    await load();
    await compare(compareRead.key());
  }

  /** Compares local version `version` with the platform's active model; null clears the comparison. */
  async function compare(version: number | null): Promise<void> {
    await compareRead.read(version, linked.value);
  }

  /**
   * Pushes local version `version` with the note (and, with `override`, over the gate with the override note); the
   * comparison is refreshed to show where it went. A refusal by the gate is kept in `blocked`, not shown as a notice.
   */
  async function push(version: number, override = false): Promise<void> {
    blocked.value = null;
    await run('push', async () => {
      const overriding = override && overrideNote.value.trim() !== '';
      const result = await api.sync.pushModel({ version, note: note.value, ...(overriding ? { overrideNote: overrideNote.value } : {}) });
      registry.value = result.models;
      note.value = '';
      overrideNote.value = '';
      outcome.value = { kind: result.created ? 'pushed' : 'alreadyPushed', n: result.platformVersion };
      if (comparison.value?.localVersion === version) comparison.value = { ...comparison.value, pushedAs: result.platformVersion };
    });
  }

  /** Activates platform version `platformVersion`; the comparison is redone against it. */
  async function activate(platformVersion: number): Promise<void> {
    await run('activate', async () => {
      registry.value = await api.sync.activateModel({ platformVersion });
      outcome.value = { kind: 'activated', n: platformVersion };
    });
    await compare(compareRead.key());
  }

  /** Re-activates the platform's previously active version; the comparison is redone against it. */
  async function rollback(): Promise<void> {
    await run('rollback', async () => {
      registry.value = await api.sync.rollbackModel({});
      if (registry.value.active !== null) outcome.value = { kind: 'rolledBack', n: registry.value.active };
    });
    await compare(compareRead.key());
  }

  /** Follows the link's status while the caller lives; returns the unsubscribe function. */
  function subscribe(): () => void {
    return events.on('onDidChangeSyncStatus', (next) => {
      const wasLinked = linked.value;
      status.value = next;
      if (linked.value && !wasLinked) void load().then(() => compare(compareRead.key()));
    });
  }

  async function run(action: Action, task: () => Promise<void>): Promise<void> {
    busy.value = action;
    outcome.value = null;
    try {
      await task();
    } catch (err) {
      const data = toErrorData(err);
      if (data.details?.reason === 'gate_blocked') blocked.value = data;
      else useNoticeStore().error(err);
    } finally {
      busy.value = null;
    }
  }

  return { status, registry, comparison, comparing, busy, note, overrideNote, blocked, outcome, linked, offline, lastPushed, load, refresh, compare, push, activate, rollback, subscribe };
});
