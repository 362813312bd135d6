import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSummary, ClusterSummary, IntentWithCounts, Page as Paged, QueueItem } from '../shared/contract/dto';
import { findEnglishRuns } from '../scripts/englishRuns';
import { startHarness, type Harness } from './harness';

/**
 * Issue 12: in the zh-CN UI no view and no error says anything in English. Every view is visited and a set of
 * errors is provoked the way a user would meet them; the visible text is scanned for runs of three or more Latin
 * words, after the workspace's own data (intent names, utterances, calls, clusters) is taken out.
 */
let h: Harness;
let page: Page;
let dataStrings: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  page = h.page;
  await page.setViewportSize({ width: 1366, height: 768 });
  await h.rpc('workspace.updateSettings', { uiLanguage: 'zh-CN' });
});
afterAll(async () => {
  await h?.close();
});

/** The workspace's data as the views may show it: anything here is the user's words, not ours. */
async function collectDataStrings(): Promise<string[]> {
  const out = new Set<string>();
  const add = (s: string | null | undefined): void => {
    if (s && /[A-Za-z]/.test(s)) out.add(s);
  };
  for (const intent of await h.rpc<IntentWithCounts[]>('intent.listIntents')) {
    add(intent.name);
    add(intent.description);
    intent.examples.forEach(add);
  }
  for (const queue of ['unlabeled', 'recent', 'uncovered', 'informative', 'mislabeled', 'disagreements']) {
    const page1 = await h.rpc<Paged<QueueItem>>('queue.getPage', { queue, limit: 1000 }).catch(() => null);
    for (const item of page1?.items ?? []) {
      add(item.text);
      add(item.botPrompt);
      add(item.campaign);
    }
  }
  const calls = await h.rpc<Paged<CallSummary>>('call.searchCalls', { limit: 1000 });
  for (const c of calls.items) {
    add(c.preview);
    add(c.campaign);
  }
  for (const cl of await h.rpc<ClusterSummary[]>('discovery.listClusters', { includeClosed: true })) {
    add(cl.suggestedName);
    cl.keywords.forEach((k) => add(k.term));
  }
  return [...out];
}

/** The English runs in what the page shows now (body text, including toasts, dialogs and the banner). */
async function englishOnScreen(): Promise<string[]> {
  const text = await page.evaluate('document.body.innerText');
  return findEnglishRuns(String(text), dataStrings);
}

