import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServiceHost } from '../electron/services';

/**
 * In a fresh process: opens a workspace through the services (time, peak RSS), then labels
 * `--labels` utterances one after another and reports the durable-persist latency percentiles.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workspace: { type: 'string' }, labels: { type: 'string', default: '1000' } } });
  const t0 = performance.now();
  const host = await createServiceHost({ dataDir: await mkdtemp(join(tmpdir(), 'callsift-bench-')), workspaceFolder: values.workspace! });
  const info = await host.services.workspace.getInfo({});
  const openS = (performance.now() - t0) / 1000;
  const peakAfterOpenMb = process.resourceUsage().maxRSS / 1024;
  const intents = (await host.services.intent.listIntents({})).filter((i) => i.status === 'active');
  const page = await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: Number(values.labels) });
  const latencies: number[] = [];
  for (const [i, item] of page.items.entries()) {
    const start = performance.now();
    await host.services.label.setLabel({ utteranceId: item.id, target: { kind: 'intent', intentId: intents[i % intents.length]!.id }, source: 'manual' });
    latencies.push(performance.now() - start);
  }
  const nextStart = performance.now();
  await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 20 });
  const pageMs = performance.now() - nextStart;
  await host.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log(
    JSON.stringify({
      utterances: info.utterances,
      labeled: info.labeled,
      open_s: openS,
      peak_rss_mb: Math.max(peakAfterOpenMb, process.resourceUsage().maxRSS / 1024),
      persist_p50_ms: pct(0.5),
      persist_p99_ms: pct(0.99),
      queue_page_ms: pageMs,
    }),
  );
}

void main();
