import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LabelEvent } from '../shared/contract/dto';
import { useHarness, type Harness } from './harness';
import { queueCountOnScreen, waitForQueueCountOnScreen } from './inboxPage';
import { currentUtteranceId, waitForUtteranceOtherThan } from './labelPage';
import { downloadBy } from './transferPage';

let h: Harness;
let page: Page;

async function queueCount(id: string): Promise<number> {
  const queues = await h.api.queue.listQueues({});
  return queues.find((q) => q.id === id)?.count ?? -1;
}

const uiCount = (id: string): Promise<number> => queueCountOnScreen(page, id);

const currentId = (): Promise<string> => currentUtteranceId(page);
const waitForCurrentOtherThan = (id: string): Promise<string> => waitForUtteranceOtherThan(page, id);

async function latestEvent(utteranceId: string): Promise<LabelEvent | undefined> {
  const events = await h.api.label.getHistory({ utteranceId, limit: 5 });
  return events[0];
}

/** Waits until each chart inside `testid` has drawn a canvas with a size. */
async function waitForChart(testid: string): Promise<void> {
  await page.waitForFunction((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"] canvas`);
    return canvas instanceof HTMLCanvasElement && canvas.width > 100 && canvas.height > 100;
  }, testid);
}

useHarness((started) => ([h, page] = [started, started.page]));

