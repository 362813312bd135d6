import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '../../shared/contract/dto';
import type { Call } from '../../shared/domain/types';
import { ZH_KNOWN, ZH_THEMES } from '../../shared/ml/discovery/handMadeSets';
import { createServiceHost, type ServiceHost } from './index';
import { createTestWorkspace, makeOneTurnCall, makeTestIntents } from './store/testCalls';

/**
 * A crash in the middle of each multi-step action, made exact: the action runs, the process "dies" (ServiceHost.crash:
 * nothing more is written), then the files are put in the state a kill -9 at that moment leaves:
 * - 'mid-write': the action's journal write was cut part-way (it was never acknowledged), so the files written after
 *   the commit (workspace.json, clusters.json, a shard's final index) are as they were before;
 * - 'after-commit': the journal write is whole, but nothing written after it reached the disk.
 * After reopening, the action must be there entirely or not at all.
 */
type CrashPoint = 'mid-write' | 'after-commit';

const CATCHING_UP = ['workspace.json', 'workspace.prev.json', 'discovery/clusters.json'];

let root: string;
let folder: string;
let host: ServiceHost;

const open = (): Promise<ServiceHost> => createServiceHost({ dataDir: join(root, 'data'), workspaceFolder: folder, retrainAfterLabels: 0 });

const call = makeOneTurnCall;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-atomic-'));
  folder = join(root, 'ws');
  const calls: Call[] = [];
  for (const [intent, texts] of ZH_KNOWN) texts.forEach((t, i) => calls.push(call(`k-${intent}-${i}`, t, intent)));
  ZH_THEMES.forEach((texts, theme) => texts.forEach((t, i) => calls.push(call(`u-${theme}-${i}`, t, null))));
  await createTestWorkspace(folder, makeTestIntents(ZH_KNOWN.map(([id]) => id)), calls);
  host = await open();
  for (const [intent, texts] of ZH_KNOWN) {
    await host.services.label.bulkLabel({ utteranceIds: texts.map((_, i) => `k-${intent}-${i}#1`), target: { kind: 'intent', intentId: intent } });
  }
});

afterEach(async () => {
  await host.close();
  await rm(root, { recursive: true, force: true });
});

/** The newest journal segment's path. */
async function currentSegment(): Promise<string> {
  const names = (await readdir(join(folder, 'labels'))).filter((n) => n.startsWith('journal-')).sort();
  return join(folder, 'labels', names.at(-1)!);
}

/** Runs `action`, crashes at `point` and reopens. */
async function crashDuring(point: CrashPoint, action: () => Promise<unknown>): Promise<void> {
  const saved = join(root, 'before');
  for (const rel of CATCHING_UP) await cp(join(folder, rel), join(saved, rel)).catch(() => undefined);
  const indexesBefore = new Set(await readdir(join(folder, 'calls')));
  const segment = await currentSegment();
  const sizeBefore = (await stat(segment)).size;
  await action();
  await host.crash();
  const written = (await stat(segment)).size;
  expect(written).toBeGreaterThan(sizeBefore);
  if (point === 'mid-write') {
    const lines = (await readFile(segment, 'utf8')).slice(sizeBefore).split('\n').filter(Boolean);
    // A multi-record action ends in its commit record; cut inside it, keeping some whole records of the action.
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ k: 'commit' });
    const keep = lines.slice(0, Math.max(1, Math.floor(lines.length / 2))).join('\n').length + 1;
    await truncate(segment, sizeBefore + keep + 5);
  }
  for (const rel of CATCHING_UP) await cp(join(saved, rel), join(folder, rel)).catch(() => undefined);
  // An import's new shard indexes are marked committed only after the journal commit: at the crash they were still staged.
  for (const name of await readdir(join(folder, 'calls'))) {
    if (indexesBefore.has(name) || !name.startsWith('index-')) continue;
    const index = JSON.parse(await readFile(join(folder, 'calls', name), 'utf8')) as Record<string, unknown>;
    await writeFile(join(folder, 'calls', name), JSON.stringify({ ...index, txn: 'import-crashed' }));
  }
  await rm(saved, { recursive: true, force: true });
  host = await open();
}

async function labelOf(utteranceId: string): Promise<string | null> {
  const at = utteranceId.lastIndexOf('#');
  const detail = await host.services.call.getCall({ callId: utteranceId.slice(0, at) });
  const target = detail.labels[Number(utteranceId.slice(at + 1))]?.target;
  return target ? (target.kind === 'intent' ? target.intentId : target.kind) : null;
}

async function clusters(): Promise<readonly ClusterSummary[]> {
  await host.services.discovery.run({});
  await host.discovery.whenIdle();
  return host.services.discovery.listClusters({ sort: 'size', includeClosed: false });
}

const memberIds = async (clusterId: string): Promise<string[]> => (await host.services.discovery.getMembers({ clusterId, offset: 0, limit: 500 })).items.map((m) => m.utteranceId);

