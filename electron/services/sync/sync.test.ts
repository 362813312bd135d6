import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ContractError } from '../../../shared/contract/errors';
import type { IntentWithCounts } from '../../../shared/contract/dto';
import { startPlatform, type Platform } from '../../../platform/server';
import { apiClient, type ApiClient } from '../../../platform/testPlatform';
import type { ServiceHost } from '../index';
import { makeTestCalls } from '../store/testCalls';
import { PlatformClient } from './platformClient';
import { pullCalls } from './pullCalls';
import { SyncStateFile } from './syncState';
import { WorkspaceStore } from '../store/workspaceStore';
import { freePort, openTestApp, syncAndWait, TEST_TOKEN, waitUntil } from './testSync';

let root: string;
let platform: Platform;
let api: ApiClient;
const hosts: ServiceHost[] = [];

interface PlatformLabel {
  id: string;
  utteranceId: string;
  intent: string | null;
  annotator: string;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-sync-'));
  platform = await startPlatform({ dataDir: join(root, 'platform'), token: TEST_TOKEN, allowFaults: true, checkRawReplies: true });
  api = apiClient(platform.url, TEST_TOKEN);
});

afterEach(async () => {
  await api.call('DELETE', '/_faults');
  while (hosts.length > 0) await hosts.pop()!.close();
});

afterAll(async () => {
  await platform.close();
  await rm(root, { recursive: true, force: true });
});

async function simulate(calls: number): Promise<number> {
  const res = await api.call<{ lastSeq: number }>('POST', '/projects/demo/simulate', { calls });
  expect(res.status).toBe(200);
  return res.json.lastSeq;
}

async function app(name: string, annotator = 'alice'): Promise<ServiceHost> {
  const host = await openTestApp(root, name, annotator);
  hosts.push(host);
  return host;
}

async function connected(name: string, annotator = 'alice'): Promise<ServiceHost> {
  const host = await app(name, annotator);
  await host.services.sync.connect({ url: platform.url, token: TEST_TOKEN, project: 'demo' });
  return host;
}

/**
 * Two annotators' apps on the platform after `calls` more simulated calls, linked and synced once each (first, then
 * second); `active` is the first app's active intents. Each annotator is [workspace name, annotator].
 */
async function twoAnnotators(calls: number, first: [string, string], second: [string, string]): Promise<{ first: ServiceHost; second: ServiceHost; active: IntentWithCounts[] }> {
  await simulate(calls);
  const a = await connected(...first);
  const b = await connected(...second);
  await syncAndWait(a);
  await syncAndWait(b);
  const active = (await a.services.intent.listIntents({})).filter((i) => i.status === 'active');
  return { first: a, second: b, active };
}

async function platformLabels(): Promise<PlatformLabel[]> {
  const res = await api.call<{ labels: PlatformLabel[] }>('GET', '/projects/demo/labels?since=0&limit=10000');
  return res.json.labels;
}

function rejection(p: Promise<unknown>): Promise<ContractError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err as ContractError,
  );
}

