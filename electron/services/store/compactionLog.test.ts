import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileLogger, useLogger, type LogRecord } from '../log';
import { makeTestCalls } from './testCalls';
import { readLogRecords, testActionContext, testWorkspaceDoc, useTempDir } from './testStore';
import { WorkspaceStore } from './workspaceStore';

// Compaction after every 3 journal entries (read when workspaceStore.ts loads), so a test reaches it in a few labels.
vi.hoisted(() => {
  process.env.CALLSIFT_COMPACT_AFTER = '3';
});

const init = testWorkspaceDoc;
const ctx = testActionContext;

const dir = useTempDir('callsift-compaction-log-');
let restoreLog: () => void;
beforeEach(() => {
  restoreLog = useLogger(createFileLogger({ dir: join(dir(), 'logs') }));
});
afterEach(() => {
  restoreLog();
});

const logged = (): Promise<LogRecord[]> => readLogRecords(join(dir(), 'logs'));

describe('a compaction that fails', () => {
  it('is recorded in the log, loses no label, and is reported again by close', async () => {
    const folder = join(dir(), 'ws');
    const store = await WorkspaceStore.open(folder, init);
    await store.calls.appendCalls(makeTestCalls(5));
    store.labels.resize(store.calls.utteranceCount);
    // A folder where the snapshot goes: the snapshot write (temp file, then rename over it) fails.
    await mkdir(join(folder, 'labels', 'snapshot.json', 'blocker'), { recursive: true });
    for (let u = 0; u < 4; u++) await store.applyLabelChanges([{ utterance: u, target: { kind: 'intent', intentId: 'confirm' } }], { ...ctx, actionId: `a${u}` });
    // The background compaction settles by itself; wait for its record, not for a fixed time.
    await vi.waitFor(async () => expect((await logged()).some((r) => r.event === 'store.compact')).toBe(true), { timeout: 10_000, interval: 20 });
    const background = (await logged()).find((r) => r.event === 'store.compact')!;
    expect(background).toMatchObject({ level: 'error', folder });
    expect(background.error?.message).toMatch(/snapshot\.json/);
    expect(store.labels.labeledCount).toBe(4);

    const problem = await store.close();
    expect(problem).toMatch(/snapshot/);
    expect((await logged()).filter((r) => r.event === 'store.compact' && r['atClose'] === true)).toHaveLength(1);

    // Nothing acknowledged was lost: the journal holds every label.
    await rm(join(folder, 'labels', 'snapshot.json'), { recursive: true });
    const again = await WorkspaceStore.open(folder);
    expect(again.labels.labeledCount).toBe(4);
    await again.close();
  });

  it('writes nothing to the log when compaction succeeds', async () => {
    const store = await WorkspaceStore.open(join(dir(), 'ws'), init);
    await store.calls.appendCalls(makeTestCalls(5));
    store.labels.resize(store.calls.utteranceCount);
    for (let u = 0; u < 4; u++) await store.applyLabelChanges([{ utterance: u, target: { kind: 'intent', intentId: 'confirm' } }], { ...ctx, actionId: `a${u}` });
    await store.compact();
    expect(await store.close()).toBeNull();
    expect(await logged()).toEqual([]);
  });
});
