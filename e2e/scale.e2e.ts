import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useHarnessOnWorkspace, type Harness } from './harness';
import { waitForQueueCountOnScreen } from './inboxPage';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** About 65% of the generated utterances stay unlabeled, so this gives an unlabeled queue of over 95,000 rows. */
const UTTERANCES = 150_000;

let h: Harness;
let page: Page;

interface RenderedRows {
  count: number;
  numbers: number[];
  loaded: number;
}

async function renderedRows(): Promise<RenderedRows> {
  return page.$$eval('[data-testid="queue-row"]', (rows) => ({
    count: rows.length,
    numbers: rows.map((r) => Number(r.querySelector('.idx')?.textContent ?? '0')),
    loaded: rows.filter((r) => r.querySelector('.text:not(.cs-muted)') !== null).length,
  }));
}

useHarnessOnWorkspace(
  'callsift-scale-',
  (workspace) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/buildWorkspace.ts', '--utterances', String(UTTERANCES), '--out', workspace], { cwd: root }),
  (started) => ([h, page] = [started, started.page]),
);

describe('a 100k-row inbox', () => {
  it('scrolls the virtualized unlabeled list to its end with fewer than 200 rows in the DOM', async () => {
    const started = Date.now();
    await page.goto(`${h.url}/#/inbox`);
    await page.waitForSelector('[data-testid="queue-row"] .text:not(.cs-muted)');
    const queues = await h.api.queue.listQueues({});
    const total = queues.find((q) => q.id === 'unlabeled')?.count ?? 0;
    expect(total).toBeGreaterThan(90_000);
    await waitForQueueCountOnScreen(page, 'unlabeled', total);
    await h.shot('scale-01-inbox-top');

    const scroller = page.getByTestId('virtual-rows');
    const steps = 12;
    for (let step = 1; step <= steps; step++) {
      // The last step scrolls to the very end, so the last row must render.
      const fraction = step / steps;
      await scroller.evaluate((el, f) => {
        el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
      }, fraction);
      // Wait for the rows of this position (the row numbers shown reach it), not for a fixed time.
      const near = Math.max(1, Math.floor(fraction * total) - 300);
      await page.waitForFunction(
        (n) => [...document.querySelectorAll('[data-testid="queue-row"] .idx')].some((e) => Number(e.textContent) >= n),
        near,
      );
      expect((await renderedRows()).count).toBeLessThan(200);
    }
    await page.waitForFunction((n) => {
      const rows = [...document.querySelectorAll('[data-testid="queue-row"]')];
      return rows.length > 0 && rows.every((r) => r.querySelector('.text:not(.cs-muted)') !== null) && rows.some((r) => r.querySelector('.idx')?.textContent === String(n));
    }, total);

    const rows = await renderedRows();
    expect(rows.count).toBeGreaterThan(5);
    expect(rows.count).toBeLessThan(200);
    expect(rows.loaded).toBe(rows.count);
    expect(Math.max(...rows.numbers)).toBeGreaterThan(90_000);
    expect(Math.min(...rows.numbers)).toBeGreaterThan(total - 300);
    const last = await h.api.queue.getPage({ queue: 'unlabeled', offset: total - 1, limit: 1 });
    const lastText = last.items[0]?.text ?? '';
    expect(rows.numbers).toContain(total);
    expect(lastText).not.toBe('');
    const shown = await page.$$eval('[data-testid="queue-row"]', (els, n) => els.find((e) => e.querySelector('.idx')?.textContent === String(n))?.querySelector('.text')?.textContent ?? '', total);
    expect(shown).toBe(lastText);
    await h.shot('scale-02-inbox-near-end');
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