describe('sync against the reference platform', () => {
  it('pulls 10k calls with their predictions and the catalogue, then only what is new', async () => {
    const head = await simulate(10_000);
    const host = await connected('ten-k');
    const end = await syncAndWait(host);
    expect(end.state).toBe('done');
    expect(end.callsPulled).toBe(head);
    const info = await host.services.workspace.getInfo({});
    expect(info.calls).toBe(head);
    const status = await host.services.sync.getStatus({});
    expect(status).toMatchObject({ connection: 'online', lastCallSeq: head, pendingLabels: 0, conflicts: 0, job: null, lastError: null });
    expect(status.lastSyncAt).not.toBeNull();

    const intents = (await api.call<{ intents: { id: string }[] }>('GET', '/projects/demo/intents')).json.intents;
    expect((await host.services.intent.listIntents({})).map((i) => i.id).sort()).toEqual(intents.map((i) => i.id).sort());

    const feed = (await api.call<{ calls: { id: string; turns: { speaker: string; predictedIntent?: string | null; predictedConfidence?: number }[] }[] }>('GET', '/projects/demo/calls?limit=1')).json.calls[0]!;
    const local = await host.services.call.getCall({ callId: feed.id });
    const userTurn = feed.turns.findIndex((t) => t.speaker === 'user');
    expect(local.turns[userTurn]!.predictedIntent).toBe(feed.turns[userTurn]!.predictedIntent);
    expect(local.turns[userTurn]!.predictedConfidence).toBe(feed.turns[userTurn]!.predictedConfidence);

    const again = await syncAndWait(host);
    expect(again).toMatchObject({ state: 'done', callsPulled: 0 });
    const more = await simulate(7);
    const tail = await syncAndWait(host);
    expect(tail.callsPulled).toBe(7);
    expect((await host.services.workspace.getInfo({})).calls).toBe(more);
  });

  it('merges catalogue changes: new and renamed intents arrive, local intents and examples stay', async () => {
    const host = await connected('catalogue');
    await syncAndWait(host);
    const mine = await host.services.intent.createIntent({ name: '本地意图', description: '', status: 'active', examples: ['本地例句'] });
    const [first] = await host.services.intent.listIntents({});
    await host.services.intent.updateIntent({ id: first!.id, examples: [...first!.examples, '本地补充'] });
    await api.call('PUT', `/projects/demo/intents/${first!.id}`, { name: `${first!.name} (renamed)` });
    await api.call('PUT', '/projects/demo/intents/brand_new', { name: 'Brand new', description: 'added on the platform', examples: ['new one'] });
    await syncAndWait(host);
    const after = await host.services.intent.listIntents({});
    const renamed = after.find((i) => i.id === first!.id)!;
    expect(renamed.name).toBe(`${first!.name} (renamed)`);
    expect(renamed.examples).toContain('本地补充');
    expect(after.find((i) => i.id === 'brand_new')?.name).toBe('Brand new');
    expect(after.find((i) => i.id === mine.id)?.examples).toEqual(['本地例句']);
  });

  it('says clearly when the token is wrong, the server is down, or it is no platform it knows', async () => {
    const host = await app('errors');
    const wrong = await rejection(host.services.sync.connect({ url: platform.url, token: 'not-the-token', project: 'demo' }));
    expect(wrong.code).toBe('invalid_argument');
    expect(wrong.details).toEqual({ field: 'token', reason: 'auth' });
    expect(wrong.message).toContain(`The platform at ${platform.url} refused the token (HTTP 401 invalid_token`);

    const closed = await freePort();
    const down = await rejection(host.services.sync.connect({ url: `http://127.0.0.1:${closed}`, token: TEST_TOKEN, project: 'demo' }));
    expect(down.code).toBe('io');
    expect(down.details?.reason).toBe('unreachable');
    expect(down.message).toContain(`Cannot reach the platform at http://127.0.0.1:${closed}`);
    expect(down.message).toContain('connection was refused');

    const noProject = await rejection(host.services.sync.connect({ url: platform.url, token: TEST_TOKEN, project: 'nope' }));
    expect(noProject.message).toContain('has no project "nope"; it has "demo"');

    const future = await foreignServer((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Callsift-Api-Version': '2.0' });
      res.end(JSON.stringify({ apiVersion: '2.0', server: 'future-platform', serverVersion: '9' }));
    });
    const v2 = await rejection(host.services.sync.connect({ url: future.url, token: TEST_TOKEN, project: 'demo' }));
    expect(v2.details?.reason).toBe('version');
    expect(v2.message).toBe(`The platform at ${future.url} speaks API version 2.0; this Callsift speaks version 1.x. Update Callsift or the platform.`);
    await future.close();

    const web = await foreignServer((res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>hello</html>');
    });
    const html = await rejection(host.services.sync.connect({ url: `${web.url}/api/v1/`, token: TEST_TOKEN, project: 'demo' }));
    expect(html.message).toContain(`${web.url} does not look like a Callsift platform`);
    await web.close();

    expect((await host.services.sync.getStatus({})).connection).toBe('disconnected');
    const notLinked = await rejection(host.services.sync.syncNow({}));
    expect(notLinked.message).toContain('not connected');
  });

  it('keeps the token out of the workspace, in a 0600 file, and forgets it on disconnect', async () => {
    const host = await connected('secret');
    const file = join(root, 'secret-data', 'secrets.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(file, 'utf8')).toContain(TEST_TOKEN);
    const status = await host.services.sync.disconnect({});
    expect(status.connection).toBe('disconnected');
    expect(await readFile(file, 'utf8')).not.toContain(TEST_TOKEN);
  });

  it('turns 500s, timeouts, cut-off and garbage pages, hang-ups and repeated or skipped pages into clear errors, keeping what was synced', async () => {
    await simulate(300);
    const host = await connected('faults');
    const first = await syncAndWait(host);
    expect(first.state).toBe('done');
    let stored = (await host.services.workspace.getInfo({})).calls;
    const faults: [Record<string, number | string>, string][] = [
      [{ fail: 1 }, 'HTTP 500 fault_injected'],
      [{ delay: 1, delayMs: 4000 }, 'did not answer GET'],
      [{ truncate: 1 }, 'is not valid JSON'],
      [{ hangUp: 1 }, 'closed the connection without answering'],
      [{ repeatIds: 1 }, 'repeats call #'],
      [{ skipIds: 1 }, 'skips call #'],
    ];
    for (const [fault, words] of faults) {
      await simulate(50);
      await api.call('POST', '/_faults', { ...fault, match: '/calls' });
      const end = await syncAndWait(host);
      expect(end.state, JSON.stringify(fault)).toBe('failed');
      expect(end.message).toContain(words);
      expect(end.message).toContain(platform.url);
      const status = await host.services.sync.getStatus({});
      expect(status.lastError?.message).toBe(end.message);
      expect((await host.services.workspace.getInfo({})).calls).toBe(stored);
      await api.call('DELETE', '/_faults');
      const ok = await syncAndWait(host);
      expect(ok.state).toBe('done');
      stored += 50;
      expect((await host.services.workspace.getInfo({})).calls).toBe(stored);
      expect((await host.services.sync.getStatus({})).lastError).toBeNull();
    }
    await host.close();
    hosts.pop();
    const store = await WorkspaceStore.open(join(root, 'faults'));
    expect(store.calls.callCount).toBe(stored);
    expect(new Set(store.calls.callIds).size).toBe(stored);
    expect(store.notices).toEqual([]);
    await store.close();
  });

  it('retries a passing fault on reads by itself', async () => {
    await simulate(20);
    const host = await openTestApp(root, 'retry', 'alice', { client: { timeoutMs: 1500, retries: 2, retryDelayMs: 10 } });
    hosts.push(host);
    await host.services.sync.connect({ url: platform.url, token: TEST_TOKEN, project: 'demo' });
    await api.call('POST', '/_faults', { fail: 2, match: '/calls' });
    expect((await syncAndWait(host)).state).toBe('done');
  });

  it('can be cancelled, and the next sync resumes where it stopped', async () => {
    const head = await simulate(3000);
    const host = await openTestApp(root, 'cancel', 'alice', { pageSize: 100 });
    hosts.push(host);
    await host.services.sync.connect({ url: platform.url, token: TEST_TOKEN, project: 'demo' });
    const job = await host.services.sync.syncNow({});
    await waitUntil(async () => ((await host.services.sync.getStatus({})).job?.callsPulled ?? 0) > 0);
    expect(await host.services.sync.cancel({ jobId: job.jobId })).toEqual({ cancelled: true });
    expect((await host.sync.whenJobEnds(job.jobId))?.state).toBe('cancelled');
    const partial = (await host.services.workspace.getInfo({})).calls;
    expect(partial).toBeLessThan(head);
    expect((await syncAndWait(host)).state).toBe('done');
    expect((await host.services.workspace.getInfo({})).calls).toBe(head);
  });

  it('keeps both labels when two annotators disagree, lists the conflict and resolves it either way', async () => {
    const { first: alice, second: bob, active: [x, y] } = await twoAnnotators(30, ['alice', 'alice'], ['bob', 'bob']);
    const utterance = (await alice.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 1 })).items[0]!.id;

    await alice.services.label.setLabel({ utteranceId: utterance, target: { kind: 'intent', intentId: x!.id }, source: 'manual' });
    await bob.services.label.setLabel({ utteranceId: utterance, target: { kind: 'intent', intentId: y!.id }, source: 'manual' });
    await waitUntil(async () => (await alice.services.sync.getStatus({})).pendingLabels === 0);
    await syncAndWait(alice);
    await waitUntil(async () => (await bob.services.sync.getStatus({})).pendingLabels === 0);
    await syncAndWait(bob);

    const bobStatus = await bob.services.sync.getStatus({});
    expect(bobStatus.conflicts).toBe(1);
    const bobConflicts = await bob.services.sync.listConflicts({ offset: 0, limit: 10 });
    expect(bobConflicts.items[0]).toMatchObject({
      utteranceId: utterance,
      foundBy: 'push',
      mine: { target: { kind: 'intent', intentId: y!.id }, annotator: 'bob' },
      theirs: { target: { kind: 'intent', intentId: x!.id }, annotator: 'alice' },
    });
    expect(bobConflicts.items[0]!.text.length).toBeGreaterThan(0);

    await syncAndWait(alice);
    const aliceConflicts = await alice.services.sync.listConflicts({ offset: 0, limit: 10 });
    expect(aliceConflicts.items).toHaveLength(1);
    expect(aliceConflicts.items[0]).toMatchObject({ foundBy: 'pull', mine: { annotator: 'alice', target: { intentId: x!.id } }, theirs: { annotator: 'bob', target: { intentId: y!.id } } });

    const both = (await platformLabels()).filter((l) => l.utteranceId === utterance);
    expect(both.map((l) => [l.annotator, l.intent])).toEqual([
      ['alice', x!.id],
      ['bob', y!.id],
    ]);

    await alice.services.sync.resolveConflict({ conflictId: aliceConflicts.items[0]!.id, keep: 'mine' });
    expect((await alice.services.sync.getStatus({})).conflicts).toBe(0);
    const kept = await alice.services.call.getCall({ callId: utterance.split('#')[0]! });
    expect(kept.labels[Number(utterance.split('#')[1])]?.target).toEqual({ kind: 'intent', intentId: x!.id });

    const resolved = await bob.services.sync.resolveConflict({ conflictId: bobConflicts.items[0]!.id, keep: 'theirs' });
    expect(resolved.conflicts).toBe(0);
    const relabeled = await bob.services.call.getCall({ callId: utterance.split('#')[0]! });
    expect(relabeled.labels[Number(utterance.split('#')[1])]).toMatchObject({ target: { kind: 'intent', intentId: x!.id }, annotator: 'bob', source: 'manual' });
    await syncAndWait(bob);
    expect((await platformLabels()).filter((l) => l.utteranceId === utterance && l.annotator === 'bob').map((l) => l.intent)).toEqual([y!.id, x!.id]);
    await expect(bob.services.sync.resolveConflict({ conflictId: bobConflicts.items[0]!.id, keep: 'mine' })).rejects.toThrow('already resolved');
  });

  it("applies others' labels to unlabeled utterances without sending them back", async () => {
    const { first: alice, second: carol, active: [x] } = await twoAnnotators(10, ['alice-2', 'alice'], ['carol', 'carol']);
    const ids = (await alice.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 3 })).items.map((i) => i.id);
    await alice.services.label.bulkLabel({ utteranceIds: ids, target: { kind: 'intent', intentId: x!.id } });
    await syncAndWait(alice);
    const before = (await platformLabels()).length;
    const end = await syncAndWait(carol);
    expect(end.labelsPulled).toBeGreaterThanOrEqual(3);
    for (const id of ids) {
      const [callId, turn] = id.split('#');
      expect((await carol.services.call.getCall({ callId: callId! })).labels[Number(turn)]).toMatchObject({ annotator: 'alice', source: 'import', target: { intentId: x!.id } });
    }
    expect((await carol.services.sync.getStatus({})).pendingLabels).toBe(0);
    await syncAndWait(carol);
    expect((await platformLabels()).length).toBe(before);
  });
});

