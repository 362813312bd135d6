import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ClusterMember, ClusterSummary, IntentWithCounts } from '../shared/contract/dto';
import { modelSettled, settle, useHarness, type Harness } from './harness';

let h: Harness;
let page: Page;


async function clusters(includeClosed = true): Promise<readonly ClusterSummary[]> {
  return h.api.discovery.listClusters({ sort: 'size', includeClosed });
}

async function clusterById(id: string): Promise<ClusterSummary> {
  const found = (await clusters()).find((c) => c.id === id);
  if (!found) throw new Error(`no cluster ${id}`);
  return found;
}

async function members(clusterId: string): Promise<readonly ClusterMember[]> {
  return (await h.api.discovery.getMembers({ clusterId, offset: 0, limit: 1000 })).items;
}

async function intents(): Promise<readonly IntentWithCounts[]> {
  return h.api.intent.listIntents({});
}

async function selectedClusterId(): Promise<string> {
  await page.waitForSelector('[data-testid="cluster-detail"]');
  return (await page.getByTestId('cluster-detail').getAttribute('data-cluster-id')) ?? '';
}

/** Clicks `id`'s card and waits for its detail pane and members. */
async function selectCluster(id: string): Promise<void> {
  await page.locator(`[data-testid="cluster-card"][data-cluster-id="${id}"]`).click();
  await page.waitForSelector(`[data-testid="cluster-detail"][data-cluster-id="${id}"]`);
  await page.waitForSelector('[data-testid="cluster-member"]');
}

async function noticeWith(text: string) {
  const title = page.getByTestId('notice-title').filter({ hasText: text });
  await title.waitFor();
  return page.locator('.n-notification', { has: title });
}

/**
 * Closes the notices shown, so a screenshot shows the view under them. Notices also close on their own timers, so
 * each round clicks whichever close button is still there, and a button that vanished first is not waited for.
 */
async function closeNotices(): Promise<void> {
  const close = page.locator('.n-notification .n-base-close').first();
  for (let round = 0; round < 20 && (await close.count()) > 0; round++) await close.click({ timeout: 2000 }).catch(() => undefined);
  await page.locator('.n-notification').first().waitFor({ state: 'detached' });
}

useHarness((started) => ([h, page] = [started, started.page]));


