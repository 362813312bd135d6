import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdir, open, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, QueueItem } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { createServiceHost, type ServiceHost } from './index';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from './store/testCalls';

/** A real small tmpfs: only root can mount one, so elsewhere the test is skipped and says why. */
function mountTmpfs(dir: string, size: string): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (CI runs as root), so no tmpfs can be mounted';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `mount -t tmpfs failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

const root = mkdtempSync(join(tmpdir(), 'callsift-tmpfs-'));
const disk = join(root, 'disk');
let skipReason: string | null = null;

beforeAll(async () => {
  await mkdir(disk, { recursive: true });
  skipReason = mountTmpfs(disk, '6m');
  if (skipReason) console.log(`Skipping the real disk-full test: ${skipReason}.`);
});

afterAll(async () => {
  if (!skipReason) execFileSync('umount', [disk]);
  await rm(root, { recursive: true, force: true });
});

/** Fills the disk: big writes until ENOSPC, then small ones, so no page is left free. Returns the filler's path. */
async function fillDisk(): Promise<string> {
  const path = join(disk, 'filler.bin');
  const handle = await open(path, 'w');
  try {
    for (const size of [1 << 16, 4096, 256, 16, 1]) {
      const chunk = Buffer.alloc(size, 7);
      for (;;) {
        try {
          const { bytesWritten } = await handle.write(chunk);
          if (bytesWritten < size) break;
        } catch {
          break;
        }
      }
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  return path;
}

const tempFilesIn = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true })).filter((n) => String(n).endsWith('.tmp')).map(String);

describe('a full disk (a real 6 MB tmpfs)', () => {
  it('refuses in words, loses nothing acknowledged, keeps reading, leaves no temp file, closes without throwing, and labels again once space returns', async (test) => {
    if (skipReason) return test.skip();
    const ws = join(disk, 'ws');
    await createTestWorkspace(ws, makeTestIntents(['confirm', 'busy']), makeTestCalls(400));
    const open = (): Promise<ServiceHost> => createServiceHost({ dataDir: join(root, 'data'), workspaceFolder: ws, retrainAfterLabels: 0 });
    let host = await open();
    const page = (await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 400 })) as Page<QueueItem>;
    const acknowledged = new Map<string, string>();
    const label = async (id: string, intentId: string): Promise<ContractError | null> => {
      try {
        await host.services.label.setLabel({ utteranceId: id, target: { kind: 'intent', intentId }, source: 'manual' });
        acknowledged.set(id, intentId);
        return null;
      } catch (err) {
        return err as ContractError;
      }
    };
    for (const item of page.items.slice(0, 20)) expect(await label(item.id, 'confirm')).toBeNull();

    const filler = await fillDisk();
    let refusal: ContractError | null = null;
    for (const item of page.items.slice(20, 300)) {
      refusal = await label(item.id, 'busy');
      if (refusal) break;
    }
    expect(refusal).toBeInstanceOf(ContractError);
    expect(refusal!.details?.reason).toBe('disk_full');
    expect(refusal!.message).toMatch(/^The disk is full, so the label could not be saved\./);

    // Reading goes on while the disk is full.
    expect((await host.services.queue.getPage({ queue: 'recent', offset: 0, limit: 500 })).total).toBe(acknowledged.size);
    const importFile = join(root, 'more.jsonl');
    await writeFile(importFile, makeTestCalls(200, 2, 'late').map((c) => JSON.stringify(c)).join('\n') + '\n');
    const importError = await host.services.transfer.importFile({ path: importFile }).catch((err: unknown) => err as ContractError);
    expect(importError).toBeInstanceOf(ContractError);
    expect((importError as ContractError).message).toMatch(/disk is full/);
    expect((importError as ContractError).message).toMatch(/Nothing from more\.jsonl was imported\.$/);
    expect(await tempFilesIn(ws)).toEqual([]);
    expect((await host.services.workspace.getInfo({})).calls).toBe(400);

    const problem = await host.close();
    expect(typeof problem === 'string' || problem === null).toBe(true);
    await unlink(filler);

    host = await open();
    const recent = await host.services.queue.getPage({ queue: 'recent', offset: 0, limit: 1000 });
    const found = new Map(recent.items.map((i) => [i.id, i.label?.target.kind === 'intent' ? i.label.target.intentId : '']));
    expect(found).toEqual(acknowledged);
    const next = page.items[350]!.id;
    expect(await label(next, 'busy')).toBeNull();
    expect((await host.services.transfer.importFile({ path: importFile })).callsImported).toBe(200);
    expect(await tempFilesIn(ws)).toEqual([]);
    expect(await host.close()).toBeNull();
  });
});
