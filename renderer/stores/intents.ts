import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { IntentWithCounts, KeyMapPin, LibraryIntent, MergeResult } from '../../shared/contract/dto';
import { resolvePinnedSlots } from '../../shared/domain/keyMapPin';
import type { Intent, IntentPatch} from '../../shared/domain/types';
import { api, host, isDesktop } from '../api';
import { createIntentSearcher } from '../composables/intentSearch';
import { freezeKeyMap } from '../composables/keyMap';
import { attempt, changeThenReload, useStoreLoad } from './storeLoad';

export type { IntentPatch };

/** The intent catalogue with counts, a fuzzy searcher over it, and catalogue edits. */
export const useIntentStore = defineStore('intents', () => {
  const intents = ref<readonly IntentWithCounts[]>([]);
  const searcher = computed(() => createIntentSearcher(intents.value));
  const byId = computed(() => new Map(intents.value.map((i) => [i.id, i])));
  const active = computed(() => intents.value.filter((i) => i.status !== 'deprecated'));
  /** Intent ids this session froze on 1–9: most used at the first load, then kept in place. */
  const sessionKeyMap = ref<readonly (string | null)[]>([]);
  /** The key map a lead pinned for the workspace, as the catalogue has it now; null when none is pinned. */
  const pin = ref<KeyMapPin | null>(null);
  /** Intent ids bound to the digit keys 1–9: the workspace's pinned map when there is one, else the session's. */
  const keyMap = computed<readonly (string | null)[]>(() => (pin.value ? resolvePinnedSlots(pin.value.slots, intents.value) : sessionKeyMap.value));

  function nameOf(id: string | null | undefined): string {
    if (!id) return '';
    return byId.value.get(id)?.name ?? id;
  }

  const catalogue = useStoreLoad(
    () => Promise.all([api.intent.listIntents({}), api.intent.getKeyMap({})]),
    ([list, pinned]) => {
      intents.value = list;
      pin.value = pinned;
      sessionKeyMap.value = freezeKeyMap(list, sessionKeyMap.value.length > 0 ? sessionKeyMap.value : null);
    },
  );
  const loaded = catalogue.loaded;

  async function load(): Promise<void> {
    await catalogue.load();
  }

  /** Another workspace: its digit keys are chosen afresh at the next load. */
  function forgetKeyMap(): void {
    sessionKeyMap.value = [];
    pin.value = null;
  }

  /** Pins `slots` (nine intent ids or nulls) as every annotator's digit keys in this workspace. */
  async function pinKeyMap(slots: readonly (string | null)[]): Promise<boolean> {
    return (await guarded(() => api.intent.pinKeyMap({ slots: [...slots] }))) !== null;
  }

  /** Removes the workspace's pinned key map: sessions freeze their most used intents again. */
  async function unpinKeyMap(): Promise<boolean> {
    return (await guarded(() => api.intent.unpinKeyMap({}))) !== null;
  }

  async function guarded<T>(work: () => Promise<T>): Promise<T | null> {
    return changeThenReload(work, load);
  }

  function create(name: string, description: string, examples: readonly string[]): Promise<Intent | null> {
    return guarded(() => api.intent.createIntent({ name, description, examples: [...examples] }));
  }

  function update(id: string, patch: IntentPatch): Promise<Intent | null> {
    const { examples, ...rest } = patch;
    return guarded(() => api.intent.updateIntent({ id, ...rest, ...(examples ? { examples: [...examples] } : {}) }));
  }

  function merge(sourceId: string, targetId: string): Promise<MergeResult | null> {
    return guarded(() => api.intent.mergeIntents({ sourceId, targetId }));
  }

  async function undoMerge(actionId: string): Promise<boolean> {
    return (await guarded(() => api.label.undoAction({ actionId }))) !== null;
  }

  async function listLibrary(language: 'zh' | 'en'): Promise<readonly LibraryIntent[]> {
    return (await attempt(() => api.intent.listLibrary({ language }))) ?? [];
  }

  function addFromLibrary(language: 'zh' | 'en', keys: readonly string[]): Promise<readonly Intent[] | null> {
    return guarded(() => api.intent.addFromLibrary({ language, keys: [...keys] }));
  }

  async function listFromWorkspace(folder: string): Promise<readonly Intent[]> {
    return (await attempt(() => api.intent.listFromWorkspace({ folder }))) ?? [];
  }

  function addFromWorkspace(folder: string, ids: readonly string[]): Promise<readonly Intent[] | null> {
    return guarded(() => api.intent.addFromWorkspace({ folder, ids: [...ids] }));
  }

  /** Desktop: asks for another workspace's folder with the native dialog; null when cancelled. */
  async function chooseWorkspaceFolder(title: string): Promise<string | null> {
    return (await attempt(async () => (await host.showOpenDialog({ kind: 'folder', title })).path)) ?? null;
  }

  return {
    intents,
    loaded,
    searcher,
    keyMap,
    sessionKeyMap,
    pin,
    byId,
    active,
    nameOf,
    isDesktop,
    load,
    forgetKeyMap,
    pinKeyMap,
    unpinKeyMap,
    create,
    update,
    merge,
    undoMerge,
    listLibrary,
    addFromLibrary,
    listFromWorkspace,
    addFromWorkspace,
    chooseWorkspaceFolder,
  };
});