describe('the intent model in the loop', () => {
  let mislabeledBefore = 0;

  it('shows the four model queues as waiting for a model before any training', async () => {
    await page.goto(`${h.url}/#/inbox`);
    await page.waitForSelector('[data-testid="queue-needs-model-mislabeled"]');
    for (const id of ['uncovered', 'informative', 'mislabeled', 'disagreements']) {
      await expect(page.getByTestId(`queue-${id}`).getAttribute('data-ready')).resolves.toBe('false');
    }
    await expect(page.getByTestId('queue-mislabeled').textContent()).resolves.toContain('疑似标错');
    await h.shot('models-01-inbox-untrained');
  });

  it('trains from the Models view with live progress, then lists the new version with its accuracy', async () => {
    await page.getByTestId('nav-models').click();
    await page.waitForSelector('[data-testid="no-versions"]');
    await expect(page.getByTestId('auto-hint').textContent()).resolves.toContain('50');
    await h.shot('models-02-empty');
    await page.getByTestId('train-button').click();
    await page.waitForSelector('[data-testid="train-progress"]');
    await expect(page.getByTestId('train-cancel').isVisible()).resolves.toBe(true);
    await h.shot('models-03-training');
    await page.waitForSelector('[data-testid="version-row"][data-version="1"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="train-progress"]', { state: 'detached' });
    const versions = await h.api.model.listVersions({});
    expect(versions).toHaveLength(1);
    const shown = (await page.getByTestId('version-accuracy').first().textContent()) ?? '';
    expect(shown).toBe(`${((versions[0]?.accuracy ?? 0) * 100).toFixed(1)}%`);
  });

  it('opens the report with its charts drawn and the per-intent table', async () => {
    await page.waitForSelector('[data-testid="model-report"][data-version="1"]');
    await waitForChart('chart-reliability');
    await waitForChart('chart-versions');
    await waitForChart('chart-f1');
    await expect(page.getByTestId('report-accuracy').textContent()).resolves.toMatch(/\d+\.\d%/);
    const rows = await page.locator('[data-testid="intent-scores"] tbody tr').count();
    expect(rows).toBeGreaterThan(10);
    const firstIntent = (await page.locator('[data-testid="intent-scores"] tbody tr td').first().textContent()) ?? '';
    expect(firstIntent).toMatch(/[\u4e00-\u9fff]/);
    await expect(page.getByTestId('confused-pair').first().textContent()).resolves.toContain('↔');
    await h.shot('models-04-report');
    await page.getByTestId('intent-scores').scrollIntoViewIfNeeded();
    await h.shot('models-05-report-table');
  });

  it('chooses the out-of-scope threshold on its curve: the picked figures follow the slider, Apply changes the report and Uncovered', async () => {
    const before = await h.api.model.getReport({ version: 1 });
    const uncoveredBefore = await queueCount('uncovered');
    await page.getByTestId('oos-card').scrollIntoViewIfNeeded();
    await waitForChart('chart-oos');
    await expect(page.getByTestId('oos-current-recall').textContent()).resolves.toMatch(/\d+\.\d%/);
    await expect(page.getByTestId('threshold-apply').isDisabled()).resolves.toBe(true);

    const target = before.outOfScopeThreshold > 0.3 ? before.outOfScopeThreshold - 0.2 : before.outOfScopeThreshold + 0.3;
    const rail = (await page.getByTestId('threshold-slider').boundingBox())!;
    await page.mouse.click(rail.x + rail.width * target, rail.y + rail.height / 2);
    const picked = Number(await page.getByTestId('threshold-input').locator('input').inputValue());
    expect(Math.abs(picked - target)).toBeLessThan(0.03);
    const point = before.outOfScopeCurve!.find((p) => Math.abs(p.threshold - picked) < 1e-9)!;
    await expect(page.getByTestId('oos-at-picked').textContent()).resolves.toContain(picked.toFixed(2));
    await expect(page.getByTestId('oos-picked-flagged').textContent()).resolves.toContain(`${(point.inScopeFlagged * 100).toFixed(1)}%`);
    await expect(page.getByTestId('oos-picked-recall').textContent()).resolves.toContain(`${(point.oosRecall! * 100).toFixed(1)}%`);
    await h.shot('models-05a-threshold');

    await page.getByTestId('threshold-apply').click();
    await page.waitForSelector(`[data-testid="oos-card"][data-threshold="${picked}"]`);
    await expect(page.getByTestId('report-threshold').textContent()).resolves.toContain(picked.toFixed(2));
    await expect(page.getByTestId('oos-at-current').textContent()).resolves.toContain(picked.toFixed(2));
    await page.getByTestId('notice-title').filter({ hasText: picked.toFixed(2) }).first().waitFor();
    const after = await h.api.model.getReport({ version: 1 });
    expect(after.outOfScopeThreshold).toBe(picked);
    const uncoveredAfter = await queueCount('uncovered');
    expect(picked < before.outOfScopeThreshold ? uncoveredAfter > uncoveredBefore : uncoveredAfter < uncoveredBefore).toBe(true);

    await page.getByTestId('nav-inbox').click();
    await waitForQueueCountOnScreen(page, 'uncovered', uncoveredAfter);
    await page.getByTestId('nav-models').click();
    await page.waitForSelector('[data-testid="model-report"][data-version="1"]');
  });

  it('draws the confusion heatmap of the most confused intents, named in Chinese', async () => {
    const report = await h.api.model.getReport({ version: 1 });
    expect(report.confusionMatrix!.intents.length).toBeGreaterThan(1);
    await page.getByTestId('chart-confusion').scrollIntoViewIfNeeded();
    await waitForChart('chart-confusion');
    await expect(page.getByTestId('chart-confusion').textContent()).resolves.toContain('混淆矩阵');
    await h.shot('models-05b-confusion');
  });

  it('exports the report as an Excel workbook with one row per intent, as the table shows', async () => {
    const path = join(h.dataDir, 'report.xlsx');
    expect(await downloadBy(page, 'report-export', path)).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const report = await h.api.model.getReport({ version: 1 });
    const perIntent = workbook.getWorksheet('per_intent');
    expect(perIntent).toBeDefined();
    const names = new Set<string>();
    perIntent!.eachRow((row, n) => {
      if (n > 1) names.add(String(row.getCell(1).value ?? ''));
    });
    expect(names.size).toBe(report.perIntent.length);
    expect([...names].some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    expect(workbook.getWorksheet('summary')).toBeDefined();
  });

  it('counts Likely mislabeled in the inbox and gives each row its reason', async () => {
    mislabeledBefore = await queueCount('mislabeled');
    expect(mislabeledBefore).toBeGreaterThan(5);
    await page.getByTestId('nav-inbox').click();
    await waitForQueueCountOnScreen(page, 'mislabeled', mislabeledBefore);
    await page.getByTestId('queue-mislabeled').click();
    await page.waitForSelector('[data-testid="queue-row"] [data-testid="reason"]');
    await expect(page.locator('[data-testid="queue-row"] [data-testid="reason"]').first().textContent()).resolves.toMatch(/模型把握 .*前三名/);
    await h.shot('models-06-inbox-mislabeled');
  });

  it('works the Likely-mislabeled queue by keyboard: A accepts three suggestions, K keeps two labels', async () => {
    await page.getByTestId('queue-start-mislabeled').click();
    await page.waitForSelector('[data-testid="review-panel"]');
    await page.waitForSelector('[data-testid="transcript-focus"]');
    await expect(page.getByTestId('reason').textContent()).resolves.toMatch(/模型把握 \S+；前三名/);
    await h.shot('models-07-label-mislabeled');
    const accepted: { id: string; intentId: string }[] = [];
    const kept: string[] = [];
    for (const key of ['a', 'a', 'a', 'k', 'k']) {
      const id = await currentId();
      if (key === 'a') {
        const intentId = (await page.getByTestId('review-suggestion').getAttribute('data-intent-id')) ?? '';
        expect(intentId).not.toBe('');
        accepted.push({ id, intentId });
      } else kept.push(id);
      await page.keyboard.press(key);
      await waitForCurrentOtherThan(id);
    }
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    await expect(page.getByTestId('session-done').textContent()).resolves.toBe('5');
    await h.shot('models-08-after-review');

    for (const { id, intentId } of accepted) {
      const event = await latestEvent(id);
      expect(event?.source).toBe('suggestion');
      expect(event?.after).toEqual({ kind: 'intent', intentId });
    }
    for (const id of kept) {
      const event = await latestEvent(id);
      expect(event?.source).toBe('review');
      expect(event?.after).toEqual(event?.before);
    }
    expect(await queueCount('mislabeled')).toBe(mislabeledBefore - 5);
  });

  it('shows A and K in the help overlay and the lower count in the inbox', async () => {
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="key-help"]');
    await expect(page.getByTestId('key-help').textContent()).resolves.toContain('采纳模型建议');
    await page.waitForFunction(() => {
      const modal = document.querySelector('[data-testid="key-help"]');
      return modal !== null && getComputedStyle(modal).opacity === '1' && modal.getAnimations().length === 0;
    });
    await h.shot('models-09-key-help');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-inbox').click();
    await waitForQueueCountOnScreen(page, 'mislabeled', mislabeledBefore - 5);
    expect(await uiCount('mislabeled')).toBe(mislabeledBefore - 5);
    await h.shot('models-10-inbox-after');
  });
});
