import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Call, Intent } from '../../shared/domain/types';
import { createServiceHost, type ServiceHost, type ServiceHostOptions } from './index';
import { createTestWorkspace } from './store/testCalls';

/** Opens a service host on a test root's workspace `<root>/ws`, its data in `<root>/data`. */
export function openHostIn(root: string, options: Omit<ServiceHostOptions, 'dataDir'> = {}): Promise<ServiceHost> {
  return createServiceHost({ dataDir: join(root, 'data'), workspaceFolder: join(root, 'ws'), ...options });
}

/**
 * For service tests: a fresh temp folder (`prefix` + random) with a closed test workspace `ws` holding `intents` and
 * `calls`, and a service host opened on it.
 */
export async function openTestHost(prefix: string, intents: Intent[], calls: readonly Call[]): Promise<{ root: string; workspace: string; host: ServiceHost }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const workspace = join(root, 'ws');
  await createTestWorkspace(workspace, intents, calls);
  return { root, workspace, host: await openHostIn(root) };
}

/** Closes a test's service host and deletes its temp folder. */
export async function closeTestHost(host: ServiceHost | undefined, root: string): Promise<void> {
  await host?.close();
  await rm(root, { recursive: true, force: true });
}
