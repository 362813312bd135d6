import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

/**
 * The peer for label persistence: plain lowdb, one JSON document of `--labels` labels rewritten on every
 * label (what lowdb does by itself). Reports the per-write latency over `--writes` writes.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { labels: { type: 'string' }, writes: { type: 'string', default: '5' } } });
  const n = Number(values.labels);
  const dir = await mkdtemp(join(tmpdir(), 'callsift-naive-'));
  type Doc = { labels: Record<string, { intent: string; annotator: string; at: number }> };
  const db = new Low<Doc>(new JSONFile<Doc>(join(dir, 'labels.json')), { labels: {} });
  for (let i = 0; i < n; i++) db.data.labels[`call-${String(i).padStart(7, '0')}#1`] = { intent: `intent_${i % 30}`, annotator: 'demo-seed', at: 1_795_000_000_000 + i };
  await db.write();
  const latencies: number[] = [];
  for (let w = 0; w < Number(values.writes); w++) {
    const start = performance.now();
    db.data.labels[`call-${String(w).padStart(7, '0')}#1`] = { intent: 'confirm', annotator: 'bench', at: Date.now() };
    await db.write();
    latencies.push(performance.now() - start);
  }
  await rm(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({ labels: n, write_p50_ms: latencies[Math.floor(latencies.length / 2)] }));
}

void main();
