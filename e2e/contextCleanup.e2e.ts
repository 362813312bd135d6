import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import type { CleanupReport, LabeledText } from '../shared/contract/dto';
import { LAPTOP, modelSettled, settle, useHarness, type Harness } from './harness';

let h: Harness;
let page: Page;

useHarness((started) => ([h, page] = [started, started.page]), { viewport: LAPTOP });


async function labelOf(utteranceId: string): Promise<unknown> {
  return (await h.api.label.getHistory({ utteranceId, limit: 1 }))[0]?.after;
}

describe('Cleanup and Discover use the bot question (demo, zh-CN, 1366×768)', () => {
  let report: CleanupReport;

  it('groups the same words by the question they answered and shows the question', async () => {
    await modelSettled(h.api, 180_000);
    // A model, so Cleanup can tell which labels a model that never saw them backs.
    if ((await h.api.model.getStatus({})).latest === null) await h.api.model.train({});
    await modelSettled(h.api, 180_000);
    await page.goto(`${h.url}/#/discovery`);
    await page.waitForSelector('[data-testid="discovery-view"]');
    await page.locator('.n-tabs-tab', { hasText: '语料清理' }).click();
    await page.getByTestId('cleanup-load').click();
    await page.waitForSelector('[data-testid="cleanup-duplicate-group"]', { timeout: 120_000 });
    report = await h.api.discovery.getCleanup({});
    expect(report.conflictingDuplicates.length).toBeGreaterThan(0);
    // With a model, every item says what a model that never saw its label predicts.
    expect(report.conflictingDuplicates.every((g) => g.items.every((i) => typeof i.modelIntentId === 'string'))).toBe(true);
    // Every group holds replies to one question: its items all carry the group's node (or, without one, its key's prompt).
    const withQuestion = report.conflictingDuplicates.filter((g) => g.question !== null);
    expect(withQuestion.length).toBeGreaterThan(0);
    for (const g of withQuestion) {
      if (g.question!.node) expect(new Set(g.items.map((i) => i.node))).toEqual(new Set([g.question!.node]));
      expect(new Set(g.items.map((i) => i.intentId)).size).toBeGreaterThan(1);
    }
    // Two groups may share words only when they answered different questions.
    const seen = new Set<string>();
    for (const g of report.conflictingDuplicates) {
      const key = `${g.normalized}|${g.question?.key ?? ''}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    const first = report.conflictingDuplicates[0]!;
    const shown = page.getByTestId('cleanup-duplicate-group').first().getByTestId('cleanup-group-question');
    await expect(shown.getAttribute('data-question-key')).resolves.toBe(first.question?.key ?? '');
    if (first.question?.prompt) await expect(shown.innerText()).resolves.toContain(first.question.prompt);
    await settle(page);
    await h.shot('context-01-cleanup-groups');
  });

  it('relabels a group after a confirmation that shows the question and names the count; labels the model backs stay unticked', async () => {
    const index = report.conflictingDuplicates.findIndex((g) => g.question !== null);
    const group = report.conflictingDuplicates[index]!;
    const byIntent = new Map<string, LabeledText[]>();
    for (const item of group.items) byIntent.set(item.intentId, [...(byIntent.get(item.intentId) ?? []), item]);
    const ranked = [...byIntent].sort((a, b) => b[1].length - a[1].length);
    const [majority] = ranked[0]!;
    // The button on the second biggest intent's row: relabel its replies to the majority.
    const [minority, minorityItems] = ranked[1]!;
    const row = page.getByTestId('cleanup-duplicate-group').nth(index).locator(`[data-testid="cleanup-duplicate-intent"][data-intent-id="${minority}"]`);
    const majorityName = (await h.api.intent.listIntents({})).find((i) => i.id === majority)!.name;
    const button = row.getByTestId('cleanup-relabel').filter({ hasText: `这 ${minorityItems.length} 条改标为「${majorityName}」` });
    await button.scrollIntoViewIfNeeded();
    await button.click();
    const dialog = page.getByTestId('cleanup-confirm');
    await dialog.waitFor();
    await expect(page.getByTestId('cleanup-confirm-question').getAttribute('data-question-key')).resolves.toBe(group.question!.key);
    if (group.question!.prompt) await expect(page.getByTestId('cleanup-confirm-question').innerText()).resolves.toContain(group.question!.prompt);
    const held = minorityItems.filter((i) => i.modelIntentId === i.intentId).map((i) => i.utteranceId);
    const swept = minorityItems.filter((i) => i.modelIntentId !== i.intentId).map((i) => i.utteranceId);
    const ticks = await page.$$eval('[data-testid="cleanup-confirm-row"]', (trs) => trs.map((tr) => [tr.getAttribute('data-utterance-id'), tr.getAttribute('data-ticked')]));
    expect(ticks).toEqual(minorityItems.map((i) => [i.utteranceId, String(!held.includes(i.utteranceId))]));
    if (held.length > 0) await expect(page.getByTestId('cleanup-confirm-held').getAttribute('data-held')).resolves.toBe(String(held.length));
    else await expect(page.getByTestId('cleanup-confirm-held').count()).resolves.toBe(0);
    let ticked = swept;
    if (ticked.length === 0) {
      // Every reply's label is backed: the lead ticks one on purpose.
      await page.getByTestId('cleanup-confirm-tick').first().click();
      ticked = [minorityItems[0]!.utteranceId];
    }
    await expect(page.getByTestId('cleanup-confirm-run').innerText()).resolves.toContain(`这 ${ticked.length} 条改标为「${majorityName}」`);
    // Nothing changed before the confirmation.
    for (const id of ticked) await expect(labelOf(id)).resolves.toEqual({ kind: 'intent', intentId: minority });
    await settle(page);
    await h.shot('context-02-cleanup-confirm');
    await page.getByTestId('cleanup-confirm-run').click();
    await page.getByTestId('notice-title').filter({ hasText: `${ticked.length} 条已改标为「${majorityName}」` }).waitFor();
    for (const id of ticked) await expect(labelOf(id)).resolves.toEqual({ kind: 'intent', intentId: majority });
    for (const id of minorityItems.map((i) => i.utteranceId).filter((id) => !ticked.includes(id))) await expect(labelOf(id)).resolves.toEqual({ kind: 'intent', intentId: minority });
  });

  it('holds back the labels the model backs when the majority would be swept to the minority intent', async () => {
    // Sweeping the majority's replies the other way: most keep a label the model predicts too, and start unticked.
    await page.getByTestId('cleanup-load').click();
    await page.waitForSelector('[data-testid="cleanup-duplicate-group"]');
    const fresh = await h.api.discovery.getCleanup({});
    const at = fresh.conflictingDuplicates.findIndex(
      (g) => g.question !== null && g.items.some((i) => i.modelIntentId === i.intentId) && new Set(g.items.map((i) => i.intentId)).size === 2,
    );
    expect(at).toBeGreaterThanOrEqual(0);
    const group = fresh.conflictingDuplicates[at]!;
    const counts = new Map<string, number>();
    for (const item of group.items) counts.set(item.intentId, (counts.get(item.intentId) ?? 0) + 1);
    const [majority, minority] = [...counts].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const majorityItems = group.items.filter((i) => i.intentId === majority);
    const backed = majorityItems.filter((i) => i.modelIntentId === i.intentId).map((i) => i.utteranceId);
    const minorityName = (await h.api.intent.listIntents({})).find((i) => i.id === minority)!.name;
    const button = page
      .getByTestId('cleanup-duplicate-group')
      .nth(at)
      .locator(`[data-testid="cleanup-duplicate-intent"][data-intent-id="${majority}"]`)
      .getByTestId('cleanup-relabel')
      .filter({ hasText: `「${minorityName}」` });
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await page.getByTestId('cleanup-confirm').waitFor();
    if (backed.length > 0) await expect(page.getByTestId('cleanup-confirm-held').getAttribute('data-held')).resolves.toBe(String(backed.length));
    const unticked = await page.$$eval('[data-testid="cleanup-confirm-row"][data-ticked="false"]', (trs) => trs.map((tr) => tr.getAttribute('data-utterance-id')));
    expect(unticked.sort()).toEqual(backed.filter((id) => majorityItems.slice(0, 50).some((i) => i.utteranceId === id)).sort());
    await expect(page.getByTestId('cleanup-confirm-run').innerText()).resolves.toContain(`这 ${majorityItems.length - backed.length} 条改标为「${minorityName}」`);
    await settle(page);
    await h.shot('context-02b-cleanup-held');
    await page.getByTestId('cleanup-confirm-cancel').click();
    for (const id of backed.slice(0, 5)) await expect(labelOf(id)).resolves.toEqual({ kind: 'intent', intentId: majority });
  });

  it('clusters the uncovered replies to one bot question and shows the questions a cluster answered', async () => {
    const questions = await h.api.discovery.listQuestions({ limit: 50 });
    expect(questions.length).toBeGreaterThan(1);
    const chosen = questions.find((q) => q.count >= 20) ?? questions[0]!;
    await page.locator('.n-tabs-tab', { hasText: '聚类' }).first().click();
    await page.getByTestId('discovery-scope').click();
    await page.locator('.n-base-select-option', { hasText: `（${chosen.count} 条）` }).filter({ hasText: chosen.prompt ?? chosen.node ?? '' }).first().click();
    await page.getByTestId('discovery-run').click();
    await page.waitForSelector(`[data-testid="discovery-run-question"][data-question-key="${chosen.key}"]`, { timeout: 180_000 });
    const status = await h.api.discovery.getStatus({});
    expect(status.run?.question?.key).toBe(chosen.key);
    expect(status.run?.pool).toBe(Math.min(chosen.count, 40_000));
    const clusters = await h.api.discovery.listClusters({ sort: 'size', includeClosed: false });
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.reduce((n, c) => n + c.size, 0)).toBe(status.run?.pool);
    for (const c of clusters) expect(c.questions.map((q) => [q.key, q.count])).toEqual([[chosen.key, c.size]]);
    await page.waitForSelector(`[data-testid="cluster-detail"][data-cluster-id="${clusters[0]!.id}"]`);
    await expect(page.getByTestId('cluster-question').first().getAttribute('data-question-key')).resolves.toBe(chosen.key);
    await settle(page);
    await h.shot('context-03-discover-by-question');
  });

  it('shows the mix of questions of a cluster from the whole pool', async () => {
    await page.getByTestId('discovery-scope').click();
    await page.locator('.n-base-select-option', { hasText: '全部未覆盖话语' }).click();
    await page.getByTestId('discovery-run').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="discovery-run-question"]') && document.querySelector('[data-testid="cluster-card"]'), undefined, { timeout: 180_000 });
    await vi.waitFor(async () => expect((await h.api.discovery.getStatus({})).run?.question ?? null).toBeNull(), { timeout: 180_000 });
    const clusters = await h.api.discovery.listClusters({ sort: 'size', includeClosed: false });
    const mixed = clusters.filter((c) => c.questions.length > 1);
    expect(mixed.length).toBeGreaterThan(0);
    for (const c of clusters) {
      const counts = c.questions.map((q) => q.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(c.size);
    }
    await page.locator(`[data-testid="cluster-card"][data-cluster-id="${clusters[0]!.id}"]`).click();
    await page.waitForSelector(`[data-testid="cluster-detail"][data-cluster-id="${clusters[0]!.id}"]`);
    await expect(page.getByTestId('cluster-question').count()).resolves.toBe(clusters[0]!.questions.length);
    await settle(page);
    await h.shot('context-04-cluster-questions');
  });
});
