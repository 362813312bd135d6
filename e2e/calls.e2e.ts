import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { toUtteranceId } from '../shared/domain/types';
import { startHarness, type Harness } from './harness';


const WORD = '什么';
const CAMPAIGN = '月付还款提醒';
const INTENT_ID = 'promise_to_repay';
/** About 20 MB of JSON Lines: long enough that the import runs for a few seconds. */
const LONG_IMPORT_CALLS = 40_000;

let h: Harness;
let page: Page;
let labeledText = '';
let intentName = '';

async function callTotal(): Promise<number> {
  return Number(((await page.getByTestId('calls-total').textContent()) ?? '').replace(/[^\d]/g, ''));
}

async function waitForTotal(want: number): Promise<void> {
  await page.waitForFunction(
    (n) => Number((document.querySelector('[data-testid="calls-total"]')?.textContent ?? '').replace(/[^\d]/g, '')) === n,
    want,
  );
}

async function searchTotal(arg: { query: string; campaign?: string }): Promise<number> {
  return (await h.api.call.searchCalls({ ...arg, offset: 0, limit: 1 })).total;
}

beforeAll(async () => {
  h = await startHarness();
  page = h.page;
  intentName = (await h.api.intent.listIntents({})).find((i) => i.id === INTENT_ID)?.name ?? '';
});

afterAll(async () => {
  await h?.close();
});

