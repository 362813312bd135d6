import { onBeforeUnmount } from 'vue';
import { events } from '../api';

/** Handlers for the services' pushed events. */
export interface ServiceEventHandlers {
  readonly labels: () => void;
  readonly intents: () => void;
  readonly workspace: () => void;
}

/** Subscribes to label, intent and workspace changes while the calling component lives; bursts are coalesced. */
export function useServiceEvents(handlers: ServiceEventHandlers, delayMs = 300): void {
  const timers = new Map<keyof ServiceEventHandlers, ReturnType<typeof setTimeout>>();
  const soon = (key: keyof ServiceEventHandlers) => () => {
    if (timers.has(key)) return;
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        handlers[key]();
      }, delayMs),
    );
  };
  const offs = [
    events.on('onDidChangeLabels', soon('labels')),
    events.on('onDidChangeIntents', soon('intents')),
    events.on('onDidChangeWorkspace', soon('workspace')),
  ];
  onBeforeUnmount(() => {
    offs.forEach((off) => off());
    timers.forEach((t) => clearTimeout(t));
  });
}
