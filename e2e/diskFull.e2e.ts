import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdir, open, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from '../electron/services/store/testCalls';
import { settle, startHarness, type Harness } from './harness';
import { labelInARow } from './labelPage';

/** Labeling in the zh-CN UI on a real 8 MB tmpfs that fills up (root only: CI runs as root; elsewhere it says why it skips). */
const root = mkdtempSync(join(tmpdir(), 'callsift-e2e-disk-'));
const disk = join(root, 'disk');
const isRoot = process.getuid?.() === 0;
let mounted = false;
let h: Harness;
let page: Page;

async function fillDisk(): Promise<string> {
  const path = join(disk, 'filler.bin');
  const handle = await open(path, 'w');
  for (const size of [1 << 16, 4096, 256, 16, 1]) {
    const chunk = Buffer.alloc(size, 7);
    for (;;) {
      const written = await handle.write(chunk).then(
        (r) => r.bytesWritten,
        () => 0,
      );
      if (written < size) break;
    }
  }
  await handle.close().catch(() => undefined);
  return path;
}

const sessionDone = async (): Promise<number> => Number((await page.getByTestId('session-done').textContent()) ?? '0');

beforeAll(async () => {
  if (!isRoot) {
    console.log('Skipping the disk-full flow: not running as root (CI runs as root), so no tmpfs can be mounted.');
    return;
  }
  await mkdir(disk, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk]);
  mounted = true;
  const ws = join(disk, 'ws');
  await createTestWorkspace(ws, makeTestIntents([{ id: 'confirm', name: '确认本人' }, { id: 'busy', name: '在忙' }]), makeTestCalls(300));
  h = await startHarness({ workspace: ws });
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  if (mounted) execFileSync('umount', [disk]);
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('labeling when the disk fills up', () => {
  it('says 磁盘已满 in the Chinese UI, keeps every saved label, and saves again once space is freed', async () => {
    await page.goto(`${h.url}/#/inbox`);
    await page.getByTestId('queue-start-unlabeled').click();
    await page.waitForSelector('[data-testid="current-utterance"]');
    await labelInARow(page, 3);
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');

    const filler = await fillDisk();
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('1');
      const refused = await page
        .waitForSelector('[data-testid="error-advice"]', { timeout: 400 })
        .then(() => true)
        .catch(() => false);
      if (refused) break;
    }
    const advice = (await page.getByTestId('error-advice').first().textContent()) ?? '';
    expect(advice).toContain('磁盘空间不足，这次操作没有保存');
    await page.waitForSelector('[data-testid="save-status"][data-state="failed"]');
    // Let the notice finish sliding in before the picture.
    await page.getByTestId('error-advice').first().waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const box = document.querySelector('[data-testid="error-advice"]')?.getBoundingClientRect();
      return box !== undefined && box.right <= window.innerWidth;
    });
    await settle(page);
    await h.shot('diskfull-01-refused-zh');
    const savedWhileFull = await sessionDone();

    await unlink(filler);
    await labelInARow(page, 1);
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    await h.shot('diskfull-02-saving-again');
    expect(await sessionDone()).toBe(savedWhileFull + 1);

    const recent = await h.api.queue.getPage({ queue: 'recent', limit: 1 });
    expect(recent.total).toBe(await sessionDone());
  });
});
