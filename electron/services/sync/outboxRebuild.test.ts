import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../../platform/server';
import { apiClient } from '../../../platform/testPlatform';
import type { ServiceHost } from '../index';
import { WorkspaceStore } from '../store/workspaceStore';
import { useSimulatedPlatform } from './testPlatformHooks';
import { openTestApp, syncAndWait, TEST_TOKEN } from './testSync';

let root: string;
let platform: Platform;

useSimulatedPlatform('callsift-outbox-rebuild-', 40, (folder, started) => {
  root = folder;
  platform = started;
});

async function platformLabels(): Promise<{ id: string; utteranceId: string; intent: string | null; annotator: string }[]> {
  const res = await apiClient(platform.url, TEST_TOKEN).call<{ labels: { id: string; utteranceId: string; intent: string | null; annotator: string }[] }>(
    'GET',
    '/projects/demo/labels?since=0&limit=5000',
  );
  return res.json.labels;
}

/** Utterance ids of the outbox file's add lines, once per line. */
function queuedIn(outbox: string): string[] {
  return outbox
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { add?: { utteranceId: string } }).add?.utteranceId)
    .filter((id): id is string => id !== undefined);
}

describe('acknowledged means delivered', () => {
  it('queues at the next open every acknowledged label whose outbox entry a crash kept from being written, and sends each once', async () => {
    let host: ServiceHost = await openTestApp(root, 'ws', 'alice');
    await host.services.sync.connect({ url: platform.url, token: TEST_TOKEN, project: 'demo' });
    expect((await syncAndWait(host)).state).toBe('done');
    const intent = (await host.services.intent.listIntents({}))[0]!.id;
    const unlabeled = (await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 30 })).items.map((i) => i.id);
    expect(unlabeled.length).toBeGreaterThanOrEqual(10);
    for (const id of unlabeled.slice(0, 3)) await host.services.label.setLabel({ utteranceId: id, target: { kind: 'intent', intentId: intent }, source: 'manual' });
    await host.sync.whenOutboxSent();
    await host.close();

    // As after kill -9 between the journal's fsync (the label shown as saved) and the outbox write: the journal holds
    // labels the outbox never heard of. Labeling through the store alone leaves exactly that state.
    const store = await WorkspaceStore.open(join(root, 'ws'));
    const ctx = { annotator: 'alice', source: 'manual' as const, actionId: 'offline-crash' };
    const crashed = unlabeled.slice(3, 8);
    for (const id of crashed) await store.applyLabelChanges([{ utterance: store.calls.findUtterance(id)!, target: { kind: 'intent', intentId: intent } }], ctx);
    await store.applyLabelChanges([{ utterance: store.calls.findUtterance(unlabeled[9]!)!, target: { kind: 'badTranscript' } }], ctx);
    await store.close();
    const outboxBefore = await readFile(join(root, 'ws', 'sync', 'outbox.jsonl'), 'utf8');
    expect(crashed.some((id) => outboxBefore.includes(id))).toBe(false);

    host = await openTestApp(root, 'ws', 'alice');
    expect(queuedIn(await readFile(join(root, 'ws', 'sync', 'outbox.jsonl'), 'utf8'))).toEqual(expect.arrayContaining(crashed));
    expect((await syncAndWait(host)).state).toBe('done');
    expect((await host.services.sync.getStatus({})).pendingLabels).toBe(0);
    await host.close();

    // A second crash that loses the outbox's acknowledgements: the same labels are queued again, under the same ids,
    // and the platform still holds each once.
    await writeFile(join(root, 'ws', 'sync', 'outbox.jsonl'), outboxBefore);
    host = await openTestApp(root, 'ws', 'alice');
    expect(queuedIn(await readFile(join(root, 'ws', 'sync', 'outbox.jsonl'), 'utf8')).filter((id) => crashed.includes(id))).toHaveLength(5);
    expect((await syncAndWait(host)).state).toBe('done');
    expect((await host.services.sync.getStatus({})).pendingLabels).toBe(0);
    await host.close();

    const stored = (await platformLabels()).filter((l) => l.annotator === 'alice');
    const byUtterance = new Map<string, number>();
    for (const l of stored) byUtterance.set(l.utteranceId, (byUtterance.get(l.utteranceId) ?? 0) + 1);
    for (const id of unlabeled.slice(0, 8)) expect(byUtterance.get(id)).toBe(1);
    expect(byUtterance.has(unlabeled[9]!)).toBe(false);
    expect(stored).toHaveLength(8);
  });
});
