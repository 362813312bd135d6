import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { IntentWithCounts } from '../shared/contract/dto';
import { settle, useHarness, type Harness } from './harness';

let h: Harness;
let page: Page;

const MERGE_SOURCE = 'cancel_insurance';
const MERGE_TARGET = 'unaware_of_purchase';
const DEPRECATE = 'is_robot';

async function listIntents(): Promise<readonly IntentWithCounts[]> {
  return h.api.intent.listIntents({});
}

async function intentById(id: string): Promise<IntentWithCounts> {
  const found = (await listIntents()).find((i) => i.id === id);
  if (!found) throw new Error(`no intent ${id}`);
  return found;
}

async function search(query: string): Promise<void> {
  await page.getByTestId('intents-search').locator('input').fill(query);
}

/** Names of the rows the intents table shows now. */
async function tableNames(): Promise<string[]> {
  return page.$$eval('[data-testid="intent-row-name"]', (cells) => cells.map((c) => c.textContent ?? ''));
}

async function waitForRow(name: string): Promise<void> {
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('[data-testid="intent-row-name"]')].some((c) => c.textContent === want),
    name,
  );
}

/** Filters the table down to `id`'s row by its name (the table is virtualized) and waits for its labeled count to be `want`. */
async function waitForLabeledCell(id: string, want: number): Promise<void> {
  await search((await intentById(id)).name);
  await page.waitForFunction(
    ([intentId, n]) => document.querySelector(`[data-testid="intent-row-labeled"][data-intent-id="${intentId}"]`)?.textContent === String(n),
    [id, want] as const,
  );
}

/** Filters the table down to `id`'s row by its name and clicks one of its action buttons. */
async function clickRowAction(id: string, action: 'intent-edit' | 'intent-merge' | 'intent-toggle-status'): Promise<void> {
  await search((await intentById(id)).name);
  const row = page.locator('tr', { has: page.locator(`[data-testid="intent-row-name"][data-intent-id="${id}"]`) });
  await row.getByTestId(action).click();
}

async function pickerIds(query: string): Promise<string[]> {
  await page.goto(`${h.url}/#/label`);
  await page.waitForSelector('[data-testid="current-utterance"]');
  await page.keyboard.press('/');
  await page.getByTestId('picker-input').fill('');
  await page.keyboard.type(query);
  // The choices are computed from the query as it is typed: once the input holds all of it and a frame has rendered,
  // the list is the one for this query.
  await page.waitForFunction((q) => (document.querySelector('[data-testid="picker-input"]') as HTMLInputElement | null)?.value === q, query);
  await settle(page);
  const ids = await page.$$eval('[data-testid="picker-choice"]', (els) => els.map((e) => e.getAttribute('data-intent-id') ?? ''));
  await page.keyboard.press('Escape');
  return ids;
}

async function openIntents(): Promise<void> {
  await page.goto(`${h.url}/#/intents`);
  await page.waitForSelector('[data-testid="intent-row-name"]');
}

useHarness((started) => ([h, page] = [started, started.page]));