describe('new-intent discovery', () => {
  let newName = '';
  let acceptedId = '';
  let mergeTarget = '';

  it('clusters the uncovered pool from the Discovery view', async () => {
    await page.goto(`${h.url}/#/inbox`);
    await page.getByTestId('nav-discovery').click();
    await page.waitForSelector('[data-testid="discovery-view"]');
    await expect(page.getByTestId('nav-discovery').textContent()).resolves.toContain('发现新意图');
    await page.waitForSelector('[data-testid="cluster-empty"]');
    const status = await h.api.discovery.getStatus({});
    expect(status.pool).toBeGreaterThan(100);
    await expect(page.getByTestId('discovery-pool').getAttribute('data-pool')).resolves.toBe(String(status.pool));
    await page.getByTestId('discovery-run').click();
    await page.waitForSelector('[data-testid="cluster-card"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="discovery-last-run"]');
    await page.waitForSelector('[data-testid="cluster-member"]');
    const open = await clusters(false);
    expect(open.length).toBeGreaterThan(5);
    const sizes = open.map((c) => c.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    await expect(page.getByTestId('cluster-card').first().getAttribute('data-cluster-id')).resolves.toBe(open[0]!.id);
    expect(await selectedClusterId()).toBe(open[0]!.id);
    await expect(page.getByTestId('cluster-rep').count()).resolves.toBeGreaterThan(3);
    await h.shot('discovery-01-clusters');
  });

  it('accepts the biggest cluster as a new intent with an edited name (keyboard)', async () => {
    const biggest = (await clusters(false))[0]!;
    acceptedId = biggest.id;
    newName = `${biggest.suggestedName}（新）`;
    const open = (await members(biggest.id)).filter((m) => m.label === null || m.label.kind === 'none').length;
    expect(open).toBeGreaterThan(0);
    await page.getByTestId('cluster-description').locator('textarea').fill('从聚类发现的新意图（e2e）');
    await page.keyboard.press('Escape');
    if (biggest.atypical > 0) {
      // I: this time the least typical members are labeled too.
      await page.keyboard.press('i');
      await page.waitForSelector('[data-testid="cluster-atypical"][data-included="true"]');
    }
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('cluster-name-input');
    await expect(page.getByTestId('cluster-name-input').inputValue()).resolves.toBe(biggest.suggestedName);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(newName);
    await page.keyboard.press('Enter');
    await noticeWith(`已建为意图「${newName}」`);

    const intent = (await intents()).find((i) => i.name === newName);
    expect(intent?.labeled).toBe(open);
    expect(intent?.description).toContain('e2e');
    expect(intent?.examples.length).toBeGreaterThan(0);
    const after = await clusterById(biggest.id);
    expect(after).toMatchObject({ status: 'accepted', intentId: intent?.id });
    const labeled = await members(biggest.id);
    expect(labeled.every((m) => m.label?.kind === 'intent' && m.label.intentId === intent?.id)).toBe(true);
    const history = await h.api.label.getHistory({ utteranceId: labeled[0]!.utteranceId, limit: 5 });
    expect(history[0]).toMatchObject({ source: 'discovery' });

    await page.waitForFunction((id) => !document.querySelector(`[data-testid="cluster-card"][data-cluster-id="${id}"]`), biggest.id);
    expect(await selectedClusterId()).not.toBe(biggest.id);
    await h.shot('discovery-02-accepted');

    await page.getByTestId('nav-intents').click();
    await page.getByTestId('intents-search').locator('input').fill(newName);
    await page.waitForSelector(`[data-testid="intent-row-labeled"][data-intent-id="${intent?.id}"]`);
    await expect(page.locator(`[data-testid="intent-row-labeled"][data-intent-id="${intent?.id}"]`).textContent()).resolves.toBe(String(open));
  });

  it('merges another cluster into an existing intent from the picker', async () => {
    await page.getByTestId('nav-discovery').click();
    await page.waitForSelector('[data-testid="cluster-card"]');
    const target = (await clusters(false))[1]!;
    await selectCluster(target.id);
    mergeTarget = target.nearestIntents[0]!.intentId;
    const before = (await intents()).find((i) => i.id === mergeTarget)!;
    const open = (await members(target.id)).filter((m) => m.label === null || m.label.kind === 'none').length;
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    expect(target.atypical).toBeGreaterThan(0);
    await expect(page.getByTestId('cluster-atypical').getAttribute('data-included')).resolves.toBe('false');
    await h.shot('discovery-02b-atypical-left-out');
    await page.keyboard.press('m');
    await page.waitForSelector('[data-testid="cluster-merge-dialog"]');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'picker-input');
    await expect(page.getByTestId('picker-choice').first().getAttribute('data-intent-id')).resolves.toBe(mergeTarget);
    await page.keyboard.press('Enter');
    const notice = await noticeWith(`已并入「${before.name}」`);
    expect(await clusterById(target.id)).toMatchObject({ status: 'merged', intentId: mergeTarget });
    // By default the least typical members are left out of the merge and stay unlabeled.
    const afterMerge = await members(target.id);
    expect(afterMerge.filter((m) => m.label?.kind === 'intent' && m.label.intentId === mergeTarget)).toHaveLength(open - target.atypical);
    expect(afterMerge.filter((m) => !(m.label?.kind === 'intent' && m.label.intentId === mergeTarget))).toHaveLength(target.atypical);
    expect((await intents()).find((i) => i.id === mergeTarget)?.labeled).toBe(before.labeled + open - target.atypical);
    await page.getByTestId('discovery-show-closed').click();
    await page.waitForSelector(`[data-testid="cluster-card"][data-cluster-id="${acceptedId}"][data-status="accepted"]`);
    await h.shot('discovery-03-merged');
    await page.getByTestId('discovery-show-closed').click();
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="cluster-card"][data-cluster-id="${id}"]`), acceptedId);

    await notice.getByTestId('notice-action').click();
    await noticeWith('已撤销');
    expect(await clusterById(target.id)).toMatchObject({ status: 'open', intentId: null });
    expect((await members(target.id)).filter((m) => m.label === null || m.label.kind === 'none').length).toBe(open);
    expect((await intents()).find((i) => i.id === mergeTarget)?.labeled).toBe(before.labeled);
    await page.waitForSelector(`[data-testid="cluster-detail"][data-cluster-id="${target.id}"][data-status="open"]`);
    expect((await intents()).find((i) => i.name === newName)?.status).toBe('active');
    await h.shot('discovery-04-undone');
  });

  it('expands an intent with similar unlabeled utterances, one by keyboard and two in bulk', async () => {
    const intent = (await intents()).find((i) => i.name === newName)!;
    // Candidates are ranked with the latest model: let the automatic retrain after the accepts finish first, so the
    // list the page shows and the one asked for below come from the same model.
    await modelSettled(h.api, 120_000);
    await page.locator('.n-tabs-tab', { hasText: '扩充意图' }).click();
    await page.getByTestId('expand-intent').click();
    await page.keyboard.type(newName.slice(0, 3));
    await page.locator('.n-base-select-option', { hasText: newName }).first().click();
    await page.getByTestId('expand-find').click();
    await page.waitForSelector('[data-testid="expand-candidate"]', { timeout: 60_000 });
    const shown = await page.getByTestId('expand-candidate').count();
    expect(shown).toBeGreaterThan(3);
    const candidates = await h.api.discovery.expandIntent({ intentId: intent.id, limit: 100 });
    expect(new Set(candidates.map((c) => c.text)).size).toBe(shown);
    const row = (i: number) => page.getByTestId('expand-candidate').nth(i);
    const countOf = async (i: number): Promise<number> => Number(await row(i).getAttribute('data-count'));

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    const second = (await row(1).getAttribute('data-utterance-id')) ?? '';
    const secondCount = await countOf(1);
    await page.keyboard.press('y');
    await noticeWith(`${secondCount} 条话语已标为「${newName}」`);
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="expand-candidate"][data-utterance-id="${id}"]`), second);
    const history = await h.api.label.getHistory({ utteranceId: second, limit: 1 });
    expect(history[0]?.after).toEqual({ kind: 'intent', intentId: intent.id });

    await page.keyboard.press('x');
    await expect(page.getByTestId('expand-candidate').count()).resolves.toBe(shown - 2);
    const ticked = [(await row(0).getAttribute('data-utterance-id')) ?? '', (await row(2).getAttribute('data-utterance-id')) ?? ''];
    const tickedCount = (await countOf(0)) + (await countOf(2));
    await page.getByTestId('expand-check').nth(0).click();
    await page.getByTestId('expand-check').nth(2).click();
    await h.shot('discovery-05-expand');
    await page.getByTestId('expand-accept-selected').click();
    await noticeWith(`${tickedCount} 条话语已标为「${newName}」`);
    await expect(page.getByTestId('expand-candidate').count()).resolves.toBe(shown - 4);
    for (const id of ticked) {
      const events = await h.api.label.getHistory({ utteranceId: id, limit: 1 });
      expect(events[0]?.after).toEqual({ kind: 'intent', intentId: intent.id });
    }
  });

  it('lists the corpus cleanup report', async () => {
    await page.locator('.n-tabs-tab', { hasText: '语料清理' }).click();
    await page.waitForSelector('[data-testid="cleanup-labeled"]', { timeout: 60_000 });
    await closeNotices();
    await expect(page.getByTestId('cleanup-duplicates').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('cleanup-near').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('cleanup-confused').isVisible()).resolves.toBe(true);
    await h.shot('discovery-06-cleanup');

    const report = await h.api.discovery.getCleanup({});
    const group = report.conflictingDuplicates[0]!;
    const counts = new Map<string, number>();
    for (const item of group.items) counts.set(item.intentId, (counts.get(item.intentId) ?? 0) + 1);
    const biggest = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const other = group.items.find((i) => i.intentId !== biggest)!.intentId;
    await page.getByTestId('cleanup-duplicate-group').first().getByTestId('cleanup-relabel').first().click();
    // Nothing is relabeled before the lead has seen what each utterance answered and confirmed.
    await page.getByTestId('cleanup-confirm').waitFor();
    const rows = await page.$$eval('[data-testid="cleanup-confirm-row"]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows).toHaveLength(counts.get(biggest)!);
    const withPrompt = group.items.filter((i) => i.intentId === biggest && i.botPrompt);
    expect(withPrompt.length).toBeGreaterThan(0);
    for (const item of withPrompt) expect(rows.some(([, prompt, text]) => prompt === item.botPrompt && text === item.text)).toBe(true);
    const untouched = await h.api.label.getHistory({ utteranceId: withPrompt[0]!.utteranceId, limit: 1 });
    expect(untouched[0]?.after).toEqual({ kind: 'intent', intentId: biggest });
    await settle(page); // only for the picture: the dialog's fade-in
    await h.shot('discovery-06b-cleanup-confirm');
    // Labels a model that never saw them backs start unticked and stay as they are.
    const ticked = new Set(
      await page.$$eval('[data-testid="cleanup-confirm-row"][data-ticked="true"]', (trs) => trs.map((tr) => tr.getAttribute('data-utterance-id') ?? '')),
    );
    const biggestItems = group.items.filter((i) => i.intentId === biggest);
    expect([...ticked].sort()).toEqual(biggestItems.filter((i) => i.modelIntentId !== i.intentId).map((i) => i.utteranceId).sort());
    if (ticked.size === 0) {
      await page.getByTestId('cleanup-confirm-tick').first().click();
      ticked.add(biggestItems[0]!.utteranceId);
    }
    await page.getByTestId('cleanup-confirm-run').click();
    await noticeWith(`${ticked.size} 条已改标为`);
    for (const item of biggestItems) {
      const events = await h.api.label.getHistory({ utteranceId: item.utteranceId, limit: 1 });
      expect(events[0]?.after).toEqual({ kind: 'intent', intentId: ticked.has(item.utteranceId) ? other : biggest });
    }
  });

  it('reads in English when the UI language is English', async () => {
    await h.api.workspace.updateSettings({ uiLanguage: 'en' });
    await page.goto(`${h.url}/#/discovery`);
    await page.reload();
    await page.locator('.n-tabs-tab', { hasText: 'Clusters' }).click();
    await page.waitForSelector('[data-testid="cluster-card"]');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Discover new intents');
    expect(text).toMatch(/uncovered utterances/);
    expect(text).not.toMatch(/discovery\.[a-z]/);
    await h.shot('discovery-07-english');
    await h.api.workspace.updateSettings({ uiLanguage: 'zh-CN' });
  });
});
