import { SERVER_UNREACHABLE, type Transport } from './transport';

export type ConnectionState = 'online' | 'offline';

/** Whether the Callsift server can be reached, told to listeners as it changes. */
export interface ConnectionWatch {
  readonly state: () => ConnectionState;
  on(listener: (state: ConnectionState) => void): () => void;
  /** The transport whose calls tell the watch when the server is gone or back. */
  readonly transport: Transport;
}

export interface ConnectionWatchOptions {
  /** How often to look for the server while it is gone. */
  readonly retryMs?: number;
  readonly setTimer?: (run: () => void, ms: number) => unknown;
}

function isUnreachable(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const e = (raw as { ok?: unknown; error?: { details?: { reason?: unknown } } }).error;
  return (raw as { ok?: unknown }).ok === false && e?.details?.reason === SERVER_UNREACHABLE;
}

/**
 * Watches a browser-mode transport: a call that cannot reach the server, or the event stream dropping, says the
 * server is gone at once; then the server is probed every `retryMs` until it answers (or the stream reopens, or a
 * call gets through). The desktop transport never goes offline.
 */
export function watchConnection(inner: Transport, options: ConnectionWatchOptions = {}): ConnectionWatch {
  const retryMs = options.retryMs ?? 2000;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const listeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'online';
  let probing = false;

  function set(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    listeners.forEach((l) => l(state));
    if (state === 'offline') scheduleProbe();
  }

  function scheduleProbe(): void {
    if (probing || !inner.probe) return;
    probing = true;
    setTimer(() => {
      void inner.probe!().then((up) => {
        probing = false;
        if (up) set('online');
        else if (state === 'offline') scheduleProbe();
      });
    }, retryMs);
  }

  inner.onStream?.((open) => set(open ? 'online' : 'offline'));

  const transport: Transport = {
    ...inner,
    kind: inner.kind,
    on: (event, listener) => inner.on(event, listener),
    async invoke(method, arg) {
      const raw = await inner.invoke(method, arg);
      set(isUnreachable(raw) ? 'offline' : 'online');
      return raw;
    },
  };
  return {
    state: () => state,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    transport,
  };
}
