import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LAPTOP, useHarness, type Harness } from './harness';
import { currentUtteranceId, waitForUtteranceOtherThan } from './labelPage';

/** The history sidebar as an annotator uses it: zh-CN UI, keyboard only, a 1366×768 laptop. */
let h: Harness;
let page: Page;

useHarness((started) => ([h, page] = [started, started.page]), { viewport: LAPTOP });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** axe-core's serious and critical WCAG 2 A/AA findings on the page as it is (contrast, roles, names). */
async function axeFindings(): Promise<string[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeSource);
  return (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(function (r) {
    return r.violations
      .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
      .map(function (v) { return v.id + ': ' + v.nodes.slice(0, 5).map(function (n) { return n.target.join(' '); }).join(', '); });
  })`)) as string[];
}

/** The sidebar's entries as listed, newest first. */
const entries = () =>
  page.$$eval('[data-testid="history-entry"]', (els) =>
    els.map((e) => ({
      utteranceId: e.getAttribute('data-utterance-id') ?? '',
      intentId: e.getAttribute('data-intent-id') ?? '',
      state: e.getAttribute('data-state') ?? '',
      selected: e.getAttribute('aria-selected') === 'true',
    })),
  );
const intentOfKey = (key: string) => page.getByTestId('picker-choice').and(page.locator(`[data-key="${key}"]`)).getAttribute('data-intent-id');
/** The newest label event of an utterance, through the API. */
const newestLabel = async (utteranceId: string) => (await h.api.label.getHistory({ utteranceId, limit: 1 }))[0]?.after ?? null;

describe('the history sidebar', () => {
  it('lists five keyboard labels, re-labels the third-newest in place, and undo walks the history back', async () => {
    await page.goto(`${h.url}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.waitForSelector('[data-testid="history-empty"]');
    const keys = ['1', '2', '3', '4', '5'];
    const given: { utteranceId: string; intentId: string }[] = [];
    for (const key of keys) {
      const before = await currentUtteranceId(page);
      const intentId = (await intentOfKey(key)) ?? '';
      await page.keyboard.press(key);
      await waitForUtteranceOtherThan(page, before);
      given.push({ utteranceId: before, intentId });
    }
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="history-entry"]')].every((e) => e.getAttribute('data-state') === 'saved'));
    const newestFirst = [...given].reverse();
    expect((await entries()).map((e) => [e.utteranceId, e.intentId, e.state])).toEqual(newestFirst.map((g) => [g.utteranceId, g.intentId, 'saved']));
    const current = await currentUtteranceId(page);

    // The sidebar sits beside the transcript and the picker at 1366×768, hiding neither.
    const box = async (testId: string) => (await page.getByTestId(testId).first().boundingBox())!;
    const sidebar = await box('history-sidebar');
    const picker = await box('picker-choices');
    const transcript = await page.locator('.context').boundingBox();
    expect(sidebar.x + sidebar.width).toBeLessThanOrEqual(1366);
    expect(sidebar.x).toBeGreaterThanOrEqual(picker.x + picker.width);
    expect(transcript!.width).toBeGreaterThan(300);
    expect((await box('action-none')).y + (await box('action-none')).height).toBeLessThanOrEqual(768);
    // The action keys fit on one row beside it, and the session figures stay in the window.
    expect((await box('action-help')).y).toBe((await box('action-none')).y);
    expect((await box('session-done')).y + (await box('session-done')).height).toBeLessThanOrEqual(768);

    // H gives the history the keyboard on the newest decision; ↓ ↓ walk to the third-newest.
    await page.keyboard.press('h');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('history-list');
    expect((await entries())[0]?.selected).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = newestFirst[2]!;
    expect((await entries()).map((e) => e.selected)).toEqual([false, false, true, false, false]);
    expect(await page.getByTestId('history-editing').getAttribute('data-utterance-id')).toBe(third.utteranceId);
    await h.shot('history-01-editing-third-zh-1366');

    // A digit re-labels it in place: saved through the label service, the current item untouched.
    const newKey = third.intentId === (await intentOfKey('7')) ? '8' : '7';
    const newIntent = (await intentOfKey(newKey)) ?? '';
    await page.keyboard.press(newKey);
    await page.waitForFunction(
      ([id, intent]) => {
        const el = document.querySelector(`[data-testid="history-entry"][data-utterance-id="${id}"]`);
        return el?.getAttribute('data-intent-id') === intent && el.getAttribute('data-state') === 'saved';
      },
      [third.utteranceId, newIntent] as const,
    );
    expect(await newestLabel(third.utteranceId)).toEqual({ kind: 'intent', intentId: newIntent });
    expect((await entries()).map((e) => e.utteranceId)).toEqual(newestFirst.map((g) => g.utteranceId));
    expect((await entries())[2]?.selected).toBe(true);
    await h.shot('history-02-relabeled-zh-1366');
    // Readable and named for everyone while the history has the keyboard: no serious or critical axe finding.
    expect(await axeFindings()).toEqual([]);

    // Esc returns to the current item, which did not move and is still unlabeled.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="current-utterance"]');
    expect(await currentUtteranceId(page)).toBe(current);
    expect(await newestLabel(current)).toBeNull();
    expect(await page.getByTestId('session-done').textContent()).toBe('5');

    // Undo twice: the two newest decisions go back, newest first, and leave the list; the older ones stay.
    await page.keyboard.press('Control+z');
    await waitForUtteranceOtherThan(page, current);
    expect(await currentUtteranceId(page)).toBe(newestFirst[0]!.utteranceId);
    await page.keyboard.press('Control+z');
    await waitForUtteranceOtherThan(page, newestFirst[0]!.utteranceId);
    expect(await currentUtteranceId(page)).toBe(newestFirst[1]!.utteranceId);
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    expect((await entries()).map((e) => [e.utteranceId, e.intentId])).toEqual([
      [third.utteranceId, newIntent],
      [newestFirst[3]!.utteranceId, newestFirst[3]!.intentId],
      [newestFirst[4]!.utteranceId, newestFirst[4]!.intentId],
    ]);
    expect(await newestLabel(newestFirst[0]!.utteranceId)).toBeNull();
    expect(await newestLabel(newestFirst[1]!.utteranceId)).toBeNull();
    expect(await newestLabel(third.utteranceId)).toEqual({ kind: 'intent', intentId: newIntent });
    expect(await page.getByTestId('session-done').textContent()).toBe('3');
    expect(await page.getByTestId('error-notice').count()).toBe(0);
    await h.shot('history-03-after-two-undos-zh-1366');
  });

  it('collapses to a strip, remembers it across a reload, and H opens it again', async () => {
    await page.getByTestId('history-toggle').click();
    await page.waitForSelector('[data-testid="history-sidebar"][data-collapsed="true"]');
    const strip = (await page.getByTestId('history-sidebar').boundingBox())!;
    expect(strip.width).toBeLessThan(60);
    await page.reload();
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.waitForSelector('[data-testid="history-sidebar"][data-collapsed="true"]');
    await h.shot('history-04-collapsed-zh-1366');
    expect(await axeFindings()).toEqual([]);
    // A new page is a new session: its one label is the only entry, and H opens the sidebar on it.
    await page.keyboard.press('1');
    await page.waitForSelector('[data-testid="history-sidebar"][data-collapsed="true"]');
    await page.keyboard.press('h');
    await page.waitForSelector('[data-testid="history-sidebar"][data-collapsed="false"]');
    expect((await entries()).map((e) => e.selected)).toEqual([true]);
    // Search re-labels the past item too: / types into the picker, Enter saves, the keyboard comes back to the list.
    const only = (await entries())[0]!;
    await page.keyboard.press('/');
    await page.keyboard.type('来电身份');
    await page.waitForFunction(() => document.querySelector('[data-testid="picker-choice-name"]')?.textContent === '询问来电身份');
    const searched = (await page.getByTestId('picker-choice').first().getAttribute('data-intent-id')) ?? '';
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (intent) => {
        const el = document.querySelector('[data-testid="history-entry"]');
        return el?.getAttribute('data-intent-id') === intent && el.getAttribute('data-state') === 'saved';
      },
      searched,
    );
    expect(await newestLabel(only.utteranceId)).toEqual({ kind: 'intent', intentId: searched });
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('history-list');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="key-help"]');
    // The screenshot waits for the dialog's opening transition to end.
    await page.getByTestId('key-help').evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined))));
    expect(await page.getByTestId('key-help').textContent()).toContain('进入 / 离开历史记录');
    await h.shot('history-05-key-help-zh-1366');
    await page.keyboard.press('?');
  });

  it('reads in English too', async () => {
    await h.api.workspace.updateSettings({ uiLanguage: 'en' });
    await page.reload();
    await page.waitForSelector('html[lang="en"] [data-testid="current-utterance"]');
    // The utterance can be painted before the intents arrive: until digit 2 holds an intent, pressing it picks nothing.
    // Wait for the key itself, then for this utterance's entry to be saved (not any entry).
    const key2 = page.locator('[data-testid="picker-choice"][data-key="2"][data-intent-id]');
    await key2.waitFor();
    const intentId = (await key2.getAttribute('data-intent-id')) ?? '';
    const before = await currentUtteranceId(page);
    await page.keyboard.press('2');
    await waitForUtteranceOtherThan(page, before);
    await page.waitForSelector(`[data-testid="history-entry"][data-state="saved"][data-utterance-id="${before}"][data-intent-id="${intentId}"]`);
    await page.keyboard.press('h');
    await page.waitForSelector('[data-testid="history-editing"]');
    expect(await page.getByTestId('history-sidebar').textContent()).toContain('History');
    expect(await page.getByTestId('history-editing').textContent()).toContain('Re-labeling a past decision');
    expect(await axeFindings()).toEqual([]);
    await h.shot('history-06-editing-en-1366');
    await h.api.workspace.updateSettings({ uiLanguage: 'zh-CN' });
  });
});
