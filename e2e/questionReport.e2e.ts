import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { QuestionReportDto } from '../shared/contract/dto';
import { findEnglishRuns } from '../shared/text/englishRuns';
import { LAPTOP, settle, useHarness, type Harness } from './harness';
import { currentUtteranceId } from './labelPage';

/**
 * Issue 14: the model report per bot question (which question the bot most often cannot place or mistakes), and the
 * intents usually given to the question in the Label view, on the demo at 1366×768 in zh-CN.
 */
let h: Harness;
let page: Page;
let byQuestion: QuestionReportDto;

useHarness((started) => ([h, page] = [started, started.page]), { viewport: LAPTOP });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical WCAG 2 A/AA violations axe-core finds inside `testid`'s region, as accessibility.e2e.ts runs it. */
async function axeFindings(testid: string): Promise<string[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeSource);
  const script = `axe.run(document.querySelector('[data-testid="${testid}"]'), { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(function (r) {
    return r.violations
      .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
      .map(function (v) { return v.id + ': ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(', '); });
  })`;
  return (await page.evaluate(script)) as string[];
}

/** The English runs `testid`'s region shows outside the user's data (`data-user-text`), as chineseOnly.e2e.ts scans. */
async function englishIn(testid: string): Promise<string[]> {
  const text = await page.getByTestId(testid).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('[data-user-text]').forEach((n) => n.remove());
    return copy.textContent ?? '';
  });
  return findEnglishRuns(text);
}

async function waitForVersion(version: number): Promise<void> {
  await expect
    .poll(async () => (await h.api.model.listVersions({})).some((v) => v.version === version), { timeout: 180_000, interval: 500 })
    .toBe(true);
}

describe('the report per bot question', () => {
  it('lists the demo questions with the most trouble first, as the service computed them', async () => {
    await h.api.workspace.updateSettings({ uiLanguage: 'zh-CN' });
    await h.api.model.train({});
    await waitForVersion(1);
    byQuestion = await h.api.model.getQuestionReport({ version: 1 });
    expect(byQuestion.measured).toBe(true);
    expect(byQuestion.questions.length).toBeGreaterThanOrEqual(5);
    await page.goto(`${h.url}/#/models`);
    await page.waitForSelector('[data-testid="model-report"][data-version="1"]');
    const section = page.getByTestId('question-report');
    await section.getByTestId('question-row').first().waitFor();
    const keys = await section.getByTestId('question-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(keys).toEqual(byQuestion.questions.map((q) => q.key));
    const worst = byQuestion.questions[0]!;
    const firstRow = section.getByTestId('question-row').first();
    const cells = await firstRow.locator('td').allTextContents();
    expect(cells[0]).toBe(worst.question);
    expect(cells[1]).toBe(worst.node ?? '—');
    expect(cells[2]).toBe(`${worst.labeled.toLocaleString()} / ${worst.replies.toLocaleString()}`);
    expect(cells[3]).toBe(`${Math.round(worst.accuracy! * 100)}%`);
    expect(cells[4]).toBe(`${Math.round(worst.coverage * 100)}%`);
    await expect(section.textContent()).resolves.toContain('按机器人提问');
    // Readable at 1366×768: the table fits the panel, no column is pushed out of it.
    const fits = await section.evaluate((el) => {
      const table = el.querySelector('table')!;
      return table.scrollWidth <= table.parentElement!.clientWidth + 1;
    });
    expect(fits).toBe(true);
    await section.scrollIntoViewIfNeeded();
    await settle(page);
    await h.shot('question-report-01-table');
  });

  it('shows a selected question’s replies with their labels and predictions, mistaken ones first', async () => {
    const section = page.getByTestId('question-report');
    await section.getByTestId('question-row').first().click();
    const detail = section.getByTestId('question-detail');
    await detail.waitFor();
    const worst = byQuestion.questions[0]!;
    const kinds = await detail.getByTestId('question-example').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')));
    expect(kinds).toEqual(worst.examples.map((e) => e.kind));
    expect(kinds[0]).toBe('confused');
    const first = await detail.getByTestId('question-example').first().textContent();
    expect(first).toContain(worst.examples[0]!.text);
    expect(first).toContain('判错');
    expect(await englishIn('question-report')).toEqual([]);
    expect(await axeFindings('question-report')).toEqual([]);
    await detail.scrollIntoViewIfNeeded();
    await settle(page);
    await h.shot('question-report-02-examples');
    // The keyboard moves the selection to the next question.
    await section.getByTestId('question-row').first().press('ArrowDown');
    await expect.poll(() => section.locator('tr.selected').getAttribute('data-key')).toBe(byQuestion.questions[1]!.key);
  });
});

describe('the Label view', () => {
  it('shows the intents usually given to the highlighted question, as the queue counted them', async () => {
    await page.goto(`${h.url}/#/label`);
    const prompt = page.getByTestId('transcript-prompt');
    await prompt.getByTestId('usual-intents').waitFor();
    const id = await currentUtteranceId(page);
    const items = (await h.api.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 50 })).items;
    const usual = items.find((i) => i.id === id)?.usualIntents;
    expect(usual).toBeDefined();
    const shown = await prompt.getByTestId('usual-intent').evaluateAll((els) => els.map((e) => e.getAttribute('data-intent-id')));
    expect(shown).toEqual(usual!.top.map((u) => u.intentId));
    const text = (await prompt.getByTestId('usual-intents').textContent()) ?? '';
    expect(text).toContain('此问题常见');
    expect(text).toContain(`${Math.round(usual!.top[0]!.share * 100)}%`);
    expect(await englishIn('usual-intents')).toEqual([]);
    await settle(page);
    await h.shot('question-report-03-label-usual');
  });
});

describe('in English', () => {
  it('words the report per question and the usual intents in English', async () => {
    await h.api.workspace.updateSettings({ uiLanguage: 'en' });
    await page.goto(`${h.url}/#/models`);
    await page.reload();
    const section = page.getByTestId('question-report');
    await section.getByTestId('question-row').first().waitFor();
    await expect(section.locator('th').first().textContent()).resolves.toBe('Bot question');
    const fits = await section.evaluate((el) => {
      const table = el.querySelector('table')!;
      return table.scrollWidth <= table.parentElement!.clientWidth + 1;
    });
    expect(fits).toBe(true);
    await section.getByTestId('question-row').first().click();
    await section.getByTestId('question-detail').waitFor();
    await section.scrollIntoViewIfNeeded();
    await settle(page);
    await h.shot('question-report-04-en');
    await page.goto(`${h.url}/#/label`);
    const usual = page.getByTestId('transcript-prompt').getByTestId('usual-intents');
    await expect(usual.textContent()).resolves.toContain('Usual answers here:');
  });
});
