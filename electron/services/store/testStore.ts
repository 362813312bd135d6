import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { LogRecord } from '../log';
import { makeTestCalls } from './testCalls';
import { WorkspaceStore, type WorkspaceDoc } from './workspaceStore';

/** The workspace document store tests start from: one active intent, `confirm`. */
export const testWorkspaceDoc = (): WorkspaceDoc => ({
  formatVersion: 1,
  meta: { name: 'test', languages: ['zh'], annotators: [], createdAt: 1 },
  intents: [{ id: 'confirm', name: '确认本人', description: '', examples: [], status: 'active', createdAt: 1, updatedAt: 1 }],
});

/** The action context store tests label with. */
export const testActionContext = { annotator: 'ann', source: 'manual' as const, actionId: 'a1' };

/**
 * A fresh temporary folder for each test (made before it, removed after it), named after `prefix`.
 * Returns a getter for the current test's folder.
 */
export function useTempDir(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** A store opened in `dir` on the test document, holding `calls` synthetic calls with room for their labels. */
export async function openSeededStore(dir: string, calls: number): Promise<WorkspaceStore> {
  const store = await WorkspaceStore.open(dir, testWorkspaceDoc);
  await store.calls.appendCalls(makeTestCalls(calls));
  store.labels.resize(store.calls.utteranceCount);
  return store;
}

/** The records of the JSON-lines log `callsift.log` in `logDir`; none when it does not exist. */
export async function readLogRecords(logDir: string): Promise<LogRecord[]> {
  const text = await readFile(join(logDir, 'callsift.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogRecord);
}
