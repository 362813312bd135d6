/** Dataset rows and the python peer process shared by the model benchmarks. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, mixSeed } from '../../shared/ml/random';

export interface Row {
  readonly text: string;
  readonly intent: string;
  readonly split: string;
}

export const OOS = 'oos';
export const HERE = dirname(fileURLToPath(import.meta.url));

/** Reads a JSON Lines dataset ({"text", "intent", "split"} per line). */
export function readRows(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const raw = JSON.parse(line) as { text?: unknown; intent?: unknown; split?: unknown };
      return { text: String(raw.text ?? ''), intent: String(raw.intent ?? ''), split: String(raw.split ?? '') };
    });
}

/** "zh" when Han characters outnumber other letters in the first 2,000 rows, else "en". */
export function languageOf(rows: readonly Row[]): 'zh' | 'en' {
  let cjk = 0;
  let letters = 0;
  for (const row of rows.slice(0, 2000)) {
    for (const ch of row.text) {
      if (/\p{Script=Han}/u.test(ch)) cjk++;
      else if (/\p{L}/u.test(ch)) letters++;
    }
  }
  return cjk > letters ? 'zh' : 'en';
}

/** In-scope training rows and all test rows. */
export function splitRows(rows: readonly Row[]): { train: Row[]; test: Row[] } {
  return { train: rows.filter((r) => r.split === 'train' && r.intent !== OOS), test: rows.filter((r) => r.split === 'test') };
}

/** Runs `peer_tasks.py TASK DIR ARGS…` with /usr/bin/python3; throws when it fails. */
export function runPeerTask(task: string, dir: string, args: readonly string[] = []): void {
  const result = spawnSync('/usr/bin/python3', [join(HERE, 'peer_tasks.py'), task, dir, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`peer_tasks.py ${task} failed (exit ${result.status})`);
}

/**
 * Runs a peer task in a fresh temp folder: `prepare` writes its inputs there, peer_tasks.py runs `task` on it, `read`
 * takes its outputs; the folder is removed afterwards, also when something fails.
 */
export function inPeerTask<T>(task: string, prepare: (dir: string) => void, read: (dir: string) => T, args: readonly string[] = []): T {
  const dir = mkdtempSync(join(tmpdir(), `callsift-${task.replaceAll('_', '-')}-`));
  try {
    prepare(dir);
    runPeerTask(task, dir, args);
    return read(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Up to `perClass` row indexes of each label, drawn without replacement with a seeded shuffle; ascending. */
export function samplePerClass(labels: readonly string[], perClass: number, seed: number): number[] {
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const list = byLabel.get(label) ?? [];
    list.push(i);
    byLabel.set(label, list);
  });
  const picked: number[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const rng = createRng(mixSeed(seed, picked.length));
    picked.push(...rng.shuffle(byLabel.get(label)!).slice(0, perClass));
  }
  return picked.sort((a, b) => a - b);
}

/** Seconds since `start` (a performance.now() reading). */
export const secondsSince = (start: number): number => (performance.now() - start) / 1000;
