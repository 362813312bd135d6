import { createClient, createEvents, createHostClient } from './client';
import { detectTransport } from './transport';

export { ClientError } from './client';
export type { Transport } from './transport';

const transport = detectTransport(window);

/** The typed client of every contract service. */
export const api = createClient(transport);
/** Native dialogs (desktop only). */
export const host = createHostClient(transport);
/** Service events. */
export const events = createEvents(transport);
/** True inside the desktop app, where native dialogs and file paths exist. */
export const isDesktop = transport.kind === 'desktop';
