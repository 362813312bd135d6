import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Settings, UiLanguage, WorkspaceInfo } from '../../shared/contract/dto';
import { api, host, isDesktop } from '../api';
import { applyLanguage } from '../i18n';
import { useNoticeStore } from './notices';
import { attempt, useStoreLoad } from './storeLoad';

/** App settings and the open workspace's info. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null);
  const info = ref<WorkspaceInfo | null>(null);
  const language = computed<UiLanguage>(() => settings.value?.uiLanguage ?? 'zh-CN');
  const workspaceName = computed(() => info.value?.name ?? '');

  const loader = useStoreLoad(
    () => Promise.all([api.workspace.getSettings({}), api.workspace.getInfo({})]),
    ([s, i]) => {
      settings.value = s;
      info.value = i;
      applyLanguage(s.uiLanguage);
    },
  );

  async function load(): Promise<void> {
    await loader.load();
  }

  async function refreshInfo(): Promise<void> {
    const fresh = await attempt(() => api.workspace.getInfo({}));
    if (fresh) info.value = fresh;
  }

  async function update(patch: { annotator?: string; uiLanguage?: UiLanguage }): Promise<boolean> {
    const before = settings.value;
    if (patch.uiLanguage) {
      applyLanguage(patch.uiLanguage);
      if (before) settings.value = { ...before, uiLanguage: patch.uiLanguage };
    }
    try {
      settings.value = await api.workspace.updateSettings(patch);
      applyLanguage(settings.value.uiLanguage);
      return true;
    } catch (err) {
      settings.value = before;
      if (before) applyLanguage(before.uiLanguage);
      useNoticeStore().error(err);
      return false;
    }
  }

  async function openWorkspace(folder: string): Promise<boolean> {
    const opened = await attempt(async () => {
      info.value = await api.workspace.openWorkspace({ folder });
      settings.value = await api.workspace.getSettings({});
      return true;
    });
    return opened ?? false;
  }

  /** Desktop: asks for the folder with the native dialog (the app names no path the user did not choose) and opens it. */
  async function chooseAndOpenWorkspace(title: string): Promise<boolean> {
    const { path } = (await attempt(() => host.showOpenDialog({ kind: 'folder', title }))) ?? { path: null };
    return path ? openWorkspace(path) : false;
  }

  return { settings, info, language, workspaceName, isDesktop, load, refreshInfo, update, openWorkspace, chooseAndOpenWorkspace };
});