describe('calls', () => {
  it('searches calls by a Chinese word and filters by campaign', async () => {
    await page.goto(`${h.url}/#/calls`);
    await page.waitForSelector('[data-testid="call-row"]');
    const all = await callTotal();
    expect(all).toBeGreaterThan(100);

    const matching = await searchTotal({ query: WORD });
    expect(matching).toBeGreaterThan(0);
    expect(matching).toBeLessThan(all);
    await page.getByTestId('calls-search').locator('input').fill(WORD);
    await waitForTotal(matching);
    const previews = await page.$$eval('[data-testid="call-row"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(previews.length).toBeGreaterThan(0);
    await h.shot('calls-01-search-zh');

    const filtered = await searchTotal({ query: WORD, campaign: CAMPAIGN });
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(matching);
    await page.getByTestId('calls-campaign').click();
    await page.locator('.n-base-select-option', { hasText: CAMPAIGN }).click();
    await waitForTotal(filtered);
    const campaigns = await page.$$eval('[data-testid="call-row-campaign"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(campaigns.length).toBeGreaterThan(0);
    for (const c of campaigns) expect(c).toBe(CAMPAIGN);
    await h.shot('calls-02-campaign-filter');
  });

  it('opens a call and labels a user turn in place with the keyboard', async () => {
    await page.getByTestId('call-row').first().click();
    await page.waitForSelector('[data-testid="calls-inplace"]');
    const callId = (await page.getByTestId('calls-open').getAttribute('data-call-id')) ?? '';
    expect(callId).not.toBe('');
    const turn = Number(await page.getByTestId('calls-inplace').getAttribute('data-turn-index'));
    const before = await h.api.call.getCall({ callId });
    expect(before.campaign).toBe(CAMPAIGN);
    expect(before.turns[turn]?.speaker).toBe('user');
    expect(before.labels[turn]).toBeUndefined();
    labeledText = before.turns[turn]?.text ?? '';
    await expect(page.locator(`[data-testid="transcript-focus"][data-turn-index="${turn}"]`).count()).resolves.toBe(1);
    await h.shot('calls-03-open-call');

    await page.locator('body').click({ position: { x: 700, y: 10 } });
    await page.keyboard.press('/');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('picker-input');
    await page.keyboard.type('承诺还');
    await page.waitForFunction((id) => document.querySelector('[data-testid="calls-inplace"] [data-testid="picker-choice"]')?.getAttribute('data-intent-id') === id, INTENT_ID);
    await h.shot('calls-04-picker');
    await page.keyboard.press('Enter');

    await page.waitForFunction(
      (t) => document.querySelector(`[data-turn-index="${t}"][data-testid^="transcript"] .meta`)?.textContent?.includes('承诺还款') === true,
      turn,
    );
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    const after = await h.api.call.getCall({ callId });
    expect(after.labels[turn]?.target).toEqual({ kind: 'intent', intentId: INTENT_ID });
    const userTurns = after.turns.filter((t) => t.speaker === 'user').length;
    const labeledTurns = Object.keys(after.labels).length;
    await page.waitForFunction(
      ([id, text]) => [...document.querySelectorAll('[data-testid="call-row"]')].some((r) => r.textContent?.includes(id) && r.textContent.includes(text)),
      [callId, `${labeledTurns}/${userTurns}`] as const,
    );
    await h.shot('calls-05-labeled');

    // The focus left the search box, so keys act at once: ↓ selects a user turn, a digit labels it, ↑ goes back.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('picker-input');
    const selected = async () => Number((await page.locator('[data-testid="calls-inplace"]').getAttribute('data-turn-index', { timeout: 5000 })) ?? NaN);
    await page.keyboard.press('ArrowDown');
    const target = await selected();
    expect(after.turns[target]?.speaker).toBe('user');
    const digitOne = await page.locator('[data-testid="calls-inplace"] [data-testid="picker-choice"][data-key="1"]').getAttribute('data-intent-id');
    // Hold the call's reload after the label, so ↓ pressed while the label is still saving is pressed for sure.
    let release = (): void => undefined;
    const held = new Promise<void>((ok) => (release = ok));
    await page.route('**/rpc/call.getCall', async (route) => {
      await held;
      await route.continue();
    });
    await page.keyboard.press('1');
    const utteranceId = toUtteranceId(callId, target);
    await expect.poll(async () => (await h.api.label.getHistory({ utteranceId, limit: 1 }))[0]?.after).toEqual({ kind: 'intent', intentId: digitOne });
    const hasLaterUserTurn = after.turns.some((t, i) => i > target && t.speaker === 'user');
    await page.keyboard.press(hasLaterUserTurn ? 'ArrowDown' : 'ArrowUp');
    const moved = await selected();
    expect(moved).not.toBe(target);
    expect(after.turns[moved]?.speaker).toBe('user');
    release();
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    await page.waitForSelector(`[data-testid^="transcript"][data-turn-index="${target}"] .meta[data-label-intent="${digitOne}"]`);
    await page.unroute('**/rpc/call.getCall');
    // The move made while saving stands: the label's auto-advance does not take the selection back.
    expect(await selected()).toBe(moved);
    await page.keyboard.press('ArrowUp');
    expect(after.turns[await selected()]?.speaker).toBe('user');
  });

  it('exports the labels as CSV through a browser download', async () => {
    await page.getByTestId('open-transfer').click();
    await page.getByTestId('transfer-dialog').locator('.n-tabs-tab', { hasText: '导出' }).click();
    await page.getByTestId('export-format').locator('.n-radio-button', { hasText: 'CSV' }).click();
    await h.shot('calls-06-export-dialog');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const path = join(h.dataDir, 'export.csv');
    await download.saveAs(path);
    const csv = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.split(/\r?\n/).filter((l) => l.length > 0);
    expect(header).toMatch(/text/);
    expect(header).toMatch(/label|intent/);
    expect(rows.some((r) => r.includes(labeledText) && r.includes(intentName))).toBe(true);
    await h.shot('calls-07-exported');
    await page.keyboard.press('Escape');
  });

  it('exports the labels as an Excel workbook whose rows match the CSV export', async () => {
    await page.getByTestId('open-transfer').click();
    await page.getByTestId('transfer-dialog').locator('.n-tabs-tab', { hasText: '导出' }).click();
    await page.getByTestId('export-format').locator('.n-radio-button', { hasText: 'Excel' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const path = join(h.dataDir, 'export.xlsx');
    await download.saveAs(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0]!;
    const csvRows = readFileSync(join(h.dataDir, 'export.csv'), 'utf8').split(/\r?\n/).filter((l) => l.length > 0).length;
    expect(sheet.actualRowCount).toBe(csvRows);
    const texts: string[] = [];
    sheet.eachRow((row) => texts.push(row.values!.toString()));
    expect(texts.some((t) => t.includes(labeledText) && t.includes(intentName))).toBe(true);
    await h.shot('calls-07b-exported-xlsx');
    await page.keyboard.press('Escape');
  });

  it('shows the progress of a long import as a bar with a percentage', async () => {
    const file = join(h.dataDir, 'long-import.jsonl');
    const filler = '我想问一下这个月的账单为什么多了这么多 please explain the extra charges '.repeat(4);
    const lines: string[] = [];
    for (let i = 0; i < LONG_IMPORT_CALLS; i++) {
      lines.push(JSON.stringify({ id: `long-${i}`, startedAt: 1_700_000_000_000 + i, campaign: '长导入', turns: [{ speaker: 'bot', text: '您好' }, { speaker: 'user', text: `${i} ${filler}` }] }));
    }
    writeFileSync(file, `${lines.join('\n')}\n`, 'utf8');
    await page.getByTestId('open-transfer').click();
    await page.getByTestId('transfer-dialog').locator('.n-tabs-tab', { hasText: '导入' }).click();
    await page.evaluate(() => {
      const w = window as unknown as { progressSeen: string[] };
      w.progressSeen = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="import-progress"]');
        const seen = el ? `${el.getAttribute('data-percent')}|${el.textContent ?? ''}` : null;
        if (seen !== null && seen !== w.progressSeen[w.progressSeen.length - 1]) w.progressSeen.push(seen);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-confirm').click();
    const first = await page.waitForFunction(
      () => (document.querySelector('[data-testid="import-progress"]:not([data-percent="0"])') ? 'progress' : document.querySelector('[data-testid="import-report"]') ? 'report' : null),
      undefined,
      { timeout: 60_000 },
    );
    let shown = (await first.jsonValue()) === 'progress';
    if (shown) {
      const shot = await h.shot('calls-08-import-progress');
      shown = (await page.$('[data-testid="import-report"]')) === null;
      if (!shown) rmSync(shot, { force: true });
    }
    await page.waitForSelector('[data-testid="import-report"]', { timeout: 120_000 });
    await expect(page.getByTestId('report-calls').textContent()).resolves.toBe(String(LONG_IMPORT_CALLS));
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    const percents = seen.map((s) => Number(s.split('|')[0]));
    expect(percents.some((p) => p > 0 && p <= 100)).toBe(true);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    expect(seen.find((s) => Number(s.split('|')[0]) > 0)).toMatch(/long-import\.jsonl：已读取 \d+%/);
    console.log('import progress seen:', seen.map((s) => s.split('|')[0]).join(', '), shown ? '(screenshot taken)' : '(too fast for a screenshot)');
    await h.shot('calls-09-import-done');
  });
});
