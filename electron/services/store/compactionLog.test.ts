import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileLogger, useLogger, type LogRecord } from '../log';
import { makeTestCalls } from './testCalls';
import { WorkspaceStore, type WorkspaceDoc } from './workspaceStore';

// Compaction after every 3 journal entries (read when workspaceStore.ts loads), so a test reaches it in a few labels.
vi.hoisted(() => {
  process.env.CALLSIFT_COMPACT_AFTER = '3';
});

const init = (): WorkspaceDoc => ({
  formatVersion: 1,
  meta: { name: 'test', languages: ['zh'], annotators: [], createdAt: 1 },
  intents: [{ id: 'confirm', name: '确认本人', description: '', examples: [], status: 'active', createdAt: 1, updatedAt: 1 }],
});
const ctx = { annotator: 'ann', source: 'manual' as const, actionId: 'a1' };

let dir: string;
let restoreLog: () => void;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-compaction-log-'));
  restoreLog = useLogger(createFileLogger({ dir: join(dir, 'logs') }));
});
afterEach(async () => {
  restoreLog();
  await rm(dir, { recursive: true, force: true });
});

async function logged(): Promise<LogRecord[]> {
  const text = await readFile(join(dir, 'logs', 'callsift.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogRecord);
}

describe('a compaction that fails', () => {
  it('is recorded in the log, loses no label, and is reported again by close', async () => {
    const folder = join(dir, 'ws');
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
    const store = await WorkspaceStore.open(join(dir, 'ws'), init);
    await store.calls.appendCalls(makeTestCalls(5));
    store.labels.resize(store.calls.utteranceCount);
    for (let u = 0; u < 4; u++) await store.applyLabelChanges([{ utterance: u, target: { kind: 'intent', intentId: 'confirm' } }], { ...ctx, actionId: `a${u}` });
    await store.compact();
    expect(await store.close()).toBeNull();
    expect(await logged()).toEqual([]);
  });
});
