import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { settle, useHarness, type Harness } from './harness';
import { currentUtteranceId, labelInARow } from './labelPage';

/** Browser mode when the network to the server goes away and comes back, in the zh-CN UI. */
let h: Harness;
let page: Page;

useHarness((started) => ([h, page] = [started, started.page]));

const sessionDone = async (): Promise<number> => Number((await page.getByTestId('session-done').textContent()) ?? '0');

describe('server out of reach', () => {
  it('shows one banner at once, pauses label keys, never shows unsaved work as saved, and resumes by itself', async () => {
    await page.goto(`${h.url}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    const recentBefore = (await h.api.queue.getPage({ queue: 'recent', limit: 1 })).total;
    await labelInARow(page, 3);
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    const savedBefore = await sessionDone();

    await page.context().setOffline(true);
    // The first key may still go out and fail; from then on keys are refused while the banner shows.
    await page.keyboard.press('1');
    await page.getByTestId('connection-banner').waitFor();
    const stuckOn = await currentUtteranceId(page);
    for (let i = 0; i < 5; i++) await page.keyboard.press('1');
    // Each key is handled (and refused) as it is pressed; a rendered frame later, anything it changed would show.
    await settle(page);
    expect(await currentUtteranceId(page)).toBe(stuckOn);
    expect(await sessionDone()).toBe(savedBefore);
    expect(await page.getByTestId('connection-banner').count()).toBe(1);
    expect(await page.getByTestId('error-notice').count()).toBe(0);
    expect(await page.getByTestId('save-status').getAttribute('data-state')).toBe('offline');
    expect(await page.getByTestId('connection-banner').textContent()).toContain('与 Callsift 服务器的连接已断开');
    await h.shot('connection-01-offline-zh');

    await page.context().setOffline(false);
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await labelInARow(page, 1);
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    await h.shot('connection-02-back-zh');
    expect(await sessionDone()).toBe(savedBefore + 1);
    const recent = await h.api.queue.getPage({ queue: 'recent', limit: 1 });
    expect(recent.total).toBe(recentBefore + savedBefore + 1);
  });
});