describe('pulling while importing', () => {
  it('appends pulled calls only while no other exclusive work (an import) is appending', async () => {
    await simulate(20);
    const folder = join(root, 'held');
    const store = await WorkspaceStore.open(folder, () => ({ formatVersion: 1, meta: { name: 'held', languages: ['zh'], annotators: [], createdAt: 1 }, intents: [] }));
    try {
      let release!: () => void;
      const exclusive = vi.spyOn(store, 'exclusive');
      const held = store.exclusive(() => new Promise<void>((r) => (release = r)));
      const state = await SyncStateFile.open(join(root, 'held-sync'));
      const pulling = pullCalls({
        client: new PlatformClient(platform.url, TEST_TOKEN),
        project: 'demo',
        store,
        state,
        signal: new AbortController().signal,
        pageSize: 500,
        onProgress: () => undefined,
      });
      // The pull has its page and asks for the exclusive section, which the held work keeps: nothing is appended yet.
      await vi.waitFor(() => expect(exclusive).toHaveBeenCalledTimes(2), { timeout: 10_000, interval: 10 });
      expect(store.calls.callCount).toBe(0);
      release();
      await held;
      const stored = await pulling;
      expect(stored).toBeGreaterThan(0);
      expect(store.calls.callCount).toBe(stored);
    } finally {
      await store.close();
    }
  });

  it('numbers every utterance once when a pull and an import append calls at the same time', async () => {
    await simulate(3000);
    const host = await connected('pull-and-import');
    const imported = makeTestCalls(400, 3, 'imp-');
    const content = imported.map((c) => JSON.stringify(c)).join('\n');
    const [end, report] = await Promise.all([syncAndWait(host), host.services.transfer.importContent({ fileName: 'calls.jsonl', content })]);
    expect(end.state).toBe('done');
    expect(report.callsImported).toBe(400);
    for (const call of [imported[0]!, imported[199]!, imported[399]!]) {
      const local = await host.services.call.getCall({ callId: call.id });
      expect(local.turns.map((t) => t.text)).toEqual(call.turns.map((t) => t.text));
    }
    const feed = (await api.call<{ calls: { id: string; turns: { text: string }[] }[] }>('GET', '/projects/demo/calls?limit=50')).json.calls;
    for (const call of feed) {
      const local = await host.services.call.getCall({ callId: call.id });
      expect(local.turns.map((t) => t.text)).toEqual(call.turns.map((t) => t.text));
    }
    const info = await host.services.workspace.getInfo({});
    expect(info.calls).toBe(end.callsPulled + 400);
  });
});

