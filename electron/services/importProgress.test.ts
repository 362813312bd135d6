import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../shared/contract/services';
import type { ServiceHost } from './index';
import { closeTestHost, openTestHost } from './testServiceHost';
import { makeTestCalls } from './store/testCalls';

type Progress = EventMap['onDidImportProgress'];

let root: string;
let host: ServiceHost;

beforeEach(async () => {
  ({ root, host } = await openTestHost('callsift-progress-', [], makeTestCalls(5)));
});

afterEach(() => closeTestHost(host, root));

/** Writes about `targetBytes` of JSON Lines, one call per line, with long Chinese and English turns. */
async function writeBigJsonl(path: string, targetBytes: number): Promise<number> {
  const filler = '我想问一下这个月的账单为什么比上个月多了这么多 please explain the extra charges on my bill '.repeat(3);
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    const [call] = makeTestCalls(1, 2, `big${i}-`);
    const turns = call!.turns.map((t) => ({ ...t, text: `${t.text} ${filler}` }));
    const line = JSON.stringify({ ...call, id: `big-${i}`, turns });
    lines.push(line);
    bytes += Buffer.byteLength(line, 'utf8') + 1;
  }
  await writeFile(path, `${lines.join('\n')}\n`, 'utf8');
  return lines.length;
}

describe('import progress', () => {
  it('reports progress of a 5 MB JSONL import, throttled, ending at the file size', async () => {
    const file = join(root, 'big.jsonl');
    const calls = await writeBigJsonl(file, 5 * 1024 * 1024);
    const size = (await stat(file)).size;
    const events: { at: number; payload: Progress }[] = [];
    const off = host.on('onDidImportProgress', (payload) => events.push({ at: Date.now(), payload }));

    const report = await host.services.transfer.importFile({ path: file });
    off();

    expect(report.callsImported).toBe(calls);
    expect(events.length).toBeGreaterThanOrEqual(2);
    const bytes = events.map((e) => e.payload.bytesRead);
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]!).toBeGreaterThan(bytes[i - 1]!);
    const last = events[events.length - 1]!.payload;
    expect(last).toEqual({ file: 'big.jsonl', bytesRead: size, totalBytes: size, rows: calls });
    expect(events.every((e) => e.payload.totalBytes === size && e.payload.file === 'big.jsonl')).toBe(true);
    const rows = events.map((e) => e.payload.rows);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!).toBeGreaterThanOrEqual(rows[i - 1]!);

    const elapsed = Math.max(1, events[events.length - 1]!.at - events[0]!.at);
    expect(events.length - 1).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
  });

  it('reports progress of browser uploads too, named by the uploaded file', async () => {
    const content = makeTestCalls(200, 2, 'up-').map((c) => JSON.stringify(c)).join('\n');
    const events: Progress[] = [];
    const off = host.on('onDidImportProgress', (payload) => events.push(payload));
    await host.services.transfer.importContent({ fileName: 'upload.jsonl', content });
    off();
    expect(events.length).toBeGreaterThanOrEqual(1);
    const last = events[events.length - 1]!;
    expect(last.file).toBe('upload.jsonl');
    expect(last.bytesRead).toBe(last.totalBytes);
    expect(last.rows).toBe(200);
  });
});
