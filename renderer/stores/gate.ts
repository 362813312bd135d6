import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { GateCheck, PinnedCase, WatchReport } from '../../shared/contract/dto';
import { api } from '../api';
import { useModelPushStore } from './modelPush';
import { useNoticeStore } from './notices';
import { keyedRead } from './storeLoad';

/** The release gate: the check of the selected version against the pinned cases, and the watch after activation. */
export const useGateStore = defineStore('gate', () => {
  const check = ref<GateCheck | null>(null);
  const checking = ref(false);
  const watch = ref<WatchReport | null>(null);
  const checkRead = keyedRead(check, checking, (version: number) => api.gate.checkVersion({ version }));

  /** Pins an utterance with the intent it must keep; the pinned case, or null when it could not be pinned (a notice says why). */
  async function pin(utteranceId: string, intentId: string): Promise<PinnedCase | null> {
    try {
      return await api.gate.pinCase({ utteranceId, intentId });
    } catch (err) {
      useNoticeStore().error(err);
      return null;
    }
  }

  /** Checks local version `version` against the pinned cases; null clears the check. */
  async function checkVersion(version: number | null): Promise<void> {
    await checkRead.read(version);
  }

  /**
   * Reads the watch of the platform's active version. The watch reads the platform's registry; when that says another
   * version is active (or activated at another time) than the version list shows, someone activated or rolled back
   * elsewhere, and the version list is read again so the view never shows two different active versions.
   */
  async function loadWatch(): Promise<void> {
    try {
      const report = await api.gate.getWatch({});
      watch.value = report;
      const push = useModelPushStore();
      const shown = push.registry;
      if (shown !== null && (shown.active !== report.activeVersion || shown.activatedAt !== report.activatedAt)) await push.refresh();
    } catch (err) {
      useNoticeStore().error(err);
    }
  }

  /**
   * Whether the override (a push over the gate with a note) is offered for local version `version`: the gate holds it
   * back (its check failed, or a push of it was refused) and it is not on the platform yet. Once pushed over the gate,
   * the box and the refusal go; the note is in the version history.
   */
  function overrideOffered(version: number): boolean {
    const push = useModelPushStore();
    // The comparison knows by the artifact's hash; without one, the registry's note of the local version it came from.
    const compared = push.comparison?.localVersion === version ? push.comparison : null;
    const onPlatform = compared ? compared.pushedAs !== null : push.registry?.models.some((m) => m.localVersion === version) === true;
    if (onPlatform) return false;
    return (check.value?.version === version && !check.value.passed) || push.blocked !== null;
  }

  /** Sets the watch's threshold (share points, in [0,1]) and reads the watch again. */
  async function setThreshold(maxChange: number): Promise<void> {
    try {
      await api.gate.setWatchSettings({ maxChange });
      await loadWatch();
    } catch (err) {
      useNoticeStore().error(err);
    }
  }

  return { check, checking, watch, pin, checkVersion, loadWatch, overrideOffered, setThreshold };
});
