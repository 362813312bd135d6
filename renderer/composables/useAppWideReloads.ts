import { onMounted, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { isRankedQueue } from './queueReason';
import { useServiceEvents } from './useServiceEvents';
import { useCallStore } from '../stores/calls';
import { useConnectionStore } from '../stores/connection';
import { useDiscoveryStore } from '../stores/discovery';
import { useIntentStore } from '../stores/intents';
import { useLabelingStore } from '../stores/labeling';
import { useNoticeStore } from '../stores/notices';
import { useModelStore } from '../stores/model';
import { useQueueStore } from '../stores/queue';
import { useSettingsStore } from '../stores/settings';
import { useViewStore } from '../stores/view';

/**
 * The app-wide rules for keeping the stores true: what is loaded at start, and which stores read again when the
 * services say labels, intents, the workspace, the model or the clusters changed, or when the server is back after
 * being out of reach. Call once, from the app shell.
 */
export function useAppWideReloads(): void {
  const view = useViewStore();
  const settings = useSettingsStore();
  const intents = useIntentStore();
  const queue = useQueueStore();
  const labeling = useLabelingStore();
  const calls = useCallStore();
  const model = useModelStore();
  const discovery = useDiscoveryStore();
  const connection = useConnectionStore();
  const { t } = useI18n();

  function onLabelsChanged(): void {
    void queue.refresh();
    labeling.invalidate();
    void discovery.onLabelsChanged();
  }
  function onIntentsChanged(): void {
    void intents.load();
  }

  // The server is back: say so once, forget the failed-save state (those items are back in the queue, never shown as
  // saved), and read again what may have changed while it was gone.
  watch(
    () => connection.reconnects,
    () => {
      useNoticeStore().success(t('connection.back'));
      labeling.clearFailed();
      onLabelsChanged();
      onIntentsChanged();
    },
  );

  onMounted(async () => {
    await settings.load();
    await Promise.all([intents.load(), queue.refresh(), model.load()]);
  });

  useServiceEvents({
    labels: onLabelsChanged,
    intents: onIntentsChanged,
    workspace: () => {
      labeling.reset();
      void settings.load();
      intents.forgetKeyMap();
      void intents.load();
      void queue.refresh();
      void queue.reloadList();
      void calls.loadCampaigns();
      if (view.view === 'label') void labeling.start(view.route.queue);
      void model.load();
      if (discovery.loaded) void discovery.reset();
    },
    model: () => {
      void queue.refresh();
      if (isRankedQueue(queue.selected)) void queue.reloadList();
      if (isRankedQueue(labeling.queue)) labeling.invalidate();
      void model.onModelChange();
    },
    trainProgress: (event) => model.onTrainProgress(event),
    clusters: () => {
      if (discovery.loaded) void discovery.load();
    },
    discoveryProgress: (event) => discovery.onProgress(event),
  });
}