async function waitForIdle(): Promise<void> {
  await page.waitForSelector('.shell-content > *');
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

/** The text of the newest error toast, once one shows. */
async function newestErrorToast(): Promise<string> {
  const toast = page.getByTestId('error-notice').last();
  await toast.waitFor();
  const title = await page.locator('.n-notification', { has: toast }).locator('.n-notification-main__header').textContent();
  return `${title ?? ''}\n${(await toast.innerText()).trim()}`;
}

async function closeToasts(): Promise<void> {
  for (const close of await page.locator('.n-notification .n-base-close').all()) await close.click().catch(() => undefined);
  await page.locator('.n-notification').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
}

async function waitForJob(method: 'model.getStatus' | 'discovery.getStatus'): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const status = await h.rpc<{ job: unknown }>(method, {});
    if (status.job === null) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${method}: the job did not finish`);
}

describe('the zh-CN UI says nothing in English', () => {
  it('prepares a trained model and a clustering, so the ranked queues and Discover have content', async () => {
    await h.rpc('model.train', {});
    await waitForJob('model.getStatus');
    await h.rpc('discovery.run', {});
    await waitForJob('discovery.getStatus');
    dataStrings = await collectDataStrings();
    const status = await h.rpc<{ latest: unknown }>('model.getStatus', {});
    expect(status.latest).not.toBeNull();
  });

  const routes = [
    'inbox',
    'label',
    'label/recent',
    'label/uncovered',
    'label/informative',
    'label/mislabeled',
    'label/disagreements',
    'calls',
    'discovery',
    'intents',
    'models',
    'settings',
  ];
  it.each(routes)('#/%s shows no English sentence', async (route) => {
    await page.goto(`${h.url}/#/${route}`);
    await page.reload();
    await waitForIdle();
    if (route === 'calls') {
      await page.getByTestId('call-row').first().click();
      await page.getByTestId('transcript').waitFor();
    }
    if (route === 'discovery') await page.getByTestId('cluster-member').first().waitFor();
    if (route === 'models') await page.getByTestId('model-report').waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await englishOnScreen()).toEqual([]);
  });

  it('words a duplicate intent name in Chinese', async () => {
    await page.goto(`${h.url}/#/intents`);
    await waitForIdle();
    const taken = (await h.rpc<IntentWithCounts[]>('intent.listIntents'))[0]!.name;
    await page.getByTestId('intent-create').click();
    await page.getByTestId('intent-name').locator('input').fill(taken);
    await page.getByTestId('intent-save').click();
    const toast = await newestErrorToast();
    expect(toast).toContain(`已经有名为“${taken}”的意图。`);
    expect(toast).toContain('冲突');
    await h.shot('chinese-01-duplicate-intent');
    expect(await englishOnScreen()).toEqual([]);
    await page.keyboard.press('Escape');
    await closeToasts();
  });

  it('words a validation error by field and problem', async () => {
    await page.goto(`${h.url}/#/settings`);
    await waitForIdle();
    await page.getByTestId('settings-annotator').locator('input').fill('   ');
    await page.getByTestId('settings-annotator-save').click();
    const toast = await newestErrorToast();
    expect(toast).toContain('字段 annotator：不能为空。');
    expect(await englishOnScreen()).toEqual([]);
    await closeToasts();
  });

  it('words a refused path in Chinese', async () => {
    await page.goto(`${h.url}/#/settings`);
    await waitForIdle();
    await page.getByTestId('settings-open-folder').locator('input').fill('/etc');
    await page.getByTestId('settings-open').click();
    const toast = await newestErrorToast();
    expect(toast).toContain('不允许');
    expect(toast).toContain('已拒绝：文件夹“/etc”（字段 folder）不在 Callsift 在此可使用的文件夹内');
    await h.shot('chinese-02-refused-path');
    expect(await englishOnScreen()).toEqual([]);
    await closeToasts();
  });

  it('words a bad sync address and an unreachable platform in Chinese', async () => {
    await page.goto(`${h.url}/#/settings`);
    await waitForIdle();
    await page.getByTestId('sync-url').locator('input').fill('file:///etc/passwd');
    await page.getByTestId('sync-token').locator('input').fill('token');
    await page.getByTestId('sync-project').locator('input').fill('demo');
    await page.getByTestId('sync-connect').click();
    const error = page.getByTestId('sync-connect-error-text');
    await error.waitFor();
    expect(await error.innerText()).toBe('字段 url：必须是以 http:// 或 https:// 开头、带主机名且不含用户名和密码的地址。');
    expect(await englishOnScreen()).toEqual([]);

    await page.getByTestId('sync-url').locator('input').fill('http://127.0.0.1:1');
    await page.getByTestId('sync-token').locator('input').fill('token');
    await page.getByTestId('sync-connect').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sync-connect-error-text"]')?.textContent?.includes('127.0.0.1:1'));
    expect(await error.innerText()).toBe('无法连接 http://127.0.0.1:1 上的平台：连接被拒绝（平台是否在该端口上运行？）。');
    expect(await englishOnScreen()).toEqual([]);
    await closeToasts();
  });

  it('words an import file it cannot read in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callsift-zh-'));
    const file = join(dir, 'broken.xlsx');
    writeFileSync(file, Buffer.from('this is not a workbook at all, just some words in a file'));
    await page.goto(`${h.url}/#/inbox`);
    await waitForIdle();
    await page.getByTestId('open-transfer').click();
    await page.getByTestId('transfer-dialog').locator('.n-tabs-tab', { hasText: '导入' }).click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.waitForFunction(() => document.body.innerText.includes('无法作为 Excel 工作簿'));
    dataStrings.push('broken.xlsx');
    expect(await englishOnScreen()).toEqual([]);
    await page.keyboard.press('Escape');
    await closeToasts();
  });

  it('words the server out of reach in Chinese (the banner, and no English toast)', async () => {
    await page.goto(`${h.url}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.context().setOffline(true);
    await page.keyboard.press('1');
    await page.getByTestId('connection-banner').waitFor();
    expect(await page.getByTestId('connection-banner').innerText()).toContain('与 Callsift 服务器的连接已断开');
    expect(await englishOnScreen()).toEqual([]);
    await page.context().setOffline(false);
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