describe('multi-step actions are whole or absent after a crash', () => {
  for (const point of ['mid-write', 'after-commit'] as const) {
    it(`intent merge, crash ${point}`, async () => {
      const [source, target] = [ZH_KNOWN[0]![0], ZH_KNOWN[1]![0]];
      await crashDuring(point, () => host.services.intent.mergeIntents({ sourceId: source, targetId: target }));
      const intents = await host.services.intent.listIntents({});
      const src = intents.find((i) => i.id === source)!;
      if (point === 'mid-write') {
        expect(src.status).toBe('active');
        expect(await labelOf(`k-${source}-0#1`)).toBe(source);
      } else {
        expect(src).toMatchObject({ status: 'deprecated', mergedInto: target });
        expect(await labelOf(`k-${source}-0#1`)).toBe(target);
      }
      expect(intents.find((i) => i.id === target)!.labeled).toBe(point === 'mid-write' ? ZH_KNOWN[1]![1].length : ZH_KNOWN[0]![1].length + ZH_KNOWN[1]![1].length);
    });

    it(`discovery accept, crash ${point}; a retry then succeeds once`, async () => {
      const [first] = await clusters();
      const members = await memberIds(first!.id);
      await crashDuring(point, () => host.services.discovery.acceptCluster({ clusterId: first!.id, name: '天气查询', description: '' }));
      const named = (await host.services.intent.listIntents({})).filter((i) => i.name === '天气查询');
      const open = await host.services.discovery.listClusters({ sort: 'size', includeClosed: true });
      const cluster = open.find((c) => c.id === first!.id)!;
      if (point === 'mid-write') {
        expect(named).toEqual([]);
        expect(cluster.status).toBe('open');
        expect(await labelOf(members[0]!)).toBeNull();
      } else {
        expect(named).toHaveLength(1);
        expect(named[0]!.labeled).toBe(members.length);
        expect(cluster).toMatchObject({ status: 'accepted', intentId: named[0]!.id });
      }
      const retry = await host.services.discovery.acceptCluster({ clusterId: first!.id, name: '天气查询', description: '' });
      const after = (await host.services.intent.listIntents({})).filter((i) => i.name === '天气查询');
      expect(after).toHaveLength(1);
      expect(after[0]!.labeled).toBe(members.length);
      expect(retry.intent?.id).toBe(after[0]!.id);
      expect(await labelOf(members[0]!)).toBe(after[0]!.id);
    });

    it(`discovery merge and dismiss, crash ${point}`, async () => {
      const [first, second] = await clusters();
      const [a, b] = [await memberIds(first!.id), await memberIds(second!.id)];
      const target = ZH_KNOWN[2]![0];
      await host.services.discovery.dismissCluster({ clusterId: second!.id });
      await crashDuring(point, () => host.services.discovery.mergeCluster({ clusterId: first!.id, intentId: target }));
      const all = await host.services.discovery.listClusters({ sort: 'size', includeClosed: true });
      expect(all.find((c) => c.id === second!.id)!.status).toBe('dismissed');
      expect(await labelOf(b[0]!)).toBe('none');
      const merged = all.find((c) => c.id === first!.id)!;
      expect(merged.status).toBe(point === 'mid-write' ? 'open' : 'merged');
      expect(await labelOf(a[0]!)).toBe(point === 'mid-write' ? null : target);
    });

    it(`import batch with labels and a new intent, crash ${point}`, async () => {
      const file = join(root, 'batch.jsonl');
      const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ text: `我想改一下还款日期 ${i}`, intent: '改还款日' }));
      await writeFile(file, rows.join('\n') + '\n');
      const before = (await host.services.workspace.getInfo({})).calls;
      await crashDuring(point, () => host.services.transfer.importFile({ path: file }));
      const info = await host.services.workspace.getInfo({});
      const created = (await host.services.intent.listIntents({})).filter((i) => i.name === '改还款日');
      if (point === 'mid-write') {
        expect(info.calls).toBe(before);
        expect(created).toEqual([]);
        expect(info.recovery.map((n) => n.message).join('\n')).toMatch(/An import was interrupted before this part of it was saved: calls\/shard-\d+\.json \(12 calls\) was moved to recovery\//);
        const again = await host.services.transfer.importFile({ path: file });
        expect(again).toMatchObject({ callsImported: 12, labelsImported: 12 });
      } else {
        expect(info.calls).toBe(before + 12);
        expect(created).toHaveLength(1);
        expect(created[0]!.labeled).toBe(12);
        expect((await host.services.transfer.importFile({ path: file })).callsImported).toBe(0);
      }
    });
  }

  it('undoing an intent merge undoes only the merge: an intent created after it, and its labels, stay', async () => {
    const [a, b] = [ZH_KNOWN[0]![0], ZH_KNOWN[1]![0]];
    const bExamplesBefore = (await host.services.intent.listIntents({})).find((i) => i.id === b)!.examples;
    const merge = await host.services.intent.mergeIntents({ sourceId: a, targetId: b });
    const n = await host.services.intent.createIntent({ name: '新意图', description: 'after the merge', examples: ['新的例句'], status: 'active' });
    const free = `u-0-0#1`;
    await host.services.label.setLabel({ utteranceId: free, target: { kind: 'intent', intentId: n.id }, source: 'manual' });
    await host.services.label.undoAction({ actionId: merge.actionId });

    const intents = await host.services.intent.listIntents({});
    expect(intents.find((i) => i.id === n.id)).toMatchObject({ name: '新意图', status: 'active', labeled: 1 });
    expect(await labelOf(free)).toBe(n.id);
    const restored = intents.find((i) => i.id === a)!;
    expect(restored.status).toBe('active');
    expect(restored.mergedInto).toBeUndefined();
    expect(restored.labeled).toBe(ZH_KNOWN[0]![1].length);
    expect(intents.find((i) => i.id === b)!.examples).toEqual(bExamplesBefore);
    await host.close();
    host = await open();
    const reopened = await host.services.intent.listIntents({});
    expect(reopened.find((i) => i.id === n.id)?.labeled).toBe(1);
    expect(reopened.find((i) => i.id === a)?.status).toBe('active');
  });
});