describe('the outbox', () => {
  it('queues labels made while the platform is down and delivers each exactly once when it is back', async () => {
    await simulate(40);
    const host = await connected('offline', 'dave');
    await syncAndWait(host);
    const [x, y] = (await host.services.intent.listIntents({})).filter((i) => i.status === 'active');
    const items = (await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 6 })).items.map((i) => i.id);
    const port = platform.port;
    await platform.close();

    await host.services.label.setLabel({ utteranceId: items[0]!, target: { kind: 'intent', intentId: x!.id }, source: 'manual' });
    await host.services.label.setLabel({ utteranceId: items[1]!, target: { kind: 'none' }, source: 'manual' });
    await host.services.label.setLabel({ utteranceId: items[2]!, target: { kind: 'badTranscript' }, source: 'manual' });
    const bulk = await host.services.label.bulkLabel({ utteranceIds: items.slice(3), target: { kind: 'intent', intentId: y!.id } });
    await host.services.label.undoAction({ actionId: bulk.actionId });
    await host.services.label.setLabel({ utteranceId: items[3]!, target: { kind: 'intent', intentId: x!.id }, source: 'suggestion' });
    // intent, none, (bad transcript is not sent), 3 bulk, (undo clears: not sent), suggestion
    const expected = 1 + 1 + 3 + 1;
    await waitUntil(async () => (await host.services.sync.getStatus({})).connection === 'offline');
    const offline = await host.services.sync.getStatus({});
    expect(offline.pendingLabels).toBe(expected);
    expect(offline.lastError?.message).toContain('Cannot reach the platform');

    const failed = await syncAndWait(host);
    expect(failed.state).toBe('failed');
    await host.close();
    hosts.pop();
    const reopened = await app('offline', 'dave');
    expect((await reopened.services.sync.getStatus({})).pendingLabels).toBe(expected);

    platform = await startPlatform({ dataDir: join(root, 'platform'), port, token: TEST_TOKEN, allowFaults: true, checkRawReplies: true });
    // The outbox drains first; the connection state follows right after the push that drained it.
    await waitUntil(async () => {
      const s = await reopened.services.sync.getStatus({});
      return s.pendingLabels === 0 && s.connection === 'online';
    });
    const mine = (await platformLabels()).filter((l) => l.annotator === 'dave');
    expect(mine).toHaveLength(expected);
    expect(new Set(mine.map((l) => l.id)).size).toBe(expected);
    expect(mine.map((l) => [l.utteranceId, l.intent])).toEqual([
      [items[0], x!.id],
      [items[1], null],
      [items[3], y!.id],
      [items[4], y!.id],
      [items[5], y!.id],
      [items[3], x!.id],
    ]);
    await syncAndWait(reopened);
    expect((await platformLabels()).filter((l) => l.annotator === 'dave')).toHaveLength(expected);
  });
});

async function foreignServer(answer: (res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => answer(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
