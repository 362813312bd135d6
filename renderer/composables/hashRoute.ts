import type { QueueId } from '../../shared/contract/dto';

export type ViewName = 'inbox' | 'label' | 'intents' | 'discovery' | 'calls' | 'models' | 'settings';

export const viewNames: readonly ViewName[] = ['inbox', 'label', 'intents', 'discovery', 'calls', 'models', 'settings'];

const queueIds: readonly QueueId[] = ['unlabeled', 'recent', 'uncovered', 'informative', 'mislabeled', 'disagreements'];

/** Where the UI is: a view and, for Label and Inbox, a queue; for Calls, an open call. */
export interface Route {
  readonly view: ViewName;
  readonly queue: QueueId;
  readonly callId: string | null;
}

/** Reads a location hash such as `#/label/recent` or `#/calls/c17`; unknown hashes go to the inbox. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p.length > 0).map((p) => decodeURIComponent(p));
  const [head, arg] = parts;
  const view = viewNames.find((v) => v === head) ?? 'inbox';
  const queue: QueueId = queueIds.find((q) => q === arg) ?? 'unlabeled';
  return { view, queue: view === 'label' || view === 'inbox' ? queue : 'unlabeled', callId: view === 'calls' && arg ? arg : null };
}

/** Writes a route as a location hash; the inverse of parseHash. */
export function formatHash(route: Route): string {
  if (route.view === 'label' || route.view === 'inbox') return route.queue === 'unlabeled' ? `#/${route.view}` : `#/${route.view}/${route.queue}`;
  if (route.view === 'calls' && route.callId) return `#/calls/${encodeURIComponent(route.callId)}`;
  return `#/${route.view}`;
}