describe('the intent catalogue', () => {
  it('opens the Intents view with the demo catalogue', async () => {
    await openIntents();
    await expect(page.getByTestId('nav-intents').textContent()).resolves.toContain('意图');
    expect((await tableNames()).length).toBeGreaterThan(5);
    await h.shot('intents-01-view');
  });

  it('creates an intent with a description and two examples', async () => {
    await page.getByTestId('intent-create').click();
    await page.getByTestId('intent-name').locator('input').fill('询问积分');
    await page.getByTestId('intent-description').locator('textarea').fill('用户询问积分余额（asks about reward points）');
    for (const example of ['我还有多少积分', '积分怎么用']) {
      await page.getByTestId('intent-examples').locator('button').last().click();
      const input = page.getByTestId('intent-examples').locator('input');
      await input.fill(example);
      await input.press('Enter');
    }
    await expect(page.getByTestId('intent-examples').locator('.n-tag').count()).resolves.toBe(2);
    await h.shot('intents-02-create-drawer');
    await page.getByTestId('intent-save').click();
    await page.locator('.n-drawer').waitFor({ state: 'detached' });
    await search('询问积分');
    await waitForRow('询问积分');
    const created = (await listIntents()).find((i) => i.name === '询问积分');
    expect(created?.examples).toEqual(['我还有多少积分', '积分怎么用']);
    expect(created?.description).toContain('reward points');
    await h.shot('intents-03-created');
  });

  it('renames it', async () => {
    const created = (await listIntents()).find((i) => i.name === '询问积分');
    if (!created) throw new Error('the created intent is missing');
    await clickRowAction(created.id, 'intent-edit');
    const name = page.getByTestId('intent-name').locator('input');
    await expect(name.inputValue()).resolves.toBe('询问积分');
    await name.fill('查询积分');
    await page.getByTestId('intent-save').click();
    await page.locator('.n-drawer').waitFor({ state: 'detached' });
    await search('查询积分');
    await waitForRow('查询积分');
    expect((await intentById(created.id)).name).toBe('查询积分');
    expect((await intentById(created.id)).examples).toHaveLength(2);
    await h.shot('intents-04-renamed');
  });

  it('finds an intent by a misspelled English word of its description', async () => {
    await search('confrms');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="intent-row-name"]').length > 0);
    const ids = await page.$$eval('[data-testid="intent-row-name"]', (cells) => cells.map((c) => c.getAttribute('data-intent-id')));
    expect(ids).toContain('identity_confirmed');
    expect(ids.length).toBeLessThan((await listIntents()).length);
    await h.shot('intents-05-misspelled-en');
  });

  it('merges an intent with labeled members into another, and undoes the merge', async () => {
    const source = await intentById(MERGE_SOURCE);
    const target = await intentById(MERGE_TARGET);
    expect(source.labeled).toBeGreaterThan(0);
    await clickRowAction(MERGE_SOURCE, 'intent-merge');
    await page.waitForSelector('[data-testid="merge-dialog"]');
    await expect(page.getByTestId('merge-warning').textContent()).resolves.toContain(String(source.labeled));
    await page.getByTestId('merge-target').click();
    await page.keyboard.type(target.name);
    await page.locator('.n-base-select-option', { hasText: target.name }).first().click();
    await h.shot('intents-06-merge-dialog');
    await page.getByTestId('merge-confirm').click();

    const title = page.getByTestId('notice-title').filter({ hasText: '已合并' });
    await title.waitFor();
    await expect(title.textContent()).resolves.toBe(`已合并：${source.labeled} 条话语改标为「${target.name}」`);
    await waitForLabeledCell(MERGE_SOURCE, 0);
    expect((await intentById(MERGE_SOURCE)).status).toBe('deprecated');
    await waitForLabeledCell(MERGE_TARGET, target.labeled + source.labeled);
    await h.shot('intents-07-merged');

    await page.locator('.n-notification', { has: title }).getByTestId('notice-action').click();
    await waitForLabeledCell(MERGE_TARGET, target.labeled);
    await waitForLabeledCell(MERGE_SOURCE, source.labeled);
    const after = await listIntents();
    expect(after.find((i) => i.id === MERGE_SOURCE)).toMatchObject({ labeled: source.labeled, status: source.status });
    expect(after.find((i) => i.id === MERGE_TARGET)?.labeled).toBe(target.labeled);
    await page.waitForSelector(`[data-testid="intent-row-name"][data-intent-id="${MERGE_SOURCE}"][data-status="${source.status}"]`);
    await h.shot('intents-08-merge-undone');
  });

  it('deprecates an intent, which leaves the Label view picker', async () => {
    const intent = await intentById(DEPRECATE);
    expect(await pickerIds(intent.name)).toContain(DEPRECATE);
    await openIntents();
    await clickRowAction(DEPRECATE, 'intent-toggle-status');
    await page.waitForSelector(`[data-testid="intent-row-name"][data-intent-id="${DEPRECATE}"][data-status="deprecated"]`);
    expect((await intentById(DEPRECATE)).status).toBe('deprecated');
    await h.shot('intents-09-deprecated');
    const ids = await pickerIds(intent.name);
    expect(ids).not.toContain(DEPRECATE);
    await page.keyboard.press('/');
    await page.getByTestId('picker-input').fill('');
    await page.keyboard.type(intent.name);
    await settle(page);
    await h.shot('intents-10-picker-without-deprecated');
    await page.keyboard.press('Escape');
  });

  it('adds two intents from the built-in English library', async () => {
    await openIntents();
    await page.getByTestId('intent-library').click();
    await page.waitForSelector('[data-testid="library-item"]');
    await page.getByTestId('library-dialog').locator('.n-radio-button', { hasText: '英文' }).click();
    await page.waitForFunction(() => /^[A-Za-z]/.test(document.querySelector('[data-testid="library-item"] b')?.textContent ?? ''));
    const items = page.getByTestId('library-item');
    const names = [(await items.nth(0).locator('b').textContent()) ?? '', (await items.nth(1).locator('b').textContent()) ?? ''];
    await items.nth(0).locator('.n-checkbox').click();
    await items.nth(1).locator('.lib-text').click();
    await expect(page.getByTestId('library-dialog').locator('.n-checkbox--checked').count()).resolves.toBe(2);
    await settle(page);
    await h.shot('intents-11-library');
    await page.getByTestId('library-add').click();
    await page.getByTestId('library-dialog').waitFor({ state: 'detached' });
    for (const name of names) {
      await search(name);
      await waitForRow(name);
    }
    const catalogue = await listIntents();
    for (const name of names) expect(catalogue.some((i) => i.name === name && i.status === 'active')).toBe(true);
    await search('');
    await h.shot('intents-12-library-added');
  });
});
