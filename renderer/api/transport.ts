import { errorData } from '../../shared/contract/errors';
import { errorName, sentence } from '../../shared/contract/errorWords';
import type { PreloadBridge } from '../../shared/contract/host';

/** How the renderer reaches the services: a raw envelope per call, and pushed events. */
export interface Transport {
  /** Where the services run: the desktop host (IPC) or a local HTTP bridge. */
  readonly kind: 'desktop' | 'browser';
  /** Calls `method` with `arg`; resolves to a raw envelope (unknown until checked), never rejects. */
  invoke(method: string, arg: unknown): Promise<unknown>;
  /** Subscribes to a service event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Browser mode: hears the event stream open (true) or drop (false), the first sign of a server gone or back. */
  onStream?(listener: (open: boolean) => void): () => void;
  /** Browser mode: resolves true when the server answers at all (any HTTP status), false when it cannot be reached. */
  probe?(): Promise<boolean>;
}

/** `details.reason` of the error a call answers when the Callsift server itself cannot be reached (browser mode). */
export const SERVER_UNREACHABLE = 'server_unreachable';

declare global {
  interface Window {
    callsift?: PreloadBridge;
  }
}

/** Wraps the preload bridge the desktop host exposes as `window.callsift`. */
export function createPreloadTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'desktop',
    invoke: (method, arg) => bridge.invoke(method, arg),
    on: (event, listener) => bridge.on(event, listener),
  };
}

/** Options of the HTTP transport; `fetchImpl` and `eventSourceFactory` default to the browser's. */
export interface HttpTransportOptions {
  readonly baseUrl?: string;
  readonly fetchImpl?: typeof fetch;
  readonly eventSourceFactory?: (url: string) => EventSource;
}

/** Talks to the HTTP bridge: `POST /rpc/<method>` for calls, `GET /events` (Server-Sent Events) for events. */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const makeSource = options.eventSourceFactory ?? ((url: string) => new EventSource(url));
  let source: EventSource | null = null;
  let listeners = 0;

  async function invoke(method: string, arg: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/rpc/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(arg ?? {}),
      });
    } catch (err) {
      return {
        ok: false,
        error: {
          ...errorData('io', sentence('server_unreachable', { detail: errorName(err) }), { reason: SERVER_UNREACHABLE }),
          message: `Cannot reach the Callsift server: ${err instanceof Error ? err.message : String(err)}`,
        },
      };
    }
    try {
      return (await response.json()) as unknown;
    } catch {
      return { ok: false, error: errorData('io', sentence('server_unreadable', { status: response.status })) };
    }
  }

  const streamListeners = new Set<(open: boolean) => void>();
  function openSource(): EventSource {
    if (source) return source;
    const created = makeSource(`${baseUrl}/events`);
    created.addEventListener('open', () => streamListeners.forEach((l) => l(true)));
    // EventSource reconnects by itself after an error; readyState says whether it is trying.
    created.addEventListener('error', () => {
      if (created.readyState !== 1) streamListeners.forEach((l) => l(false));
    });
    source = created;
    return created;
  }

  function on(event: string, listener: (payload: unknown) => void): () => void {
    openSource();
    listeners += 1;
    const handler = (message: MessageEvent): void => {
      listener(parseEventData(message.data));
    };
    const current = source!;
    current.addEventListener(event, handler as EventListener);
    return () => {
      current.removeEventListener(event, handler as EventListener);
      listeners -= 1;
      if (listeners === 0 && source === current) {
        current.close();
        source = null;
      }
    };
  }

  function onStream(listener: (open: boolean) => void): () => void {
    streamListeners.add(listener);
    return () => streamListeners.delete(listener);
  }

  async function probe(): Promise<boolean> {
    try {
      await doFetch(`${baseUrl}/`, { method: 'HEAD', cache: 'no-store' });
      return true;
    } catch {
      return false;
    }
  }

  return { kind: 'browser', invoke, on, onStream, probe };
}

function parseEventData(data: unknown): unknown {
  if (typeof data !== 'string' || data.length === 0) return {};
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return {};
  }
}

/** Picks the preload bridge when the desktop host provides one, the HTTP bridge otherwise. */
export function detectTransport(win: Window): Transport {
  return win.callsift ? createPreloadTransport(win.callsift) : createHttpTransport();
}
