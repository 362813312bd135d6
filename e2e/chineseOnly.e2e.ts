import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEnglishRuns } from '../shared/text/englishRuns';
import { startHarness, type Harness } from './harness';
import { openTransferTab } from './transferPage';

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
  await h.api.workspace.updateSettings({ uiLanguage: 'zh-CN' });
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
  const info = await h.api.workspace.getInfo({});
  add(info.name);
  add(info.folder);
  info.annotators.forEach(add);
  for (const intent of await h.api.intent.listIntents({})) {
    add(intent.name);
    add(intent.description);
    intent.examples.forEach(add);
  }
  for (const queue of ['unlabeled', 'recent', 'uncovered', 'informative', 'mislabeled', 'disagreements'] as const) {
    const page1 = await h.api.queue.getPage({ queue, limit: 1000 }).catch(() => null);
    for (const item of page1?.items ?? []) {
      add(item.text);
      add(item.botPrompt);
      add(item.campaign);
    }
  }
  const calls = await h.api.call.searchCalls({ limit: 1000 });
  for (const c of calls.items) {
    add(c.preview);
    add(c.campaign);
  }
  for (const cl of await h.api.discovery.listClusters({ includeClosed: true })) {
    add(cl.suggestedName);
    cl.keywords.forEach((k) => add(k.term));
  }
  return [...out];
}

/**
 * The English runs in what the page shows now (body text, including toasts, dialogs and the banner), one per line.
 * Regions the views mark as the user's data (`data-user-text`: utterances, turns) are left out, as are data strings.
 */
async function englishOnScreen(): Promise<string> {
  const text = await page.evaluate(`(() => {
    const style = document.createElement('style');
    style.textContent = '[data-user-text] { visibility: hidden !important; }';
    document.head.appendChild(style);
    const text = document.body.innerText;
    style.remove();
    return text;
  })()`);
  return findEnglishRuns(String(text), dataStrings).join('\n');
}

