import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { settle, useHarness, type Harness } from './harness';
import { exportLabelsTo, openTransferTab } from './transferPage';

/** Files as operations teams have them, through the import preview in the zh-CN UI, and exports read back. */
let h: Harness;
let page: Page;


useHarness((started) => ([h, page] = [started, started.page]));

async function openImport(): Promise<void> {
  await page.goto(`${h.url}/#/inbox`);
  await openTransferTab(page, '导入');
}

async function previewOf(file: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor();
}

async function headerFields(): Promise<Record<string, string>> {
  const pairs = await page.$$eval('[data-testid="preview-header"]', (ths) => ths.map((th) => [th.getAttribute('data-header') ?? '', th.getAttribute('data-field') ?? '']));
  return Object.fromEntries(pairs);
}

async function importAndReport(): Promise<{ calls: string; errors: number }> {
  await page.getByTestId('import-confirm').click();
  await page.waitForSelector('[data-testid="import-report"]', { timeout: 60_000 });
  return { calls: (await page.getByTestId('report-calls').textContent()) ?? '', errors: await page.locator('[data-testid="report-error-line"]').count() };
}

describe('importing real-world files through the preview', () => {
  it('reads a GB18030 CSV with Chinese headers: encoding detected, columns mapped by themselves, Chinese intact', async () => {
    const csv = ['通话ID,客户话术,意图', 'gbk-1,我下个月十五号之前一定还上,承诺还款', 'gbk-2,这个保险我不想要了能退吗,退保', 'gbk-3,你们是哪个公司的,'].join('\r\n');
    const file = join(h.dataDir, '外呼通话记录.csv');
    writeFileSync(file, iconv.encode(csv, 'gb18030'));
    await openImport();
    await previewOf(file);
    expect(await page.getByTestId('preview-encoding').textContent()).toContain('GB18030');
    expect(await headerFields()).toEqual({ 通话ID: 'callId', 客户话术: 'text', 意图: 'intent' });
    expect(await page.getByTestId('preview-table').textContent()).toContain('这个保险我不想要了能退吗');
    await h.shot('import-01-preview-gb18030-zh');
    expect(await importAndReport()).toEqual({ calls: '3', errors: 0 });
    await page.keyboard.press('Escape');

    const call = await h.api.call.getCall({ callId: 'gbk-2' });
    expect(call.turns.map((t) => t.text)).toContain('这个保险我不想要了能退吗');
    await page.goto(`${h.url}/#/calls`);
    // The Calls view lists calls with unlabeled turns: gbk-3 came without an intent.
    await page.getByTestId('calls-search').locator('input').fill('哪个公司');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="call-row"]')].some((r) => r.textContent?.includes('gbk-3')));
    await page.locator('[data-testid="call-row"]', { hasText: 'gbk-3' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="calls-open"]')?.textContent?.includes('你们是哪个公司的'));
    await h.shot('import-02-gb18030-call-zh');
  });

  it('reads the chosen sheet of a workbook with two sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    const notes = workbook.addWorksheet('说明');
    notes.addRow(['本文件由外呼平台导出']);
    notes.addRow(['导出时间', '2026-12-03']);
    const sheet = workbook.addWorksheet('通话明细');
    sheet.addRow(['会话ID', '用户说', '标签', '机器人话术']);
    sheet.addRow(['xlsx-1', '我明天去网点办', '', '请问您什么时候方便处理？']);
    sheet.addRow(['xlsx-2', '不是我本人操作的', '', '这笔交易是您本人操作的吗？']);
    const file = join(h.dataDir, '通话明细.xlsx');
    await workbook.xlsx.writeFile(file);
    await openImport();
    await previewOf(file);
    await page.getByTestId('preview-sheet').click();
    await page.locator('.n-base-select-option', { hasText: '通话明细' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="preview-table"]')?.textContent?.includes('不是我本人操作的'));
    expect(await headerFields()).toMatchObject({ 会话ID: 'callId', 用户说: 'text', 标签: 'intent', 机器人话术: 'botText' });
    await page.waitForSelector('[data-testid="import-preview"][data-importable="true"]');
    // Only for the picture: let the sheet menu finish fading out.
    await settle(page);
    await h.shot('import-03-preview-xlsx-sheet');
    expect(await importAndReport()).toEqual({ calls: '2', errors: 0 });
    await page.keyboard.press('Escape');
    const call = await h.api.call.getCall({ callId: 'xlsx-2' });
    expect(call.turns).toEqual(expect.arrayContaining([expect.objectContaining({ speaker: 'bot', text: '这笔交易是您本人操作的吗？' }), expect.objectContaining({ speaker: 'user', text: '不是我本人操作的' })]));
  });

  it('maps a 节点 column to the flow node and keeps it on the bot turns', async () => {
    const csv = [
      '通话ID,说话人,客户话术,节点,意图',
      'node-1,bot,请问是张先生本人吗？,identity_check,',
      'node-1,user,不是,,',
      'node-1,bot,这笔交易是您本人操作的吗？,confirm_transaction,',
      'node-1,user,不是,,',
    ].join('\r\n');
    const file = join(h.dataDir, '外呼节点.csv');
    writeFileSync(file, iconv.encode(csv, 'gbk'));
    await openImport();
    await previewOf(file);
    expect(await headerFields()).toEqual({ 通话ID: 'callId', 说话人: 'speaker', 客户话术: 'text', 节点: 'node', 意图: 'intent' });
    const nodeColumn = page.locator('[data-testid="preview-header"][data-header="节点"] [data-testid="preview-map"]');
    expect(await nodeColumn.textContent()).toContain('节点 (node)');
    await h.shot('import-05-preview-node-zh');
    expect(await importAndReport()).toEqual({ calls: '1', errors: 0 });
    await page.keyboard.press('Escape');
    const call = await h.api.call.getCall({ callId: 'node-1' });
    expect(call.turns.filter((t) => t.speaker === 'bot').map((t) => t.node)).toEqual(['identity_check', 'confirm_transaction']);
  });

  it('reads a UTF-16 file', async () => {
    const tsv = ['call_id\ttext', 'u16-1\t我想改一下还款日期', 'u16-2\t好的没问题'].join('\r\n');
    const file = join(h.dataDir, 'utf16.tsv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tsv, 'utf-16le')]));
    await openImport();
    await previewOf(file);
    expect(await page.getByTestId('preview-encoding').textContent()).toContain('UTF-16 LE');
    expect(await importAndReport()).toEqual({ calls: '2', errors: 0 });
    await page.keyboard.press('Escape');
    expect((await h.api.call.getCall({ callId: 'u16-1' })).turns[0]?.text).toBe('我想改一下还款日期');
  });

  it('refuses a file that is not text, in words, with nothing to import', async () => {
    const file = join(h.dataDir, 'photo.csv');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...Array.from({ length: 200 }, (_, i) => i % 7)]));
    await openImport();
    await previewOf(file);
    const issue = (await page.getByTestId('preview-issue').first().textContent()) ?? '';
    expect(issue).toContain('这不是文本文件');
    expect(await page.getByTestId('import-confirm').isDisabled()).toBe(true);
    await h.shot('import-04-not-text-zh');
    await page.getByTestId('import-cancel').click();
    await page.keyboard.press('Escape');
  });

  it('exports Rasa nlu.yml with names Rasa accepts, and the original names kept', async () => {
    const path = join(h.dataDir, 'nlu.yml');
    await exportLabelsTo(page, 'Rasa', path);
    const doc = parse(readFileSync(path, 'utf8')) as { nlu: { intent: string; metadata?: { callsift_intent?: string }; examples: string }[] };
    expect(doc.nlu.length).toBeGreaterThan(5);
    for (const entry of doc.nlu) expect(entry.intent).not.toMatch(/[/\s]/);
    const originals = doc.nlu.map((e) => e.metadata?.callsift_intent ?? e.intent);
    expect(originals.some((n) => n.includes('/'))).toBe(true);
    expect(doc.nlu.find((e) => e.metadata?.callsift_intent === '承诺还款' || e.intent === '承诺还款')?.examples).toContain('我下个月十五号之前一定还上');
    await page.keyboard.press('Escape');
  });
});
