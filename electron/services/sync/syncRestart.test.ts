import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startPlatformProcess, type PlatformProcess } from '../../../platform/testPlatform';
import type { ServiceHost } from '../index';
import { WorkspaceStore } from '../store/workspaceStore';
import { FAST_SYNC, freePort, openTestApp, syncAndWait, TEST_TOKEN, waitUntil } from './testSync';

const TOTAL = 10_000;

let root: string;
let running: PlatformProcess | null = null;
let host: ServiceHost | null = null;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-sync-restart-'));
});

afterAll(async () => {
  await host?.close();
  await running?.stop('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

describe('sync while the platform process is killed and restarted', () => {
  it('resumes from the saved cursor with no duplicates and no gaps', async () => {
    const port = await freePort();
    const args = ['--data', join(root, 'platform'), '--port', String(port), '--token', TEST_TOKEN];
    running = await startPlatformProcess(args);
    const api = apiClient(running.url, TEST_TOKEN);
    expect((await api.call<{ lastSeq: number }>('POST', '/projects/demo/simulate', { calls: TOTAL })).json.lastSeq).toBe(TOTAL);

    host = await openTestApp(root, 'ws', 'alice', { ...FAST_SYNC, pageSize: 250 });
    await host.services.sync.connect({ url: running.url, token: TEST_TOKEN, project: 'demo' });
    const job = await host.services.sync.syncNow({});
    await waitUntil(async () => ((await host!.services.sync.getStatus({})).job?.callsPulled ?? 0) >= 2000);
    await running.stop('SIGKILL');
    const broken = await host.sync.whenJobEnds(job.jobId);
    expect(broken?.state).toBe('failed');
    expect(broken?.message).toMatch(/Cannot reach the platform|connection to .* broke/);

    const cut = await host.services.sync.getStatus({});
    expect(cut.connection).toBe('offline');
    const storedAtCut = (await host.services.workspace.getInfo({})).calls;
    expect(storedAtCut).toBe(cut.lastCallSeq);
    expect(storedAtCut).toBeGreaterThanOrEqual(2000);
    expect(storedAtCut).toBeLessThan(TOTAL);

    running = await startPlatformProcess(args);
    const resumed = await syncAndWait(host);
    expect(resumed.state).toBe('done');
    expect(resumed.callsPulled).toBe(TOTAL - storedAtCut);
    expect((await host.services.sync.getStatus({})).lastCallSeq).toBe(TOTAL);
    await host.close();
    host = null;

    const feedIds: string[] = [];
    let cursor = '';
    for (;;) {
      const page = await api.call<{ calls: { id: string }[]; nextCursor: string; hasMore: boolean }>('GET', `/projects/demo/calls?limit=2000&cursor=${cursor}`);
      feedIds.push(...page.json.calls.map((c) => c.id));
      cursor = page.json.nextCursor;
      if (!page.json.hasMore) break;
    }
    const store = await WorkspaceStore.open(join(root, 'ws'));
    expect(store.calls.callIds).toEqual(feedIds);
    expect(store.notices).toEqual([]);
    await store.close();
  });
});
