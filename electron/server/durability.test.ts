import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, QueueItem, QueueSummary, WorkspaceInfo } from '../../shared/contract/dto';
import type { Envelope } from '../../shared/contract/errors';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from '../services/store/testCalls';
import { startServerProcess } from './testServer';

function value<T>(env: Envelope<T>): T {
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
  return env.value;
}

let root: string;
let workspace: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-durability-'));
  workspace = join(root, 'ws');
  await createTestWorkspace(workspace, makeTestIntents(['confirm', 'busy', 'deny']), makeTestCalls(300));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('durability of acknowledged labels', () => {
  it('keeps all 500 labels acknowledged over HTTP when the server is killed with SIGKILL', async () => {
    const args = ['--workspace', workspace, '--data-dir', join(root, 'data')];
    const first = await startServerProcess(args);
    const page = value(await first.call<Page<QueueItem>>('queue.getPage', { queue: 'unlabeled', limit: 600 }));
    expect(page.total).toBe(600);
    const intents = ['confirm', 'busy', 'deny'];
    const expected = new Map<string, string>();
    const items = page.items.slice(0, 500);
    // Eight annotators' worth of concurrent requests, so group commit is exercised too.
    for (let i = 0; i < items.length; i += 8) {
      await Promise.all(
        items.slice(i, i + 8).map(async (item, j) => {
          const intentId = intents[(i + j) % 3]!;
          value(await first.call('label.setLabel', { utteranceId: item.id, target: { kind: 'intent', intentId } }));
          expected.set(item.id, intentId);
        }),
      );
    }
    await first.stop('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await startServerProcess(args);
    try {
      const queues = value(await second.call<QueueSummary[]>('queue.listQueues', {}));
      expect(queues.find((q) => q.id === 'recent')!.count).toBe(500);
      const recent = value(await second.call<Page<QueueItem>>('queue.getPage', { queue: 'recent', limit: 1000 }));
      const found = new Map(recent.items.map((it) => [it.id, it.label?.target.kind === 'intent' ? it.label.target.intentId : null]));
      expect(found).toEqual(expected);
    } finally {
      await second.stop();
    }
  });

  it('reports a corrupt snapshot in words and recovers every journaled label', async () => {
    const args = ['--workspace', workspace, '--data-dir', join(root, 'data')];
    const snapshot = join(workspace, 'labels', 'snapshot.json');
    const text = await readFile(snapshot, 'utf8');
    await writeFile(snapshot, text.slice(0, 100) + '\u0000garbage');
    const server = await startServerProcess(args);
    try {
      const info = value(await server.call<WorkspaceInfo>('workspace.getInfo', {}));
      expect(info.labeled).toBe(500);
      expect(info.recovery.some((n) => n.file === 'labels/snapshot.json' && /damaged/.test(n.message))).toBe(true);
      expect(server.output()).toMatch(/Recovered labels\/snapshot\.json: The label snapshot could not be used: it is damaged/);
    } finally {
      await server.stop();
    }
  });

  it('refuses a second process on the same workspace naming the first, and lets a new one in after the first is killed', async () => {
    const first = await startServerProcess(['--workspace', workspace, '--data-dir', join(root, 'data')]);
    let second: Awaited<ReturnType<typeof startServerProcess>> | null = null;
    try {
      const refused = await startServerProcess(['--workspace', workspace, '--data-dir', join(root, 'data-2')]).then(
        () => null,
        (err: unknown) => (err as Error).message,
      );
      expect(refused).toMatch(new RegExp(`Callsift could not start: This workspace is already open in another Callsift process \\(browser mode, pid ${first.child.pid}, started `));
      await first.stop('SIGKILL');
      second = await startServerProcess(['--workspace', workspace, '--data-dir', join(root, 'data-2')]);
      const info = value(await second.call<WorkspaceInfo>('workspace.getInfo', {}));
      expect(info.labeled).toBe(500);
      const notice = info.recovery.find((n) => n.file === '.callsift.lock');
      expect(notice?.message).toMatch(new RegExp(`pid ${first.child.pid}.*no longer running`));
    } finally {
      await first.stop('SIGKILL');
      await second?.stop();
    }
  });
});
