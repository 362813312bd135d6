import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../shared/domain/types';
import { encodeCursor } from './cursor';
import type { BigramArtifact } from './predictor';
import { startPlatform, type Platform } from './server';
import type { CatalogueChanges, CatalogueIntent } from './store/catalogue';
import type { LabelUploadResult, StoredLabel } from './store/labelBook';
import type { ModelSummary } from './store/modelRegistry';
import { apiClient, type ApiClient } from './testPlatform';

interface FeedPage {
  calls: (Call & { seq: number })[];
  nextCursor: string;
  hasMore: boolean;
  remaining: number;
}
interface ErrorBody {
  error: { code: string; message: string };
}

let dir: string;
let platform: Platform;
let api: ApiClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-platform-'));
  platform = await startPlatform({ dataDir: dir, token: 'test-token-123', allowFaults: true, checkRawReplies: true });
  api = apiClient(platform.url, platform.token);
  const sim = await api.call<{ firstSeq: number; lastSeq: number }>('POST', '/projects/demo/simulate', { calls: 300 });
  expect(sim.json).toMatchObject({ firstSeq: 1, lastSeq: 300 });
});

afterAll(async () => {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

async function pageAll(limit: number): Promise<FeedPage['calls']> {
  const out: FeedPage['calls'] = [];
  let cursor = '';
  for (;;) {
    const page = await api.call<FeedPage>('GET', `/projects/demo/calls?limit=${limit}&cursor=${cursor}`);
    expect(page.status).toBe(200);
    out.push(...page.json.calls);
    cursor = page.json.nextCursor;
    if (!page.json.hasMore) return out;
  }
}

function label(id: string, utteranceId: string, intent: string | null, annotator: string): Record<string, unknown> {
  return { id, utteranceId, intent, annotator, labeledAt: 1_700_000_000_000 };
}

describe('auth and version', () => {
  it('answers 401 with a JSON error in words for a missing or wrong token, and tags every response with the API version', async () => {
    const missing = await apiClient(platform.url, null).call<ErrorBody>('GET', '/projects');
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe('missing_token');
    expect(missing.json.error.message).toMatch(/Authorization: Bearer/);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await apiClient(platform.url, 'nope').call<ErrorBody>('GET', '/projects/demo/calls');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toEqual({ code: 'invalid_token', message: expect.stringMatching(/token is wrong/) });
    expect(wrong.headers.get('x-callsift-api-version')).toBe('1.0');
    const version = await apiClient(platform.url, null).call<{ apiVersion: string }>('GET', '/version');
    expect(version.status).toBe(200);
    expect(version.json.apiVersion).toBe('1.0');
    const projects = await api.call<{ projects: { name: string; calls: number }[] }>('GET', '/projects');
    expect(projects.json.projects).toEqual([expect.objectContaining({ name: 'demo', calls: 300 })]);
  });

  it('answers unknown paths, methods and projects with 404/405 in words', async () => {
    expect((await api.call<ErrorBody>('GET', '/nothing')).status).toBe(404);
    expect((await api.call<ErrorBody>('DELETE', '/projects')).status).toBe(405);
    const missing = await api.call<ErrorBody>('GET', '/projects/other/calls');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain('"other"');
  });
});

describe('call feed', () => {
  it('pages every call once, in sequence order, with predictions on user turns', async () => {
    const calls = await pageAll(64);
    expect(calls.map((c) => c.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(calls.map((c) => c.id)).size).toBe(300);
    for (const call of calls) {
      for (const turn of call.turns) {
        if (turn.speaker === 'user') {
          expect(turn.predictedIntent === null || typeof turn.predictedIntent === 'string').toBe(true);
          expect(turn.predictedConfidence).toBeGreaterThanOrEqual(0);
        } else expect(turn.predictedIntent).toBeUndefined();
      }
    }
  });

  it('reports the end of the feed and rejects foreign cursors', async () => {
    const last = await api.call<FeedPage>('GET', `/projects/demo/calls?cursor=${encodeCursor(300)}`);
    expect(last.json).toMatchObject({ calls: [], hasMore: false, nextCursor: encodeCursor(300), remaining: 0 });
    const garbage = await api.call<ErrorBody>('GET', '/projects/demo/calls?cursor=%%%');
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.code).toBe('invalid_cursor');
    const ahead = await api.call<ErrorBody>('GET', `/projects/demo/calls?cursor=${encodeCursor(10_000)}`);
    expect(ahead.status).toBe(409);
    expect(ahead.json.error.code).toBe('cursor_ahead');
    const zero = await api.call<ErrorBody>('GET', '/projects/demo/calls?limit=0');
    expect(zero.status).toBe(400);
    expect(zero.json.error.message).toBe('"limit" must be a whole number from 1 to 2000, not "0".');
    const negative = await api.call<ErrorBody>('GET', '/projects/demo/labels?since=-1');
    expect(negative.json.error.message).toBe('"since" must be a whole number of at least 0, not "-1".');
    const defaultPage = await api.call<FeedPage>('GET', '/projects/demo/calls');
    expect(defaultPage.json.calls).toHaveLength(100);
  });
});

describe('intent catalogue', () => {
  it('pulls only what changed since a version, and answers 304 to the current ETag', async () => {
    const full = await api.call<CatalogueChanges>('GET', '/projects/demo/intents');
    expect(full.json.complete).toBe(true);
    expect(full.json.intents.length).toBeGreaterThan(10);
    const v = full.json.version;
    expect(full.headers.get('etag')).toBe(full.json.etag);
    const unchanged = await api.call('GET', '/projects/demo/intents', undefined, { 'If-None-Match': full.json.etag });
    expect(unchanged.status).toBe(304);
    const nothing = await api.call<CatalogueChanges>('GET', `/projects/demo/intents?since=${v}`);
    expect(nothing.json).toMatchObject({ version: v, complete: false, intents: [] });

    const put = await api.call<{ intent: CatalogueIntent; version: number }>('PUT', '/projects/demo/intents/ask_refund_status', {
      name: 'Ask refund status',
      examples: ['where is my refund', '我的退款到哪了'],
    });
    expect(put.status).toBe(200);
    expect(put.json.version).toBe(v + 1);
    const renamed = full.json.intents[0]!;
    await api.call('PUT', `/projects/demo/intents/${renamed.id}`, { status: 'deprecated' });
    const changes = await api.call<CatalogueChanges>('GET', `/projects/demo/intents?since=${v}`);
    expect(changes.json.version).toBe(v + 2);
    expect(changes.json.intents.map((i) => [i.id, i.version])).toEqual([
      [renamed.id, v + 2],
      ['ask_refund_status', v + 1],
    ]);
    expect(changes.json.intents[0]).toMatchObject({ status: 'deprecated', name: renamed.name });
    const bad = await api.call<ErrorBody>('PUT', '/projects/demo/intents/x', { status: 'gone' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('status');
  });
});

describe('labels', () => {
  it('is idempotent: the same batch twice gives duplicates and stores nothing new', async () => {
    const batch = [label('l-aaaaaaaa-1', 'call-00000001#1', 'suspect_scam', 'ann'), label('l-aaaaaaaa-2', 'call-00000001#3', null, 'ann')];
    const first = await api.call<{ results: LabelUploadResult[] }>('POST', '/projects/demo/labels', { labels: batch });
    expect(first.json.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const head = platform.project.labels.headSeq;
    const again = await api.call<{ results: LabelUploadResult[] }>('POST', '/projects/demo/labels', { labels: batch });
    expect(again.json.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.json.results.map((r) => r.seq)).toEqual(first.json.results.map((r) => r.seq));
    expect(platform.project.labels.headSeq).toBe(head);
  });

  it('keeps both labels when two annotators disagree and reports the second as a conflict carrying the first', async () => {
    const a = await api.call<{ results: LabelUploadResult[] }>('POST', '/projects/demo/labels', { labels: [label('l-bbbbbbbb-1', 'call-00000002#1', 'identity_confirmed', 'alice')] });
    expect(a.json.results[0]!.status).toBe('accepted');
    const b = await api.call<{ results: LabelUploadResult[] }>('POST', '/projects/demo/labels', {
      labels: [label('l-bbbbbbbb-2', 'call-00000002#1', 'wrong_person', 'bob'), label('l-bbbbbbbb-3', 'call-00000002#1', 'identity_confirmed', 'carol')],
    });
    const [bob, carol] = b.json.results;
    expect(bob!.status).toBe('conflict');
    expect(bob!.conflicts).toEqual([expect.objectContaining({ id: 'l-bbbbbbbb-1', annotator: 'alice', intent: 'identity_confirmed' })]);
    expect(carol!.status).toBe('conflict');
    expect(carol!.conflicts).toEqual([expect.objectContaining({ id: 'l-bbbbbbbb-2', annotator: 'bob' })]);

    const pulled = await api.call<{ labels: StoredLabel[]; nextSince: number; hasMore: boolean }>('GET', `/projects/demo/labels?since=${a.json.results[0]!.seq! - 1}`);
    expect(pulled.json.labels.map((l) => l.id)).toEqual(['l-bbbbbbbb-1', 'l-bbbbbbbb-2', 'l-bbbbbbbb-3']);
    expect(pulled.json.hasMore).toBe(false);
    const paged = await api.call<{ labels: StoredLabel[]; nextSince: number; hasMore: boolean }>('GET', '/projects/demo/labels?since=0&limit=1');
    expect(paged.json).toMatchObject({ nextSince: 1, hasMore: true });
  });

  it('rejects labels of utterances the platform does not have, and malformed batches as a whole', async () => {
    const res = await api.call<{ results: LabelUploadResult[] }>('POST', '/projects/demo/labels', { labels: [label('l-cccccccc-1', 'call-99999999#1', null, 'ann')] });
    expect(res.json.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('call-99999999#1') });
    const bad = await api.call<ErrorBody>('POST', '/projects/demo/labels', { labels: [{ id: 'l-cccccccc-2', utteranceId: 'call-00000001#1' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_request');
    const notJson = await fetch(`${platform.url}/api/v1/projects/demo/labels`, { method: 'POST', headers: { Authorization: 'Bearer test-token-123' }, body: '{"labels": [' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.code).toBe('invalid_json');
  });
});

function catchAllArtifact(): BigramArtifact {
  const examples = platform.project.catalogue.intents.flatMap((i) => i.examples);
  return { format: 'callsift-bigram-baseline', formatVersion: 1, threshold: 0.01, intents: [{ id: 'catch_all', examples }] };
}

describe('model registry and predictions', () => {
  it('uploads, lists, activates and rolls back versions', async () => {
    const none = await api.call<{ model: null; predictor: { version: null; kind: string } }>('GET', '/projects/demo/models/active');
    expect(none.json).toEqual({ model: null, predictor: { version: null, kind: 'catalogue-baseline' } });
    const v1 = await api.call<{ version: number; model: ModelSummary }>('POST', '/projects/demo/models', { artifact: catchAllArtifact(), evaluation: { accuracy: 0.5 }, notes: 'first' });
    expect(v1.status).toBe(201);
    expect(v1.json.version).toBe(1);
    const v2 = await api.call<{ version: number }>('POST', '/projects/demo/models', { artifact: { format: 'unknown' }, notes: 'second' });
    expect(v2.json.version).toBe(2);
    expect((await api.call<ErrorBody>('POST', '/projects/demo/models/rollback')).json.error.code).toBe('nothing_to_roll_back');

    expect((await api.call('POST', '/projects/demo/models/1/activate')).status).toBe(200);
    const act2 = await api.call<{ active: number; predictor: { kind: string } }>('POST', '/projects/demo/models/2/activate');
    expect(act2.json).toMatchObject({ active: 2, predictor: { kind: 'catalogue-baseline' } });
    const list = await api.call<{ active: number; history: number[]; models: (ModelSummary & { active: boolean })[] }>('GET', '/projects/demo/models');
    expect(list.json.active).toBe(2);
    expect(list.json.history).toEqual([1]);
    expect(list.json.models.map((m) => [m.version, m.notes, m.active])).toEqual([
      [1, 'first', false],
      [2, 'second', true],
    ]);
    expect(list.json.models[0]!.evaluation).toEqual({ accuracy: 0.5 });

    const back = await api.call<{ active: number; predictor: { kind: string; version: number } }>('POST', '/projects/demo/models/rollback');
    expect(back.json).toMatchObject({ active: 1, predictor: { kind: 'bigram-artifact', version: 1 } });
    const afterBack = await api.call<{ activatedAt: number; rolledBack: { version: number; activatedAt: number; rolledBackAt: number } | null }>('GET', '/projects/demo/models');
    expect(afterBack.json.rolledBack).toMatchObject({ version: 2, rolledBackAt: afterBack.json.activatedAt });
    expect(afterBack.json.rolledBack!.activatedAt).toBeLessThanOrEqual(afterBack.json.activatedAt);
    expect(list.json).toMatchObject({ rolledBack: null });
    const active = await api.call<{ model: { version: number; artifact: BigramArtifact } }>('GET', '/projects/demo/models/active');
    expect(active.json.model.version).toBe(1);
    expect(active.json.model.artifact.format).toBe('callsift-bigram-baseline');
    expect((await api.call<ErrorBody>('POST', '/projects/demo/models/9/activate')).status).toBe(404);
    expect((await api.call<ErrorBody>('GET', '/projects/demo/models/abc')).status).toBe(404);
    await api.call('POST', '/projects/demo/models/2/activate');
  });

  it('changes the predictions of new traffic only when a model is activated', async () => {
    const before = await pageAll(500);
    const oldJson = JSON.stringify(before);
    const userIntents = (calls: readonly Call[]) => calls.flatMap((c) => c.turns.filter((t) => t.speaker === 'user').map((t) => t.predictedIntent));

    const upload = await api.call<{ version: number }>('POST', '/projects/demo/models', { artifact: catchAllArtifact(), notes: 'catch-all' });
    await api.call('POST', `/projects/demo/models/${upload.json.version}/activate`);
    const predicted = await api.call<{ modelVersion: number; predictions: { intent: string | null }[] }>('POST', '/projects/demo/predict', { texts: ['我就是本人', 'yes this is she'] });
    expect(predicted.json.modelVersion).toBe(upload.json.version);
    expect(predicted.json.predictions.map((p) => p.intent)).toEqual(['catch_all', 'catch_all']);

    await api.call('POST', '/projects/demo/simulate', { calls: 40 });
    const after = await pageAll(500);
    expect(JSON.stringify(after.slice(0, before.length))).toBe(oldJson);
    const fresh = after.slice(before.length);
    expect(fresh).toHaveLength(40);
    const freshIntents = userIntents(fresh);
    expect(freshIntents.filter((i) => i === 'catch_all').length / freshIntents.length).toBeGreaterThan(0.9);
    expect(userIntents(before)).not.toContain('catch_all');

    await api.call('POST', '/projects/demo/models/rollback');
    await api.call('POST', '/projects/demo/simulate', { calls: 20 });
    const rolledBack = (await pageAll(500)).slice(after.length);
    expect(userIntents(rolledBack)).not.toContain('catch_all');
  });
});

describe('faults', () => {
  it('injects 500s, truncated bodies, repeated and skipped ids, delays and hang-ups, only where they are switched on', async () => {
    const set = await api.call<{ faults: Record<string, unknown> }>('POST', '/_faults', { fail: 1, truncate: 1, match: '/calls' });
    expect(set.json.faults).toMatchObject({ fail: 1, truncate: 1, match: '/calls' });
    expect((await api.call('GET', '/projects')).status).toBe(200);
    const failed = await api.call<ErrorBody>('GET', '/projects/demo/calls');
    expect(failed.status).toBe(500);
    expect(failed.json.error.code).toBe('fault_injected');
    const truncated = await api.call('GET', '/projects/demo/calls?limit=3');
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeUndefined();
    expect(truncated.text.startsWith('{"calls":[')).toBe(true);
    expect((await api.call('GET', '/projects/demo/calls')).status).toBe(200);

    await api.call('POST', '/_faults', { repeatIds: 1, skipIds: 1 });
    const repeated = await api.call<FeedPage>('GET', `/projects/demo/calls?limit=5&cursor=${encodeCursor(10)}`);
    expect(repeated.json.calls.map((c) => c.seq)).toEqual([10, 11, 12, 13, 14]);
    const skipped = await api.call<FeedPage>('GET', `/projects/demo/calls?limit=5&cursor=${encodeCursor(10)}`);
    expect(skipped.json.calls.map((c) => c.seq)).toEqual([12, 13, 14, 15, 16]);

    await api.call('POST', '/_faults', { delay: 1, delayMs: 400 });
    const started = Date.now();
    expect((await api.call('GET', '/projects')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);

    await api.call('POST', '/_faults', { hangUp: 1 });
    await expect(api.call('GET', '/projects')).rejects.toThrow();
    expect((await api.call('GET', '/projects')).status).toBe(200);
    const cleared = await api.call<{ faults: Record<string, unknown> }>('DELETE', '/_faults');
    expect(cleared.json.faults).toEqual({ delayMs: 5000 });
  });

  it('has no fault switch unless started with --allow-faults', async () => {
    const other = await startPlatform({ dataDir: await mkdtemp(join(tmpdir(), 'callsift-platform-nofaults-')), token: 'tok-tok-tok' });
    try {
      const res = await apiClient(other.url, 'tok-tok-tok').call<ErrorBody>('POST', '/_faults', { fail: 1 });
      expect(res.status).toBe(404);
      expect(res.json.error.message).toContain('--allow-faults');
    } finally {
      await other.close();
    }
  });
});
