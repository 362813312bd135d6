import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { EventMap } from '../../../shared/contract/services';
import { createServiceHost, type ServiceHost } from '../index';
import type { SyncOptions } from '../syncService';

export const TEST_TOKEN = 'test-token-0123456789';

/** Quick timeouts and backoff so fault tests run in seconds. */
export const FAST_SYNC: Omit<SyncOptions, 'secrets'> = {
  client: { timeoutMs: 1500, retries: 0, retryDelayMs: 20 },
  backoff: { baseMs: 50, maxMs: 400 },
  pushDelayMs: 20,
};

/** Opens an app (service host) on a new, empty workspace `${root}/${name}` with annotator `annotator`. */
export async function openTestApp(root: string, name: string, annotator: string, sync: Omit<SyncOptions, 'secrets'> = FAST_SYNC): Promise<ServiceHost> {
  const host = await createServiceHost({ dataDir: join(root, `${name}-data`), workspaceFolder: join(root, name), retrainAfterLabels: 0, sync });
  await host.services.workspace.updateSettings({ annotator });
  return host;
}

/** Starts a sync and waits for it to end; returns its last progress event. */
export async function syncAndWait(host: ServiceHost): Promise<EventMap['onDidSyncProgress']> {
  const job = await host.services.sync.syncNow({});
  const end = await host.sync.whenJobEnds(job.jobId);
  if (!end) throw new Error('the sync job vanished');
  return end;
}

/** Polls `check` every 20 ms until it is true or `ms` pass. */
export async function waitUntil(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A loopback port that was free a moment ago (for restarting a server on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
