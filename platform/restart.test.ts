import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../shared/domain/types';
import type { LabelUploadResult } from './store/labelBook';
import { apiClient, startPlatformProcess, type PlatformProcess } from './testPlatform';

interface FeedPage {
  calls: (Call & { seq: number })[];
  nextCursor: string;
  hasMore: boolean;
}

const TOTAL = 10_000;
const LIMIT = 500;

let dir: string;
let running: PlatformProcess | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-platform-restart-'));
});

afterAll(async () => {
  await running?.stop('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('the platform as a process, killed and restarted', () => {
  it('pages 10k calls with no duplicates and no gaps across a kill -9 mid-way, resuming from the saved cursor', async () => {
    running = await startPlatformProcess(['--data', dir]);
    const token = running.token;
    const tokenFile = join(dir, 'token');
    expect((await readFile(tokenFile, 'utf8')).trim()).toBe(token);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);

    let api = apiClient(running.url, token);
    const sim = await api.call<{ lastSeq: number }>('POST', '/projects/demo/simulate', { calls: TOTAL });
    expect(sim.json.lastSeq).toBe(TOTAL);

    const seen: (Call & { seq: number })[] = [];
    let cursor = '';
    const started = performance.now();
    for (let page = 0; page < 9; page++) {
      const res = await api.call<FeedPage>('GET', `/projects/demo/calls?limit=${LIMIT}&cursor=${cursor}`);
      seen.push(...res.json.calls);
      cursor = res.json.nextCursor;
    }
    let pagingMs = performance.now() - started;
    const beforeKill = seen.at(-1)!;

    await running.stop('SIGKILL');
    running = await startPlatformProcess(['--data', dir]);
    expect(running.token).toBe(token);
    api = apiClient(running.url, token);

    const resumed = performance.now();
    for (;;) {
      const res = await api.call<FeedPage>('GET', `/projects/demo/calls?limit=${LIMIT}&cursor=${cursor}`);
      expect(res.status).toBe(200);
      seen.push(...res.json.calls);
      cursor = res.json.nextCursor;
      if (!res.json.hasMore) break;
    }
    pagingMs += performance.now() - resumed;

    expect(seen).toHaveLength(TOTAL);
    expect(seen.map((c) => c.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    expect(new Set(seen.map((c) => c.id)).size).toBe(TOTAL);
    const again = await api.call<FeedPage>('GET', `/projects/demo/calls?limit=1&cursor=${Buffer.from(JSON.stringify({ seq: beforeKill.seq - 1 })).toString('base64url')}`);
    expect(again.json.calls[0]).toEqual(beforeKill);
    console.log(`feed: ${TOTAL} calls in ${(pagingMs / 1000).toFixed(2)} s of paging (limit ${LIMIT}) = ${Math.round(TOTAL / (pagingMs / 1000))} calls/s`);

    const more = await api.call<{ firstSeq: number; lastSeq: number }>('POST', '/projects/demo/simulate', { calls: 5 });
    expect(more.json).toEqual(expect.objectContaining({ firstSeq: TOTAL + 1, lastSeq: TOTAL + 5 }));
    const tail = await api.call<FeedPage>('GET', `/projects/demo/calls?cursor=${cursor}`);
    expect(tail.json.calls.map((c) => c.seq)).toEqual([TOTAL + 1, TOTAL + 2, TOTAL + 3, TOTAL + 4, TOTAL + 5]);
  });

  it('keeps labels, their idempotency and the active model across a restart', async () => {
    let api = apiClient(running!.url, running!.token);
    const batch = [
      { id: 'restart-label-1', utteranceId: 'call-00000005#1', intent: 'x', annotator: 'ann', labeledAt: 1 },
      { id: 'restart-label-2', utteranceId: 'call-00000005#1', intent: 'y', annotator: 'bob', labeledAt: 2 },
    ];
    const first = await api.call<{ results: LabelUploadResult[] }>('POST', '/projects/demo/labels', { labels: batch });
    expect(first.json.results.map((r) => r.status)).toEqual(['accepted', 'conflict']);
    const artifact = { format: 'callsift-bigram-baseline', formatVersion: 1, threshold: 0.2, intents: [{ id: 'greeting', examples: ['hello there'] }] };
    const model = await api.call<{ version: number }>('POST', '/projects/demo/models', { artifact, notes: 'n' });
    await api.call('POST', `/projects/demo/models/${model.json.version}/activate`);

    await running!.stop('SIGKILL');
    running = await startPlatformProcess(['--data', dir, '--token', 'explicit-token']);
    expect(running.token).toBe('explicit-token');
    api = apiClient(running.url, 'explicit-token');

    const again = await api.call<{ results: LabelUploadResult[] }>('POST', '/projects/demo/labels', { labels: batch });
    expect(again.json.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.json.results[0]!.conflicts).toEqual([expect.objectContaining({ id: 'restart-label-2' })]);
    const predicted = await api.call<{ modelVersion: number; predictions: { intent: string | null }[] }>('POST', '/projects/demo/predict', { texts: ['hello there!'] });
    expect(predicted.json).toMatchObject({ modelVersion: model.json.version, predictions: [{ intent: 'greeting' }] });
    const stale = await apiClient(running.url, 'not-the-token').call<{ error: { code: string } }>('GET', '/projects');
    expect(stale.status).toBe(401);
  });
});
