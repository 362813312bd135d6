import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImportFile } from './importRecords';

const TARGET_BYTES = 50 * 1024 * 1024;

/** V8's collector, exposed at run time so live (not yet collected) memory can be measured. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Live heap growth during an import: made just after a collection (the baseline); `sample`, called on every progress
 * report, collects again on every 16th and records how far the live heap then stands above the baseline.
 */
function liveHeapMeter(): { sample: () => void; readonly peak: number; readonly samples: number } {
  const gc = exposeGc();
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let progressCalls = 0;
  let peak = 0;
  let samples = 0;
  return {
    sample: () => {
      progressCalls += 1;
      if (progressCalls % 16 !== 0) return;
      gc();
      samples += 1;
      peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    },
    get peak() {
      return peak;
    },
    get samples() {
      return samples;
    },
  };
}

let dir: string;
let path: string;
let rowsWritten = 0;

/**
 * Writes `header`, then the lines `lineAt(row)` for rows `rowsBefore + 1`, `rowsBefore + 2`, … in batches of 1,000 until
 * about `bytes` of them are written (waiting for the stream to drain); returns the last row's number.
 */
async function writeLines(file: string, header: string, rowsBefore: number, bytes: number, lineAt: (row: number) => string): Promise<number> {
  const out = createWriteStream(file);
  if (header) out.write(header);
  let written = 0;
  let rows = rowsBefore;
  while (written < bytes) {
    let batch = '';
    for (let i = 0; i < 1_000; i += 1) {
      rows += 1;
      batch += lineAt(rows) + '\n';
    }
    written += Buffer.byteLength(batch);
    if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return rows;
}

/** About TARGET_BYTES of JSON Lines, calls and labeled texts in turn; returns the number of rows. */
function writeLargeJsonl(file: string): Promise<number> {
  return writeLines(file, '', 0, TARGET_BYTES, (row) =>
    row % 2 === 0
      ? JSON.stringify({ text: `第${row}句：我想查询一下我的话费余额还有多少`, intent: 'check_balance', split: 'train' })
      : JSON.stringify({
          id: `call-${row}`,
          startedAt: 1_700_000_000_000 + row,
          turns: [
            { speaker: 'bot', text: 'Hello, how can I help you today?' },
            { speaker: 'user', text: `row ${row}: I would like to cancel my plan`, predictedIntent: 'cancel', predictedConfidence: 0.7, intent: 'cancel' },
          ],
        }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-stream-'));
  path = join(dir, 'large.jsonl');
  rowsWritten = await writeLargeJsonl(path);
});

/** About `bytes` of CSV whose line 2 opens a quote that never closes; returns the number of data rows. */
function writeBrokenCsv(file: string, bytes: number): Promise<number> {
  return writeLines(file, 'text,intent,campaign\n"客户说到一半就挂了,投诉,回访\n', 1, bytes, (row) => `第${row}句：我想查询一下我的话费余额,查询话费,回访`);
}

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readImportFile streaming', () => {
  it('imports a ~50 MB JSONL file with heap growth far below the file size', async () => {
    const size = (await stat(path)).size;
    expect(size).toBeGreaterThanOrEqual(TARGET_BYTES);
    const heap = liveHeapMeter();
    let calls = 0;
    let userTexts = 0;
    const summary = await readImportFile(
      path,
      {
        onCall: (rec) => {
          calls += 1;
          userTexts += rec.labels.length;
        },
        onError: () => undefined,
      },
      { onProgress: heap.sample },
    );
    console.log(`streamed ${rowsWritten} rows, ${(size / 1e6).toFixed(1)} MB; peak live heap growth ${(heap.peak / 1e6).toFixed(2)} MB over ${heap.samples} samples`);
    expect(summary).toMatchObject({ rows: rowsWritten, calls: rowsWritten, utterances: rowsWritten, errors: 0 });
    expect(calls).toBe(rowsWritten);
    expect(userTexts).toBe(rowsWritten);
    expect(heap.samples).toBeGreaterThan(5);
    expect(heap.peak).toBeLessThan(size / 10);
  });

  it('reads a ~30 MB CSV with an unclosed quote on line 2 in bounded memory, keeping every other row', async () => {
    const file = join(dir, 'broken.csv');
    const rows = await writeBrokenCsv(file, 30 * 1024 * 1024);
    const size = (await stat(file)).size;
    const heap = liveHeapMeter();
    let calls = 0;
    const errors: { line: number; code: string }[] = [];
    const summary = await readImportFile(
      file,
      { onCall: () => void (calls += 1), onError: (e) => void errors.push({ line: e.line, code: e.code }) },
      { onProgress: heap.sample },
    );
    console.log(`broken CSV: ${rows} rows, ${(size / 1e6).toFixed(1)} MB; peak live heap growth ${(heap.peak / 1e6).toFixed(2)} MB`);
    expect(errors).toEqual([{ line: 2, code: 'unclosed_quote' }]);
    expect(calls).toBe(rows - 1);
    expect(summary.rows).toBe(rows);
    // A few MB of buffers and compiled code, the same for a 90 MB file (4.3 MB measured): nothing grows with the file.
    expect(heap.peak).toBeLessThan(8 * 1024 * 1024);
  });
});
