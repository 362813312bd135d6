import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '../../shared/contract/dto';
import { dispatch } from '../../shared/contract/dispatch';
import type { Call } from '../../shared/domain/types';
import { createServiceHost, type ServiceHost } from './index';
import { EN_KNOWN, EN_THEMES, ZH_KNOWN, ZH_THEMES } from '../../shared/ml/discovery/handMadeSets';
import { createTestWorkspace, makeOneTurnCall, makeTestIntents } from './store/testCalls';

const known: Record<string, readonly string[]> = Object.fromEntries([...ZH_KNOWN, ...EN_KNOWN]);
/** Uncovered themes: three in Chinese, one in English; 今天天气怎么样 is said three times. */
const themes: Record<string, readonly string[]> = {
  weather: [...ZH_THEMES[0]!, '今天天气怎么样', '今天天气怎么样'],
  booking: ZH_THEMES[1]!,
  music: ZH_THEMES[2]!,
  music_en: EN_THEMES[2]!,
};
const POOL = 34;

const themeOf = new Map<string, string>();
let dataDir: string;
let folder: string;
let host: ServiceHost;

const call = makeOneTurnCall;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'callsift-discovery-'));
  folder = join(dataDir, 'ws');
  const calls: Call[] = [];
  for (const [intent, texts] of Object.entries(known)) texts.forEach((t, i) => calls.push(call(`k-${intent}-${i}`, t, intent)));
  calls.push(call('p-password', 'i forgot my password again', 'reset_password'));
  for (const [theme, texts] of Object.entries(themes)) {
    texts.forEach((t, i) => {
      calls.push(call(`u-${theme}-${i}`, t, null));
      themeOf.set(`u-${theme}-${i}#1`, theme);
    });
  }
  await createTestWorkspace(folder, makeTestIntents(Object.keys(known)), calls);
  host = await createServiceHost({ dataDir, workspaceFolder: folder, retrainAfterLabels: 0 });
  for (const [intent, texts] of Object.entries(known)) {
    await host.services.label.bulkLabel({ utteranceIds: texts.map((_, i) => `k-${intent}-${i}#1`), target: { kind: 'intent', intentId: intent } });
  }
});
afterAll(async () => {
  await host.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function runClustering(h: ServiceHost): Promise<readonly ClusterSummary[]> {
  await h.services.discovery.run({});
  await h.discovery.whenIdle();
  return h.services.discovery.listClusters({ sort: 'size', includeClosed: false });
}

async function membersOf(clusterId: string): Promise<string[]> {
  const page = await host.services.discovery.getMembers({ clusterId, offset: 0, limit: 1000 });
  return page.items.map((m) => m.utteranceId);
}

/** The theme most members of a cluster come from, and the share that do. */
async function dominantTheme(clusterId: string): Promise<{ theme: string; purity: number }> {
  const ids = await membersOf(clusterId);
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(themeOf.get(id) ?? 'other', (counts.get(themeOf.get(id) ?? 'other') ?? 0) + 1);
  const [theme, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return { theme, purity: n / ids.length };
}

describe('discovery over a workspace with three uncovered themes (zh and en)', () => {
  let clusters: readonly ClusterSummary[];

  beforeAll(async () => {
    clusters = await runClustering(host);
  });

  it('clusters the uncovered pool in a worker: one pure cluster per theme, nothing thrown away', async () => {
    const status = await host.services.discovery.getStatus({});
    expect(status.pool).toBe(POOL);
    expect(status.run?.pool).toBe(POOL);
    expect(clusters.reduce((n, c) => n + c.size, 0)).toBe(POOL);
    const dominant = await Promise.all(clusters.slice(0, 4).map((c) => dominantTheme(c.id)));
    expect(new Set(dominant.map((d) => d.theme))).toEqual(new Set(Object.keys(themes)));
    for (const d of dominant) expect(d.purity).toBeGreaterThanOrEqual(0.9);
    const weather = clusters[dominant.findIndex((d) => d.theme === 'weather')]!;
    expect(weather.keywords.map((k) => k.term).join(' ')).toMatch(/天气/);
    expect(weather.suggestedName).toMatch(/天气/);
    expect(weather.representatives.length).toBeGreaterThan(0);
    expect(weather.representatives.length).toBeLessThanOrEqual(5);
    expect(new Set(weather.representatives.map((r) => r.text)).size).toBe(weather.representatives.length);
    const members = await host.services.discovery.getMembers({ clusterId: weather.id, offset: 0, limit: 100 });
    expect(members.items.filter((m) => m.text === '今天天气怎么样').map((m) => m.count)).toEqual([3, 3, 3]);
    expect(weather.share).toBeCloseTo(weather.size / POOL, 5);
    expect(weather.cohesion).toBeGreaterThan(0);
    expect(weather.cohesion).toBeLessThanOrEqual(1);
    expect(weather.calls).toBe(weather.size);
  });

  it('accepts a cluster as a new intent: members labeled from discovery, in the history, undoable', async () => {
    const weather = clusters.find((c) => c.suggestedName.includes('天气'))!;
    const ids = await membersOf(weather.id);
    const result = await host.services.discovery.acceptCluster({ clusterId: weather.id, name: '查询天气', description: '用户询问天气或天气预报' });
    expect(result.intent?.name).toBe('查询天气');
    expect(result.labeled).toBe(ids.length);
    const intents = await host.services.intent.listIntents({});
    const created = intents.find((i) => i.name === '查询天气')!;
    expect(created.labeled).toBe(ids.length);
    expect(created.examples.length).toBeGreaterThan(0);
    const history = await host.services.label.getHistory({ utteranceId: ids[0]!, limit: 10 });
    expect(history[0]).toMatchObject({ source: 'discovery', after: { kind: 'intent', intentId: created.id } });
    const open = await host.services.discovery.listClusters({ sort: 'size', includeClosed: false });
    expect(open.find((c) => c.id === weather.id)).toBeUndefined();
    const all = await host.services.discovery.listClusters({ sort: 'size', includeClosed: true });
    expect(all.find((c) => c.id === weather.id)).toMatchObject({ status: 'accepted', intentId: created.id });
    await expect(host.services.discovery.acceptCluster({ clusterId: weather.id, name: 'again', description: '' })).rejects.toMatchObject({ code: 'conflict' });

    const undone = await host.services.discovery.undo({});
    expect(undone).toMatchObject({ kind: 'accept', clusterId: weather.id, reverted: ids.length });
    expect((await host.services.intent.listIntents({})).find((i) => i.name === '查询天气')).toBeUndefined();
    const page = await host.services.discovery.getMembers({ clusterId: weather.id, offset: 0, limit: 1000 });
    expect(page.items.every((m) => m.label === null)).toBe(true);
    expect((await host.services.discovery.listClusters({ sort: 'size', includeClosed: false })).find((c) => c.id === weather.id)?.status).toBe('open');
  });

  it('merges a cluster into an existing intent and dismisses one as noise; each undoes', async () => {
    const [first, second] = clusters;
    const merged = await host.services.discovery.mergeCluster({ clusterId: first!.id, intentId: 'transfer', includeAtypical: true });
    expect(merged.labeled).toBe(first!.size);
    const dismissed = await host.services.discovery.dismissCluster({ clusterId: second!.id });
    expect(dismissed.labeled).toBe(second!.size);
    const secondMembers = await host.services.discovery.getMembers({ clusterId: second!.id, offset: 0, limit: 1000 });
    expect(secondMembers.items.every((m) => m.label?.kind === 'none')).toBe(true);
    expect((await host.services.discovery.getStatus({})).undo).toEqual({ kind: 'dismiss', clusterId: second!.id });

    expect((await host.services.discovery.undo({})).kind).toBe('dismiss');
    expect((await host.services.discovery.undo({})).kind).toBe('merge');
    const firstMembers = await host.services.discovery.getMembers({ clusterId: first!.id, offset: 0, limit: 1000 });
    expect(firstMembers.items.every((m) => m.label === null)).toBe(true);
    await expect(host.services.discovery.undo({})).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps its clustering and undo when an import adds calls meanwhile', async () => {
    const [first] = clusters;
    await host.services.discovery.mergeCluster({ clusterId: first!.id, intentId: 'transfer' });
    const content = JSON.stringify(call('late-import-0', '我想查一下我的积分', null));
    expect((await host.services.transfer.importContent({ fileName: 'late.jsonl', content })).callsImported).toBe(1);
    expect((await host.services.discovery.getStatus({})).undo).toEqual({ kind: 'merge', clusterId: first!.id });
    expect((await host.services.discovery.undo({})).kind).toBe('merge');
    expect((await host.services.discovery.listClusters({ sort: 'size', includeClosed: false })).find((c) => c.id === first!.id)?.status).toBe('open');
  });

  it('moves single utterances out, splits a cluster, and undoes both', async () => {
    const target = clusters[0]!;
    const ids = await membersOf(target.id);
    const moved = await host.services.discovery.removeMembers({ clusterId: target.id, utteranceIds: [ids.at(-1)!] });
    expect(moved.clusters[0]!.size).toBe(ids.length - 1);
    await host.services.discovery.undo({});
    expect(await membersOf(target.id)).toEqual(ids);

    const split = await host.services.discovery.splitCluster({ clusterId: target.id });
    expect(split.clusters.length).toBeGreaterThanOrEqual(2);
    expect(split.clusters.reduce((n, c) => n + c.size, 0)).toBe(ids.length);
    expect(split.clusters.every((c) => c.splitFrom === target.id)).toBe(true);
    await host.services.discovery.undo({});
    const after = await host.services.discovery.listClusters({ sort: 'size', includeClosed: true });
    expect(after.find((c) => c.id === target.id)?.size).toBe(ids.length);
    expect(after.some((c) => c.splitFrom === target.id)).toBe(false);
  });

  it('validates arguments at the boundary and names unknown clusters', async () => {
    const bad = await dispatch(host.services, 'discovery.acceptCluster', { clusterId: clusters[0]!.id, name: '  ' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument', details: { field: 'name' } } });
    await expect(host.services.discovery.mergeCluster({ clusterId: 'c999', intentId: 'transfer' })).rejects.toMatchObject({ code: 'not_found', details: { field: 'clusterId' } });
  });

  it('keeps the clusters and what was done with them across a restart', async () => {
    const music = clusters.find((c) => c.representatives.some((r) => /music/.test(r.text)))!;
    const before = (await host.services.discovery.getStatus({})).pool;
    // The least typical member stays unlabeled (and in the uncovered pool) unless the lead includes it.
    expect(music.atypical).toBeGreaterThan(0);
    const accepted = await host.services.discovery.acceptCluster({ clusterId: music.id, name: 'play_music', description: '' });
    expect(accepted.labeled).toBe(music.size - music.atypical);
    expect((await host.services.discovery.getStatus({})).pool).toBe(before - music.size + music.atypical);
    await host.close();
    host = await createServiceHost({ dataDir, workspaceFolder: folder, retrainAfterLabels: 0 });
    const all = await host.services.discovery.listClusters({ sort: 'cohesion', includeClosed: true });
    expect(all.find((c) => c.id === music.id)?.status).toBe('accepted');
    expect(all.map((c) => c.cohesion)).toEqual([...all.map((c) => c.cohesion)].sort((a, b) => b - a));
    expect((await host.services.discovery.getStatus({})).pool).toBe(before - music.size + music.atypical);
  });

  it('gives a new run new cluster ids, so an action sent for an earlier run acts on nothing', async () => {
    const open = clusters.find((c) => c.status === 'open')!;
    const again = await runClustering(host);
    expect(again.length).toBeGreaterThan(0);
    expect(again.some((c) => clusters.some((old) => old.id === c.id))).toBe(false);
    await expect(host.services.discovery.dismissCluster({ clusterId: open.id })).rejects.toMatchObject({ code: 'not_found', details: { field: 'clusterId' } });
    expect((await host.services.discovery.listClusters({ sort: 'size', includeClosed: true })).every((c) => c.status === 'open')).toBe(true);
  });
});

describe('corpus expansion and cleanup', () => {
  it('finds the unlabeled utterances most like an intent', async () => {
    const candidates = await host.services.discovery.expandIntent({ intentId: 'reset_password', limit: 5 });
    expect(candidates[0]).toMatchObject({ utteranceId: 'p-password#1', text: 'i forgot my password again' });
    expect(candidates.map((c) => c.similarity)).toEqual([...candidates.map((c) => c.similarity)].sort((a, b) => b - a));
    const all = await host.services.discovery.expandIntent({ intentId: 'transfer', limit: 100 });
    expect(all.every((c) => !c.utteranceId.startsWith('k-'))).toBe(true);
    await expect(host.services.discovery.expandIntent({ intentId: 'nope', limit: 5 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists the same text labeled with two intents', async () => {
    await host.services.label.setLabel({ utteranceId: 'u-weather-8#1', target: { kind: 'intent', intentId: 'transfer' }, source: 'manual' });
    await host.services.label.setLabel({ utteranceId: 'u-weather-9#1', target: { kind: 'intent', intentId: '挂失' }, source: 'manual' });
    const report = await host.services.discovery.getCleanup({});
    const group = report.conflictingDuplicates.find((g) => g.items.some((i) => i.utteranceId === 'u-weather-8#1'));
    expect(group?.items.map((i) => i.intentId).sort()).toEqual(['transfer', '挂失']);
    // Each shows what it answered, so a lead can tell a real conflict from the same words after another question.
    expect(group?.items.map((i) => i.botPrompt)).toEqual(['您好，这里是还款提醒。', '您好，这里是还款提醒。']);
    expect(report.confusedPairs).toEqual([]);
  });
});
