import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useHarness, type Harness } from './harness';
import { queueCountOnScreen, waitForQueueCountOnScreen } from './inboxPage';
import { currentUtteranceId, waitForUtteranceOtherThan } from './labelPage';


let h: Harness;
let page: Page;

const queueCount = (id: 'unlabeled' | 'recent'): Promise<number> => queueCountOnScreen(page, id);

const currentId = (): Promise<string> => currentUtteranceId(page);
const waitForCurrentOtherThan = (id: string): Promise<string> => waitForUtteranceOtherThan(page, id);

async function waitSaved(): Promise<void> {
  await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
}

async function openInbox(): Promise<void> {
  await page.goto(`${h.url}/#/inbox`);
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="queue-count-recent"]');
    return el !== null && Number((el.textContent ?? '').replace(/[^\d]/g, '')) > 0;
  });
}

useHarness((started) => ([h, page] = [started, started.page]));

describe('labeling with the keyboard', () => {
  let unlabeledBefore = 0;
  let recentBefore = 0;
  const labeled: string[] = [];
  let undone = '';

  it('opens the demo workspace in the inbox', async () => {
    await openInbox();
    unlabeledBefore = await queueCount('unlabeled');
    recentBefore = await queueCount('recent');
    expect(unlabeledBefore).toBeGreaterThan(100);
    await expect(page.getByTestId('nav-inbox').textContent()).resolves.toContain('收件箱');
    await page.waitForSelector('[data-testid="queue-row"]');
    await h.shot('01-inbox');
  });

  it('labels 20 utterances with digits, Enter and N only, and undoes the last with Ctrl+Z', async () => {
    await page.getByTestId('queue-start-unlabeled').click();
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.waitForSelector('[data-testid="transcript-focus"]');
    await h.shot('02-label-view');
    const keys = ['1', '2', 'Enter', '1', 'n', '3', '1', 'Enter', '2', '1'];
    const digitMap = () => page.$$eval('[data-testid="picker-choice"]', (els) => els.map((e) => `${e.getAttribute('data-key')}:${e.getAttribute('data-intent-id')}`));
    const startMap = await digitMap();
    expect(startMap).toHaveLength(9);
    for (let i = 0; i < 20; i += 1) {
      const before = await currentId();
      // The digits never move, whatever the prediction of the item or the labels given so far.
      expect(await digitMap()).toEqual(startMap);
      const key = keys[i % keys.length] ?? '1';
      await page.keyboard.press(key);
      labeled.push(before);
      const after = await waitForCurrentOtherThan(before);
      expect(labeled).not.toContain(after);
      if (i === 9) await h.shot('03-label-after-10');
    }
    expect(new Set(labeled).size).toBe(20);
    await expect(page.getByTestId('session-done').textContent()).resolves.toBe('20');
    // The pace over labeling time, and the time left at it.
    expect(Number(await page.getByTestId('session-pace').getAttribute('data-per-hour'))).toBeGreaterThan(0);
    expect(await page.getByTestId('session-pace').textContent()).toMatch(/按实际标注时间每小时 [\d,]+ 条 · 剩余约需 /);

    const beforeUndo = await currentId();
    await page.keyboard.press('Control+z');
    undone = await waitForCurrentOtherThan(beforeUndo);
    expect(undone).toBe(labeled[19]);
    await waitSaved();
    await expect(page.getByTestId('session-done').textContent()).resolves.toBe('19');
    await h.shot('04-after-undo');
  });

  it('finds 19 labels after a reload, in the UI and through the API', async () => {
    await page.reload();
    await openInbox();
    await waitForQueueCountOnScreen(page, 'recent', recentBefore + 19);
    expect(await queueCount('recent')).toBe(recentBefore + 19);
    expect(await queueCount('unlabeled')).toBe(unlabeledBefore - 19);
    await h.shot('05-inbox-after-reload');

    const queues = await h.api.queue.listQueues({});
    expect(queues.find((q) => q.id === 'recent')?.count).toBe(recentBefore + 19);
    for (const id of labeled) {
      const [callId, turn] = [id.slice(0, id.lastIndexOf('#')), Number(id.slice(id.lastIndexOf('#') + 1))];
      const call = await h.api.call.getCall({ callId });
      if (id === undone) expect(call.labels[turn]).toBeUndefined();
      else expect(call.labels[turn]).toBeDefined();
    }
  });

  it('finds an intent by a misspelled Chinese name in the picker', async () => {
    await page.goto(`${h.url}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.keyboard.press('/');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('picker-input');
    await page.keyboard.type('确认本仁');
    await page.waitForFunction(() => document.querySelector('[data-testid="picker-choice-name"]')?.textContent === '确认本人');
    await h.shot('06-picker-misspelled-zh');
    await page.keyboard.press('Escape');
    await page.getByTestId('picker-input').fill('');
  });

  it('finds an intent by pinyin and by a homophone typo in the picker', async () => {
    await page.goto(`${h.url}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    for (const query of ['tuibao', '退宝']) {
      await page.keyboard.press('/');
      await page.getByTestId('picker-input').fill('');
      await page.keyboard.type(query);
      await page.waitForFunction(() => document.querySelector('[data-testid="picker-choice-name"]')?.textContent === '退保');
      if (query === 'tuibao') await h.shot('06b-picker-pinyin-zh');
      await page.keyboard.press('Escape');
    }
    await page.getByTestId('picker-input').fill('');
  });

  it('imports a CSV with 3 bad rows and lists each with its line number', async () => {
    const csv = [
      'text,intent,speaker,asr_confidence',
      '我想查一下余额,确认本人,,',
      '"好的，两行',
      '的话",,user,0.5',
      'bad speaker,,caller,',
      'good three,,,',
      'bad confidence,,,high',
      'too,many,columns,here,!',
      'good four,,,',
    ].join('\r\n');
    const file = join(h.dataDir, 'three-bad-rows.csv');
    writeFileSync(file, csv, 'utf8');
    await page.goto(`${h.url}/#/inbox`);
    await page.getByTestId('open-transfer').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-confirm').click();
    await page.waitForSelector('[data-testid="import-report"]');
    const lines = await page.$$eval('[data-testid="report-error-line"]', (cells) => cells.map((c) => Number(c.textContent)));
    expect(lines).toEqual([5, 7, 8]);
    await expect(page.getByTestId('report-calls').textContent()).resolves.toBe('4');
    await h.shot('07-import-report');
    await page.keyboard.press('Escape');
  });

  it('switches the UI to English and back, and keeps the choice over a reload', async () => {
    await page.goto(`${h.url}/#/settings`);
    await page.getByTestId('language-select').click();
    await page.locator('.n-base-select-option', { hasText: 'English' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-inbox"]')?.textContent?.includes('Inbox'));
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await h.shot('08-settings-english');
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-inbox"]')?.textContent?.includes('Inbox'));
    await page.goto(`${h.url}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    await expect(page.getByTestId('action-none').textContent()).resolves.toContain('None of these');
    await h.shot('09-label-english');
    await page.goto(`${h.url}/#/settings`);
    await page.getByTestId('language-select').click();
    await page.locator('.n-base-select-option', { hasText: '简体中文' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-inbox"]')?.textContent?.includes('收件箱'));
    await expect(page.getByTestId('nav-settings').textContent()).resolves.toContain('设置');
    await h.shot('10-settings-chinese');
  });
});
