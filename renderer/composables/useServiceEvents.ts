import { onBeforeUnmount } from 'vue';
import type { EventMap } from '../../shared/contract/services';
import { events } from '../api';

/** Handlers for the services' pushed events. */
export interface ServiceEventHandlers {
  readonly labels: () => void;
  readonly intents: () => void;
  readonly workspace: () => void;
  /** A new model version was saved and the ranked queues re-ranked. */
  readonly model: () => void;
  /** A training job advanced, finished or stopped; every event is handed over. */
  readonly trainProgress: (event: EventMap['onDidTrainProgress']) => void;
  /** The discovered clusters changed (a new run, or an action on a cluster). */
  readonly clusters?: () => void;
  /** A clustering job advanced, finished or stopped; every event is handed over. */
  readonly discoveryProgress?: (event: EventMap['onDidDiscoveryProgress']) => void;
}

type CoalescedKey = 'labels' | 'intents' | 'workspace' | 'model' | 'clusters';

/** Subscribes to the services' events while the calling component lives; bursts of change events are coalesced. */
export function useServiceEvents(handlers: ServiceEventHandlers, delayMs = 300): void {
  const timers = new Map<CoalescedKey, ReturnType<typeof setTimeout>>();
  const soon = (key: CoalescedKey) => () => {
    const handler = handlers[key];
    if (!handler || timers.has(key)) return;
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        handler();
      }, delayMs),
    );
  };
  const offs = [
    events.on('onDidChangeLabels', soon('labels')),
    events.on('onDidChangeIntents', soon('intents')),
    events.on('onDidChangeWorkspace', soon('workspace')),
    events.on('onDidModelChange', soon('model')),
    events.on('onDidTrainProgress', (event) => handlers.trainProgress(event)),
    events.on('onDidChangeClusters', soon('clusters')),
    events.on('onDidDiscoveryProgress', (event) => handlers.discoveryProgress?.(event)),
  ];
  onBeforeUnmount(() => {
    offs.forEach((off) => off());
    timers.forEach((t) => clearTimeout(t));
  });
}
