import { appendFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../../platform/server';
import { apiClient } from '../../../platform/testPlatform';
import { ConflictBook } from './conflictBook';
import { outboxLabelsOf, pushOutbox } from './labelExchange';
import { Outbox, type OutboxLabel, type QueuedLabel } from './outbox';
import { PlatformClient } from './platformClient';
import { FileSecretStore } from './secretStore';
import { SyncStateFile } from './syncState';
import { useSimulatedPlatform } from './testPlatformHooks';
import { TEST_TOKEN } from './testSync';

let root: string;
let platform: Platform;

useSimulatedPlatform('callsift-outbox-', 5, (folder, started) => {
  root = folder;
  platform = started;
});

const label = (n: number, intent: string | null = null): OutboxLabel => ({ id: `label-${String(n).padStart(4, '0')}-uuid`, utteranceId: `call-00000001#1`, intent, annotator: 'eve', labeledAt: 1000 + n });
const queued = (n: number): QueuedLabel => ({ label: label(n), seq: n });

describe('Outbox', () => {
  it('survives a reopen: pending labels stay in order, acknowledged ones are gone, a torn last line is dropped', async () => {
    const dir = join(root, 'reopen');
    const outbox = await Outbox.open(dir);
    await outbox.add([queued(1), queued(2), queued(3)]);
    await outbox.ack([label(2).id]);
    await outbox.markThrough(7);
    await outbox.close();
    await appendFile(join(dir, 'outbox.jsonl'), '{"add":{"id":"torn');
    const again = await Outbox.open(dir);
    expect(again.peek(10).map((l) => l.id)).toEqual([label(1).id, label(3).id]);
    expect(again.through).toBe(7);
    expect(await readFile(join(dir, 'outbox.jsonl'), 'utf8')).not.toContain('torn');
    await again.add([queued(1), queued(9)]);
    expect(again.size).toBe(3);
    await again.close();
  });

  it('counts a duplicate answer as delivered, so a label whose acknowledgement was lost is stored once', async () => {
    const dir = join(root, 'dup');
    const outbox = await Outbox.open(dir);
    const labels = [label(10), label(11)];
    await outbox.add([queued(10), queued(11)]);
    const api = apiClient(platform.url, TEST_TOKEN);
    await api.call('POST', '/projects/demo/labels', { labels: [labels[0]] });
    const delivered = await pushOutbox({
      client: new PlatformClient(platform.url, TEST_TOKEN),
      project: 'demo',
      outbox,
      conflicts: await ConflictBook.open(dir),
      state: await SyncStateFile.open(dir),
      batchSize: 1,
    });
    expect(delivered).toBe(2);
    expect(outbox.size).toBe(0);
    const stored = (await api.call<{ labels: { id: string }[] }>('GET', '/projects/demo/labels?since=0')).json.labels.filter((l) => l.id.startsWith('label-001'));
    expect(stored.map((l) => l.id)).toEqual([label(10).id, label(11).id]);
    await outbox.close();
  });

  it('queues only what a person did that the platform can hold, each under an id made from its journal position', () => {
    const base = { utteranceId: 'c#1', before: null, annotator: 'eve', at: 5, actionId: 'a' } as const;
    const out = outboxLabelsOf(
      [
        { ...base, seq: 1, after: { kind: 'intent', intentId: 'x' }, source: 'manual' },
        { ...base, seq: 2, after: { kind: 'none' }, source: 'bulk' },
        { ...base, seq: 3, after: { kind: 'badTranscript' }, source: 'manual' },
        { ...base, seq: 4, after: null, source: 'undo' },
        { ...base, seq: 5, after: { kind: 'intent', intentId: 'y' }, source: 'import' },
        { ...base, seq: 6, after: { kind: 'intent', intentId: 'z' }, source: 'merge' },
      ],
      'link-1',
    );
    expect(out).toEqual([
      { seq: 1, label: { id: 'link-1-1', utteranceId: 'c#1', intent: 'x', annotator: 'eve', labeledAt: 5 } },
      { seq: 2, label: { id: 'link-1-2', utteranceId: 'c#1', intent: null, annotator: 'eve', labeledAt: 5 } },
      { seq: 6, label: { id: 'link-1-6', utteranceId: 'c#1', intent: 'z', annotator: 'eve', labeledAt: 5 } },
    ]);
  });
});

describe('FileSecretStore', () => {
  it('keeps secrets in a 0600 file and forgets them', async () => {
    const secrets = FileSecretStore.inDataDir(join(root, 'data'));
    expect(await secrets.get('k')).toBeNull();
    await Promise.all([secrets.set('k', 'v1'), secrets.set('other', 'v2')]);
    expect(await secrets.get('k')).toBe('v1');
    expect(await secrets.get('other')).toBe('v2');
    expect((await stat(secrets.path)).mode & 0o777).toBe(0o600);
    await secrets.delete('k');
    expect(await secrets.get('k')).toBeNull();
    expect(await secrets.get('other')).toBe('v2');
  });
});
