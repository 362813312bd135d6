import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotDir, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('views that load on first open', () => {
  it('loads Models only when it is opened, and offers a reload when its chunk cannot be fetched', async () => {
    const page = h.page;
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.route('**/assets/ModelsView-*.js', (route) => route.abort());
    await page.goto(h.url);
    await page.getByTestId('nav-models').waitFor();
    expect(scripts.some((s) => s.includes('ModelsView'))).toBe(false);
    await page.getByTestId('nav-models').click();
    await expect(page.getByText('此页面未能加载').waitFor()).resolves.toBeUndefined();
    await h.shot('lazy-01-view-not-loaded');
    expect(scripts.filter((s) => s.includes('ModelsView')).length).toBeGreaterThanOrEqual(1);
    await page.unroute('**/assets/ModelsView-*.js');
    await page.getByRole('button', { name: '重新加载' }).click();
    await page.getByTestId('nav-models').click();
    await page.getByTestId('train-button').or(page.getByText('训练模型')).first().waitFor();
    await h.shot('lazy-02-view-after-reload');
  });
});

describe('a browser without the session', () => {
  it('shows how to get in, in Chinese and English, and reads no data', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      const answers: number[] = [];
      page.on('response', (r) => {
        if (new URL(r.url()).pathname.startsWith('/rpc/')) answers.push(r.status());
      });
      await page.goto(`${h.url}/#/inbox`);
      const panel = page.getByTestId('auth-required');
      await panel.waitFor();
      await expect(panel.textContent()).resolves.toContain('请打开 Callsift 在终端中打印的链接');
      await expect(panel.textContent()).resolves.toContain('Open the link Callsift printed in the terminal');
      expect(await page.getByTestId('error-notice').count()).toBe(0);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.every((status) => status === 401)).toBe(true);
      await page.screenshot({ path: `${screenshotDir}/auth-01-no-session.png` });

      // A wrong secret in the link gets no session either; the right one lets the page in.
      const wrong = await page.goto(`${h.url}/?secret=${'A'.repeat(43)}`);
      expect(wrong?.status()).toBe(401);
      await page.goto(h.loginUrl);
      expect(page.url()).toBe(`${h.url}/`);
      await page.getByTestId('nav-models').waitFor();
      expect(await page.getByTestId('auth-required').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
