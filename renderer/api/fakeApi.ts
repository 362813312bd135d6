import type { ConnectionState, ConnectionWatch } from './connection';
import { createClient, createEvents, createHostClient } from './client';
import { createFakeTransport, type FakeHandlers } from './fakeTransport';

/**
 * What `renderer/api/index.ts` exports, for store and component tests: the real typed client over a fake transport.
 * A test replaces the module with `vi.mock('../api', () => import('../api/fakeApi'))`, then sets the answers with
 * `serve` and the connection with `setOnline`.
 */
// One object the transport reads at each call, so `serve` can swap its answers.
const current: { handlers: FakeHandlers } = { handlers: {} };
const handlers = new Proxy({} as FakeHandlers, {
  get: (_target, method) => (typeof method === 'string' ? (current.handlers as Record<string, unknown>)[method] : undefined),
});
/** The transport under `api`: its `calls` record every call, `emit` pushes an event. */
export const transport = createFakeTransport(handlers);

let state: ConnectionState = 'online';
const connectionListeners = new Set<(state: ConnectionState) => void>();
export const connection: ConnectionWatch = {
  state: () => state,
  on(listener) {
    connectionListeners.add(listener);
    return () => connectionListeners.delete(listener);
  },
  transport,
};

export const api = createClient(transport);
export const host = createHostClient(transport);
export const events = createEvents(transport);
export const isDesktop = false;
export { ClientError } from './client';
export { SERVER_UNREACHABLE } from './transport';

/** Replaces every answer with `next`; calls of methods it lacks answer `unknown_method`. */
export function serve(next: FakeHandlers): void {
  current.handlers = next;
  transport.calls.length = 0;
}

/** Takes the server away (false) or brings it back, as the connection watch would tell the stores. */
export function setOnline(online: boolean): void {
  state = online ? 'online' : 'offline';
  connectionListeners.forEach((listener) => listener(state));
}

/** Stands in for `onUnauthorized`. */
export function onUnauthorized(): () => void {
  return () => undefined;
}
