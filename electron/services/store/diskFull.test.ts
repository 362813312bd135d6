import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/errors';
import { openForAppend, type AppendFileHandle } from '../../../lib/durable/appendOnlyFile';
import { makeTestCalls } from './testCalls';
import { testActionContext, testWorkspaceDoc } from './testStore';
import { WorkspaceStore } from './workspaceStore';

const init = testWorkspaceDoc;
const ctx = testActionContext;
const confirm = { kind: 'intent', intentId: 'confirm' } as const;

/** A disk that fills up: while `full`, a write stores only part of its bytes, and the next one fails with ENOSPC. */
class FillingDisk {
  full = false;
  shortWrites = 0;

  open = async (path: string): Promise<AppendFileHandle> => {
    const real = await openForAppend(path);
    let cut = false;
    return {
      write: async (buffer, offset, length, position) => {
        if (!this.full) return real.write(buffer, offset, length, position);
        if (!cut && length > 1) {
          cut = true;
          this.shortWrites++;
          return real.write(buffer, offset, Math.floor(length / 2), position);
        }
        cut = false;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      datasync: () => real.datasync(),
      truncate: (n) => real.truncate(n),
      stat: () => real.stat(),
      close: () => real.close(),
    };
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-diskfull-'));
  const store = await WorkspaceStore.open(dir, init);
  await store.calls.appendCalls(makeTestCalls(20));
  await store.close();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a full disk (injected short writes)', () => {
  it('never acknowledges a short write, says "disk full", cuts the torn bytes, and labeling resumes once space returns', async () => {
    const disk = new FillingDisk();
    const store = await WorkspaceStore.open(dir, undefined, { journal: { openFile: disk.open } });
    await store.applyLabelChanges([{ utterance: 0, target: confirm }], ctx);
    const journal = join(dir, 'labels', 'journal-000001.jsonl');
    const before = (await stat(journal)).size;

    disk.full = true;
    const failed = await store.applyLabelChanges([{ utterance: 1, target: confirm }], ctx).catch((err: unknown) => err);
    expect(disk.shortWrites).toBe(1);
    expect(failed).toBeInstanceOf(ContractError);
    expect((failed as ContractError).code).toBe('io');
    expect((failed as ContractError).details?.reason).toBe('disk_full');
    expect((failed as ContractError).message).toBe('The disk is full, so the label could not be saved. Free some disk space and try again; what was shown as saved before is kept.');
    expect(store.labels.isLabeled(1)).toBe(false);
    expect((await stat(journal)).size).toBe(before);
    // Reading goes on.
    expect(store.labels.targetOf(0)).toEqual(confirm);
    const bulk = await store.applyLabelChanges([2, 3, 4].map((utterance) => ({ utterance, target: confirm })), ctx).catch((err: unknown) => err);
    expect((bulk as ContractError).details?.reason).toBe('disk_full');
    expect([2, 3, 4].some((u) => store.labels.isLabeled(u))).toBe(false);

    disk.full = false;
    await store.applyLabelChanges([{ utterance: 5, target: confirm }], ctx);
    await store.abandonAsIfCrashed();
    const text = await readFile(journal, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);

    const again = await WorkspaceStore.open(dir);
    expect(again.notices).toEqual([]);
    expect(again.labels.labeledCount).toBe(2);
    expect(again.labels.isLabeled(0) && again.labels.isLabeled(5)).toBe(true);
    await again.close();
  });

  it('does not call a label "unchanged" while the write that set it is still failing: the second action writes it itself', async () => {
    const disk = new FillingDisk();
    const store = await WorkspaceStore.open(dir, undefined, { journal: { openFile: disk.open } });
    disk.full = true;
    // The first client's write is in flight (and will fail); the second asks for the same label meanwhile.
    const first = store.applyLabelChanges([{ utterance: 7, target: confirm }], ctx).catch((err: unknown) => err);
    const second = store.commitAction({ labels: [{ utterance: 7, target: confirm }] }, { ...ctx, actionId: 'second' });
    expect(store.labels.targetOf(7)).toEqual(confirm);
    expect(await first).toBeInstanceOf(ContractError);
    disk.full = false;
    const done = await second;
    expect(done.events.map((e) => e.after)).toEqual([confirm]);
    expect(done.labels[0]?.target).toEqual(confirm);
    await store.abandonAsIfCrashed();
    const again = await WorkspaceStore.open(dir);
    expect(again.labels.targetOf(7)).toEqual(confirm);
    await again.close();
  });

  it('reports the label its own action left, not a later action\'s change still in flight', async () => {
    const store = await WorkspaceStore.open(dir);
    const none = { kind: 'none' } as const;
    const mine = store.commitAction({ labels: [{ utterance: 3, target: none }] }, { ...ctx, actionId: 'mine' });
    // Queued behind the first write: changed in memory at once, on disk later.
    const later = store.commitAction({ labels: [{ utterance: 3, target: confirm }] }, { ...ctx, actionId: 'later' });
    const [a, b] = await Promise.all([mine, later]);
    expect(a.labels[0]?.target).toEqual(none);
    expect(b.labels[0]?.target).toEqual(confirm);
    expect(b.events[0]?.before).toEqual(none);
    await store.close();
  });
});
