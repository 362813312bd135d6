import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

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
