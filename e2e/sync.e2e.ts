import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { currentUtteranceId } from './labelPage';
import { settle, startHarness, stopServer, waitForUrl, type Harness } from './harness';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'e2e-sync-token';
const PROJECT = 'demo';

interface PlatformProcess {
  readonly url: string;
  readonly child: ChildProcess;
}
interface PlatformLabel {
  readonly id: string;
  readonly utteranceId: string;
  readonly intent: string | null;
  readonly annotator: string;
}

let tempDir = '';
let platform: PlatformProcess | null = null;
let h: Harness;
let page: Page;

async function startPlatform(dataDir: string): Promise<PlatformProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'platform/cli.ts', '--port', '0', '--data', dataDir, '--token', TOKEN], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { url: await waitForUrl(child, 60_000, 'Platform is serving'), child };
}

async function platformApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  if (!platform) throw new Error('The platform is not running.');
  const response = await fetch(`${platform.url}/api/v1/projects/${PROJECT}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function platformLabels(): Promise<PlatformLabel[]> {
  return (await platformApi<{ labels: PlatformLabel[] }>('/labels?since=0&limit=1000')).labels;
}

async function countOf(testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-count'));
}

async function waitForCount(testId: string, want: number): Promise<void> {
  await page.waitForFunction(
    ([id, n]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-count') === String(n),
    [testId, want] as const,
  );
}

/** Clicks "Sync now" in the status bar and waits until a sync newer than `after` finished. */
async function syncNowFromBar(after: number): Promise<void> {
  await page.getByTestId('sync-bar-now').click();
  await page.waitForFunction(
    (since) => {
      const bar = document.querySelector('[data-testid="sync-status"]');
      const at = Number(document.querySelector('[data-testid="sync-last"]')?.getAttribute('data-at') ?? '');
      return bar?.getAttribute('data-running') === 'no' && Number.isFinite(at) && at > since;
    },
    after,
    { timeout: 20_000 },
  ).catch(async (err: unknown) => {
    const status = await h.api.sync.getStatus({});
    throw new Error(`No sync finished after ${after}: ${JSON.stringify(status)}`, { cause: err });
  });
}

const currentId = (): Promise<string> => currentUtteranceId(page);

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'callsift-sync-e2e-'));
  platform = await startPlatform(join(tempDir, 'platform'));
  const simulated = await platformApi<unknown>('/simulate', { method: 'POST', body: { calls: 200 } });
  expect(simulated).toBeTruthy();
  h = await startHarness({ workspace: join(tempDir, 'workspace') });
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  if (platform) await stopServer(platform.child);
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('sync with a local platform', () => {
  const labeled: string[] = [];
  let callsBefore = 0;

  it('starts offline with an empty workspace', async () => {
    callsBefore = (await h.api.workspace.getInfo({})).calls;
    await page.goto(`${h.url}/#/settings`);
    await page.waitForSelector('[data-testid="sync-status"][data-connection="disconnected"]');
    await page.waitForSelector('[data-testid="sync-settings"]');
  });

  it('shows a wrong token in words, then connects with the right one', async () => {
    if (!platform) throw new Error('no platform');
    await page.getByTestId('sync-url').locator('input').fill(platform.url);
    await page.getByTestId('sync-token').locator('input').fill('not-the-token');
    await page.getByTestId('sync-project').locator('input').fill(PROJECT);
    await page.getByTestId('sync-connect').click();
    const error = page.getByTestId('sync-connect-error');
    await error.waitFor();
    const words = (await error.textContent()) ?? '';
    expect(words).toContain('令牌被拒绝');
    expect(words).toContain(`${platform.url} 上的平台拒绝了令牌（HTTP 401）。`);
    expect((await h.api.sync.getStatus({})).connection).toBe('disconnected');
    await h.shot('sync-01-wrong-token');

    await page.getByTestId('sync-token').locator('input').fill(TOKEN);
    await page.getByTestId('sync-connect').click();
    await page.waitForSelector('[data-testid="sync-linked"]');
    await page.waitForSelector('[data-testid="sync-status"][data-connection="online"]');
    expect(await page.getByTestId('sync-connect-error').count()).toBe(0);
    expect((await page.getByTestId('sync-connection').textContent()) ?? '').toContain(platform.url);
  });

  it('pulls the calls with Sync now and shows the last sync in the status bar', async () => {
    await page.getByTestId('sync-now').click();
    await page.waitForFunction(
      () => {
        const bar = document.querySelector('[data-testid="sync-status"]');
        return bar?.getAttribute('data-running') === 'no' && (document.querySelector('[data-testid="sync-last"]')?.getAttribute('data-at') ?? '') !== '';
      },
      undefined,
      { timeout: 60_000 },
    );
    expect((await page.getByTestId('sync-last').textContent()) ?? '').toContain('刚刚');
    const info = await h.api.workspace.getInfo({});
    expect(info.calls).toBe(callsBefore + 200);
    await page.waitForFunction((n) => (document.querySelector('[data-testid="settings-folder"]')?.parentElement?.textContent ?? '').includes(`${n} 通`), info.calls);
    await h.shot('sync-02-synced');
  });

  it('labels 3 utterances with the keyboard and sends them with Sync now', async () => {
    await page.goto(`${h.url}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.waitForSelector('[data-testid="transcript-focus"]');
    for (const key of ['1', '2', '1']) {
      const before = await currentId();
      await page.keyboard.press(key);
      labeled.push(before);
      await page.waitForFunction((prev) => document.querySelector('[data-testid="current-utterance"]')?.getAttribute('data-utterance-id') !== prev, before);
    }
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    await h.shot('sync-03-labeled');
    const status = await h.api.sync.getStatus({});
    await syncNowFromBar(status.lastSyncAt ?? 0);
    await waitForCount('sync-pending', 0);
    expect(await countOf('sync-pending')).toBe(0);

    const labels = await platformLabels();
    expect(labels.map((l) => l.utteranceId).sort()).toEqual([...labeled].sort());
    expect(labels.every((l) => l.intent !== null)).toBe(true);
    await h.shot('sync-04-sent');
  });

  it('reviews a conflict with another annotator and takes theirs with T', async () => {
    const [mine] = (await platformLabels()).filter((l) => l.utteranceId === labeled[0]);
    if (!mine) throw new Error('our label is not on the platform');
    const catalogue = await platformApi<{ intents: { id: string; name: string }[] }>('/intents');
    const other = catalogue.intents.find((i) => i.id !== mine.intent);
    if (!other) throw new Error('the catalogue has a single intent');
    await platformApi('/labels', {
      method: 'POST',
      body: { labels: [{ id: `e2e-other-${Date.now()}`, utteranceId: mine.utteranceId, intent: other.id, annotator: 'reviewer-li', labeledAt: Date.now() }] },
    });
    const status = await h.api.sync.getStatus({});
    await syncNowFromBar(status.lastSyncAt ?? 0);
    await waitForCount('sync-conflicts', 1);

    await page.getByTestId('sync-conflicts').click();
    const row = page.getByTestId('conflict-row');
    await row.waitFor();
    await expect(row.getAttribute('data-selected')).resolves.toBe('yes');
    await expect(page.getByTestId('conflict-theirs').textContent()).resolves.toBe(other.name);
    expect((await row.textContent()) ?? '').toContain('reviewer-li');
    await page.waitForFunction(() => {
      const drawer = document.querySelector('.n-drawer');
      return drawer !== null && Math.abs(drawer.getBoundingClientRect().right - window.innerWidth) < 1 && document.querySelector('.n-drawer .n-spin-body') === null;
    });
    await settle(page);
    await h.shot('sync-05-conflicts');

    await page.keyboard.press('t');
    await page.getByTestId('conflicts-empty').waitFor();
    await waitForCount('sync-conflicts', 0);
    const [callId, turn] = [mine.utteranceId.slice(0, mine.utteranceId.lastIndexOf('#')), Number(mine.utteranceId.slice(mine.utteranceId.lastIndexOf('#') + 1))];
    const call = await h.api.call.getCall({ callId });
    expect(call.labels[turn]?.target).toEqual({ kind: 'intent', intentId: other.id });
    await h.shot('sync-06-conflict-resolved');
  });
  it('trains a model, pushes it with a note and activates it on the platform', async () => {
    // Enough labels to train: the platform's own confident predictions, given as labels through the API.
    const page0 = await h.api.queue.getPage({
      queue: 'unlabeled',
      limit: 400,
    });
    const byIntent = new Map<string, string[]>();
    for (const item of page0.items) {
      if (!item.predictedIntent || (item.predictedConfidence ?? 0) < 0.5) continue;
      byIntent.set(item.predictedIntent, [...(byIntent.get(item.predictedIntent) ?? []), item.id]);
    }
    let given = 0;
    for (const [intentId, ids] of byIntent) {
      if (ids.length < 3) continue;
      await h.api.label.bulkLabel({ utteranceIds: ids, target: { kind: 'intent', intentId } });
      given += ids.length;
    }
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('.n-drawer') === null);
    await page.goto(`${h.url}/#/models`);
    // 50 new labels or more start warm retraining by itself (2 s after them): wait for it to start, rather than
    // guessing with a sleep whether to press Train.
    expect(given).toBeGreaterThanOrEqual(50);
    await vi.waitFor(
      async () => {
        const started = await h.api.model.getStatus({});
        expect(started.job !== null || started.latest !== null).toBe(true);
      },
      { timeout: 60_000, interval: 200 },
    );
    let status = await h.api.model.getStatus({});
    expect(status.cannotTrain).toBeNull();
    const row = page.locator('[data-testid="version-row"][data-version="1"]');
    await row.waitFor({ timeout: 120_000 });
    status = await h.api.model.getStatus({});
    expect(status.latest).not.toBeNull();
    if (!((await row.getAttribute('class')) ?? '').includes('selected')) await row.click();
    await page.getByTestId('model-push-panel').waitFor();
    await page.getByTestId('model-push-comparison').waitFor({ timeout: 60_000 });
    await page.getByTestId('model-push-note').locator('textarea').fill('e2e: first model trained in Callsift');
    await page.getByTestId('model-push-button').click();
    await page.getByTestId('model-push-activate').click();
    await page.waitForSelector('[data-testid="platform-version-row"][data-active="true"]');
    const active = await platformApi<{ version: number | null; notes?: string }>('/models/active');
    expect(active.version).not.toBeNull();
    expect(JSON.stringify(active)).toContain('e2e: first model trained in Callsift');
    await h.shot('sync-07-model-pushed');
  });
});
