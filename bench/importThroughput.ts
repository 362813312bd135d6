import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { once } from 'node:events';
import { createServiceHost } from '../electron/services';
import { generateDemoCalls, DEMO_DEFAULT_SEED } from '../resources/demo/demoGenerator';

/** Writes `rows` utterance rows ({"text","intent","split"}, the datasets' shape) to `path`. */
async function writeRows(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let n = 0;
  let chunk: string[] = [];
  for (const rec of generateDemoCalls({ seed: DEMO_DEFAULT_SEED, calls: Number.MAX_SAFE_INTEGER })) {
    rec.call.turns.forEach((t, i) => {
      if (t.speaker !== 'user' || n >= rows) return;
      const label = rec.labels.find((l) => l.utteranceId.endsWith(`#${i}`));
      const intent = label?.target.kind === 'intent' ? label.target.intentId : undefined;
      chunk.push(JSON.stringify({ text: t.text, ...(intent ? { intent } : {}), split: 'train' }));
      n++;
    });
    if (chunk.length >= 10_000 || n >= rows) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk = [];
    }
    if (n >= rows) break;
  }
  out.end();
  await once(out, 'finish');
}

/** Imports a generated JSONL file of `--rows` rows into an empty workspace and reports rows/s. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, dir: { type: 'string' } } });
  const rows = Number(values.rows);
  const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'callsift-import-')));
  const file = join(dir, `utterances-${rows}.jsonl`);
  if (!(await stat(file).catch(() => null))) await writeRows(file, rows);
  const ws = join(dir, 'import-ws');
  await rm(ws, { recursive: true, force: true });
  const host = await createServiceHost({ dataDir: join(dir, 'data'), workspaceFolder: ws });
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const report = await host.services.transfer.importFile({ path: file });
  const seconds = (performance.now() - t0) / 1000;
  await host.close();
  console.log(
    JSON.stringify({
      rows: report.rows,
      file_mb: (await stat(file)).size / 1024 / 1024,
      seconds,
      rows_per_s: report.rows / seconds,
      errors: report.errors.length,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
      heap_growth_mb: (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024,
    }),
  );
}

void main();
