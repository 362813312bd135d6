import { createClient, createEvents, createHostClient, watchUnauthorized } from './client';
import { watchConnection } from './connection';
import { detectTransport } from './transport';

export { ClientError } from './client';
export type { Transport } from './transport';
export { SERVER_UNREACHABLE } from './transport';
export type { ConnectionState } from './connection';

const unauthorizedListeners = new Set<() => void>();
/** Whether the server can be reached (browser mode; the desktop app is always online). */
export const connection = watchConnection(detectTransport(window));
const transport = watchUnauthorized(connection.transport, () => unauthorizedListeners.forEach((listener) => listener()));

/**
 * Calls `listener` whenever the server answers that this page has no session (browser mode opened without the link
 * the server printed). Returns the function that stops listening.
 */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}


/** The typed client of every contract service. */
export const api = createClient(transport);
/** Native dialogs (desktop only). */
export const host = createHostClient(transport);
/** Service events. */
export const events = createEvents(transport);
/** True inside the desktop app, where native dialogs and file paths exist. */
export const isDesktop = transport.kind === 'desktop';