async function waitForIdle(): Promise<void> {
  await page.waitForSelector('.shell-content > *');
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

/** The headline and text of the error toast that says `words`, once it shows. */
async function errorToast(words: string): Promise<string> {
  const toast = page.getByTestId('error-notice').filter({ hasText: words });
  await toast.waitFor();
  const title = await toast.evaluate((el) => el.closest('.n-notification-main')?.querySelector('.n-notification-main__header')?.textContent ?? '');
  // Shown in full (its entering transition over), so a screenshot shows what a user reads.
  await toast.evaluate(
    (el) =>
      new Promise<void>((done) => {
        const wrapper = el.closest('.n-notification-wrapper') ?? el;
        const settle = (): void => {
          if (wrapper.getAnimations({ subtree: true }).length === 0) done();
          else requestAnimationFrame(settle);
        };
        settle();
      }),
  );
  return `${title}\n${(await toast.innerText()).trim()}`;
}

/** Reloads the page on `route`, so no toast or dialog of the step before is left. */
async function open(route: string): Promise<void> {
  await page.goto(`${h.url}/#/${route}`);
  await page.reload();
  await waitForIdle();
}

/** A local port nothing listens on (one the system just gave out and took back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function waitForJob(method: 'model.getStatus' | 'discovery.getStatus'): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const status = method === 'model.getStatus' ? await h.api.model.getStatus({}) : await h.api.discovery.getStatus({});
    if (status.job === null) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${method}: the job did not finish`);
}

describe('the zh-CN UI says nothing in English', () => {
  it('prepares a trained model and a clustering, so the ranked queues and Discover have content', async () => {
    await h.api.model.train({});
    await waitForJob('model.getStatus');
    await h.api.discovery.run({});
    await waitForJob('discovery.getStatus');
    dataStrings = await collectDataStrings();
    const status = await h.api.model.getStatus({});
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
    await open(route);
    if (route === 'calls') {
      await page.getByTestId('call-row').first().click();
      await page.getByTestId('transcript').waitFor();
    }
    if (route === 'discovery') await page.getByTestId('cluster-member').first().waitFor();
    if (route === 'models') await page.getByTestId('model-report').waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await englishOnScreen()).toBe('');
  });

  it('words a duplicate intent name in Chinese', async () => {
    await open('intents');
    const taken = (await h.api.intent.listIntents({}))[0]!.name;
    await page.getByTestId('intent-create').click();
    await page.getByTestId('intent-name').locator('input').fill(taken);
    await page.getByTestId('intent-save').click();
    const toast = await errorToast(`已经有名为“${taken}”的意图。`);
    expect(toast).toContain('出错了: 冲突');
    // The field is named in the UI's language, not by its id.
    expect(toast).toContain('字段：名称');
    expect(toast).not.toContain('name');
    await h.shot('chinese-01-duplicate-intent');
    expect(await englishOnScreen()).toBe('');
  });

  it.each([
    ['a validation error by field and problem', 'settings-annotator', '   ', 'settings-annotator-save', '字段「标注员」：不能为空。', '出错了: 输入有误', null],
    ['a refused path', 'settings-open-folder', '/etc', 'settings-open', '已拒绝：文件夹“/etc”（字段「文件夹」）不在 Callsift 在此可使用的文件夹内', '出错了: 不允许', 'chinese-02-refused-path'],
  ])('words %s in Chinese', async (_what, field, value, submit, says, headline, shot) => {
    await open('settings');
    await page.getByTestId(field).locator('input').fill(value);
    await page.getByTestId(submit).click();
    const toast = await errorToast(says);
    expect(toast).toContain(headline);
    if (shot) await h.shot(shot);
    expect(await englishOnScreen()).toBe('');
  });

  it('words a bad sync address and an unreachable platform in Chinese', async () => {
    await open('settings');
    await page.getByTestId('sync-url').locator('input').fill('file:///etc/passwd');
    await page.getByTestId('sync-token').locator('input').fill('token');
    await page.getByTestId('sync-project').locator('input').fill('demo');
    await page.getByTestId('sync-connect').click();
    const error = page.getByTestId('sync-connect-error-text');
    await error.waitFor();
    expect(await error.innerText()).toBe('字段「地址」：必须是以 http:// 或 https:// 开头、带主机名且不含用户名和密码的地址。');
    expect(await englishOnScreen()).toBe('');

    const closed = await closedPort();
    await page.getByTestId('sync-url').locator('input').fill(`http://127.0.0.1:${closed}`);
    await page.getByTestId('sync-token').locator('input').fill('token');
    await page.getByTestId('sync-connect').click();
    await page.waitForFunction((port) => document.querySelector('[data-testid="sync-connect-error-text"]')?.textContent?.includes(`127.0.0.1:${port}`), closed);
    expect(await error.innerText()).toBe(`无法连接 http://127.0.0.1:${closed} 上的平台：连接被拒绝（平台是否在该端口上运行？）。`);
    await h.shot('chinese-03-platform-unreachable');
    expect(await englishOnScreen()).toBe('');
  });

  it('words an import file it cannot read in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callsift-zh-'));
    const file = join(dir, 'broken.xlsx');
    writeFileSync(file, Buffer.from('this is not a workbook at all, just some words in a file'));
    await open('inbox');
    await openTransferTab(page, '导入');
    await page.getByTestId('import-file').setInputFiles(file);
    await page.waitForFunction(() => document.body.innerText.includes('无法作为 Excel 工作簿'));
    dataStrings.push('broken.xlsx');
    expect(await englishOnScreen()).toBe('');
  });

  it('words the server out of reach in Chinese (the banner, and no English toast)', async () => {
    await open('label');
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.context().setOffline(true);
    await page.keyboard.press('1');
    await page.getByTestId('connection-banner').waitFor();
    expect(await page.getByTestId('connection-banner').innerText()).toContain('与 Callsift 服务器的连接已断开');
    expect(await englishOnScreen()).toBe('');
    await page.context().setOffline(false);
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
