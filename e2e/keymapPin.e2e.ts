import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelReport } from '../shared/contract/dto';
import { startHarness, type Harness } from './harness';
import { currentUtteranceId, waitForUtteranceOtherThan } from './labelPage';

/** A lead pins the digit keys in the Intents view; an annotator then labels by keys with exactly that map. zh-CN, 1366×768. */
let h: Harness;
let page: Page;
let pinned: (string | null)[] = [];

const currentUtteranceIdOf = () => currentUtteranceId(page);
const digitMap = () => page.$$eval('[data-testid="picker-choice"]', (els) => els.map((e) => e.getAttribute('data-intent-id')));
const draftSlots = () => page.$$eval('[data-testid="keymap-slot"]', (els) => els.map((e) => e.getAttribute('data-intent-id') || null));

async function waitForVersion(version: number): Promise<void> {
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    const versions = await h.api.model.listVersions({});
    if (versions.some((v) => v.version === version)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Version ${version} was not saved within 3 minutes`);
}

beforeAll(async () => {
  h = await startHarness();
  page = h.page;
  await page.setViewportSize({ width: 1366, height: 768 });
  await h.api.workspace.updateSettings({ annotator: '王组长' });
  // The ranked queues (and the Q W E row) need a model: train one while the lead pins.
  await h.api.model.train({});
});
afterAll(async () => {
  await h?.close();
});

describe('a key map the lead pins for the workspace', () => {
  it('lets the lead take the current order, reorder, choose an intent for a key and pin it', async () => {
    await page.goto(`${h.url}/#/intents`);
    await page.getByTestId('keymap-open').click();
    await page.waitForSelector('[data-testid="keymap-editor"]');
    await expect(page.getByTestId('keymap-status').getAttribute('data-pinned')).resolves.toBe('no');
    await page.getByTestId('keymap-from-current').click();
    const current = await draftSlots();
    expect(current.filter((s) => s !== null)).toHaveLength(9);
    // Swap keys 1 and 2, then put on key 9 the least used active intent that no key holds.
    await page.locator('[data-testid="keymap-slot"][data-key="1"] [data-testid="keymap-down"]').click();
    const intents = await h.api.intent.listIntents({});
    const spare = intents.filter((i) => i.status !== 'deprecated' && !current.includes(i.id)).sort((a, b) => a.labeled - b.labeled)[0]!;
    await page.locator('[data-testid="keymap-slot"][data-key="9"] .n-base-selection').click();
    await page.keyboard.type(spare.name);
    // Choose the option whose name is exactly the spare's: the filter also lists intents whose names contain it.
    await page.locator('.n-base-select-option').filter({ hasText: new RegExp(`^${spare.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
    await page.waitForSelector(`[data-testid="keymap-slot"][data-key="9"][data-intent-id="${spare.id}"]`);
    pinned = [current[1]!, current[0]!, ...current.slice(2, 8), spare.id];
    expect(await draftSlots()).toEqual(pinned);
    await h.shot('keymap-01-editor-1366');
    await page.getByTestId('keymap-pin').click();
    await page.waitForSelector('[data-testid="keymap-editor"]', { state: 'detached' });
    const pin = await h.api.intent.getKeyMap({});
    if (!pin) throw new Error('the key map was not pinned');
    expect(pin.slots).toEqual(pinned);
    expect(pin.pinnedBy).toBe('王组长');
    expect(JSON.parse(await readFile(join((await h.api.workspace.getSettings({})).workspaceFolder, 'workspace.json'), 'utf8')).meta.keyMapPin.slots).toEqual(pinned);
  });

  it('gives an annotator the pinned digits for 20 labels by keys in a ranked queue, with the model’s top three on Q W E', async () => {
    await waitForVersion(1);
    await h.api.workspace.updateSettings({ annotator: '小李' });
    await page.goto(`${h.url}/#/label/informative`);
    await page.reload();
    await page.waitForSelector('[data-testid="current-utterance"]');
    await page.waitForSelector('[data-testid="picker-suggestion"]');
    expect(await digitMap()).toEqual(pinned);
    await expect(page.getByTestId('picker-pinned').textContent()).resolves.toContain('王组长');
    // Skip (S) to an item where the model offers at least two candidates worth a key, for the screenshot.
    for (let i = 0; i < 40 && (await page.locator('[data-testid="picker-suggestion"][data-probability]:not([data-probability=""])').count()) < 2; i++) {
      const before = await currentUtteranceId(page);
      await page.keyboard.press('s');
      await waitForUtteranceOtherThan(page, before);
    }
    // The Q W E row holds the item's top three from its queue reason, best first, leaving out those under 5%.
    const currentId = await currentUtteranceIdOf();
    const item = (await h.api.queue.getPage({
      queue: 'informative',
      limit: 1000,
    })).items.find((i) => i.id === currentId)!;
    const shown = await page.$$eval('[data-testid="picker-suggestion"]', (els) => els.map((e) => ({ key: e.getAttribute('data-key'), id: e.getAttribute('data-intent-id'), p: e.getAttribute('data-probability') })));
    const fromModel = shown.filter((s) => s.p !== '');
    const top = item.reason?.top ?? [];
    expect(fromModel.map((s) => s.id)).toEqual(top.filter((c) => c.probability >= 0.05).map((c) => c.intentId).slice(0, fromModel.length));
    expect(fromModel.length).toBeGreaterThanOrEqual(Math.min(2, top.filter((c) => c.probability >= 0.05).length));
    expect(shown.map((s) => s.key)).toEqual(['Q', 'W', 'E'].slice(0, shown.length));
    await h.shot('keymap-02-picker-pinned-qwe-1366');
    // Every key row, the actions and the pace line are in sight: inside the window, not clipped by a scrolled panel
    // nor covered (the element itself is what is drawn at its centre).
    const hidden = await page.$$eval('[data-testid="picker-choice"], [data-testid="picker-suggestion"], [data-testid="action-none"], [data-testid="session-pace"], [data-testid="session-done"]', (els) =>
      els
        .filter((e) => {
          const r = e.getBoundingClientRect();
          const x = r.left + Math.min(r.width / 2, 20);
          const y = r.top + r.height / 2;
          const at = y < window.innerHeight && x < window.innerWidth ? document.elementFromPoint(x, y) : null;
          return r.bottom > window.innerHeight || !at || !(e === at || e.contains(at));
        })
        .map((e) => e.getAttribute('data-testid')),
    );
    expect(hidden).toEqual([]);
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="key-help-map"][data-pinned="yes"]');
    // The screenshot waits for the dialog to finish fading in.
    await page.waitForFunction(() => {
      const card = document.querySelector('[data-testid="key-help"]');
      return card !== null && getComputedStyle(card).opacity === '1' && card.getAnimations({ subtree: true }).length === 0;
    });
    await expect(page.getByTestId('key-help-map').textContent()).resolves.toContain('王组长');
    await h.shot('keymap-03-key-help-1366');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="key-help"]', { state: 'detached' });

    const recentBefore = (await h.api.queue.getPage({ queue: 'recent', limit: 1 })).total;
    const keys = ['1', '2', '9', 'q', '3', 'w', '5', '1', '8', '2'];
    const chosen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const before = await currentUtteranceId(page);
      let key = keys[i % keys.length]!;
      // A suggestion key works only when the model offers that many candidates for this item.
      if (/[qwe]/.test(key) && (await page.locator(`[data-testid="picker-suggestion"][data-key="${key.toUpperCase()}"]`).count()) === 0) key = '4';
      const row = /\d/.test(key) ? `[data-testid="picker-choice"][data-key="${key}"]` : `[data-testid="picker-suggestion"][data-key="${key.toUpperCase()}"]`;
      const expected = await page.locator(row).getAttribute('data-intent-id');
      await page.keyboard.press(key);
      await waitForUtteranceOtherThan(page, before);
      chosen.push(`${before}=${expected}`);
      expect(await digitMap()).toEqual(pinned);
    }
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    expect(await page.getByTestId('error-notice').count()).toBe(0);
    const recent = await h.api.queue.getPage({ queue: 'recent', limit: 20 });
    expect(recent.total).toBe(recentBefore + 20);
    // Each utterance got the intent its key showed.
    const saved = new Set(recent.items.map((i) => `${i.id}=${i.label?.target.kind === 'intent' ? i.label.target.intentId : i.label?.target.kind}`));
    for (const c of chosen) expect(saved.has(c)).toBe(true);
    await h.shot('keymap-04-after-20-1366');
  });

  it('shows the longest intent names of the demo whole on Q W E at 1366×768 and 1920×1080, at 13px or more', async () => {
    await page.goto(`${h.url}/#/label/informative`);
    await page.waitForSelector('[data-testid="picker-suggestion"]');
    // An item with the most candidates on Q W E (skip a few to find three).
    for (let i = 0; i < 40 && (await page.getByTestId('picker-suggestion').count()) < 3; i++) {
      const before = await currentUtteranceId(page);
      await page.keyboard.press('s');
      await waitForUtteranceOtherThan(page, before);
    }
    const suggested = await page.$$eval('[data-testid="picker-suggestion"]', (els) => els.map((e) => e.getAttribute('data-intent-id') ?? ''));
    expect(suggested.length).toBeGreaterThanOrEqual(2);
    // Give the suggested intents the demo's longest names (their holders step aside under another name).
    const intents = await h.api.intent.listIntents({});
    const longest = intents.filter((i) => i.status !== 'deprecated').sort((a, b) => b.name.length - a.name.length || a.name.localeCompare(b.name)).slice(0, suggested.length);
    expect(longest[0]!.name.length).toBeGreaterThanOrEqual(8);
    // A suggested intent that already holds one of them keeps it; the others take the names of holders not suggested.
    const free = longest.filter((l) => !suggested.includes(l.id));
    for (const holder of free) await h.api.intent.updateIntent({ id: holder.id, name: `${holder.name}（原）` });
    const names = suggested.map((id) => longest.find((l) => l.id === id)?.name ?? free.shift()!.name);
    for (const [i, id] of suggested.entries()) await h.api.intent.updateIntent({ id, name: names[i]! });
    expect([...names].sort()).toEqual(longest.map((l) => l.name).sort());
    await page.waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll('[data-testid="picker-suggestion-name"]')].map((e) => e.textContent)) === JSON.stringify(want),
      names,
    );
    for (const size of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      await page.waitForFunction((w) => window.innerWidth === w, size.width);
      // Each name is drawn whole (nothing clipped or cut with an ellipsis), at 13px or more, inside the window.
      const drawn = await page.$$eval('[data-testid="picker-suggestion-name"]', (els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          const style = getComputedStyle(e);
          return {
            name: e.textContent,
            cut: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1 || style.textOverflow === 'ellipsis',
            px: parseFloat(style.fontSize),
            inside: r.left >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight && r.width > 0,
          };
        }),
      );
      expect(drawn).toEqual(names.map((name) => ({ name, cut: false, px: drawn.find((d) => d.name === name)!.px, inside: true })));
      for (const d of drawn) expect(d.px).toBeGreaterThanOrEqual(13);
      // The picker still shows every digit row and the actions in the window.
      const below = await page.$$eval('[data-testid="picker-choice"], [data-testid="action-none"]', (els) => els.filter((e) => e.getBoundingClientRect().bottom > window.innerHeight).length);
      expect(below).toBe(0);
      await h.shot(`keymap-07-longest-names-qwe-${size.width}`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('says in the Models view and the Uncovered queue why the default threshold moved', async () => {
    // Version 1 as if it had measured a far threshold, so version 2's default moves by a known amount.
    const folder = (await h.api.workspace.getSettings({})).workspaceFolder;
    const file = join(folder, 'models', 'v0001.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { report: Record<string, unknown> & Pick<ModelReport, 'outOfScopeThreshold'> };
    const far = doc.report.outOfScopeThreshold > 0.5 ? 0.15 : 0.92;
    doc.report.outOfScopeMeasuredThreshold = far;
    await writeFile(file, JSON.stringify(doc));
    // The report also lives alone beside the version (what status and the next training read).
    await writeFile(file.replace(/\.json$/, '.report.json'), JSON.stringify(doc.report));
    // New labels, so version 2 is not refused as trained on unchanged data.
    const fresh = await h.api.queue.getPage({ queue: 'unlabeled', limit: 3 });
    await h.api.label.bulkLabel({ utteranceIds: fresh.items.map((i) => i.id), target: { kind: 'intent', intentId: pinned[0]! } });
    await h.api.model.train({});
    await waitForVersion(2);
    await page.goto(`${h.url}/#/models`);
    await page.waitForSelector('[data-testid="model-report"][data-version="2"]');
    const note = page.getByTestId('model-report').getByTestId('threshold-change');
    await note.waitFor();
    const text = (await note.textContent()) ?? '';
    expect(text).toContain(`默认的超出范围阈值由 ${far.toFixed(2)}（v1）变为`);
    expect(text).toContain('训练用的标注由');
    expect(text).not.toMatch(/[A-Za-z]{4,}/);
    await note.scrollIntoViewIfNeeded();
    await h.shot('keymap-05-models-threshold-change-1366');
    await page.goto(`${h.url}/#/label/uncovered`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    await expect(page.getByTestId('threshold-change').textContent()).resolves.toContain(far.toFixed(2));
    await h.shot('keymap-06-uncovered-threshold-change-1366');
  });
});
