import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventMap } from '../shared/contract/services';
import { createServiceHost } from '../electron/services/index';
import { apiClient, startPlatformProcess } from '../platform/testPlatform';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const TOKEN = 'bench-token-0123456789';
const MB = 1024 * 1024;

type Progress = EventMap['onDidSyncProgress'];

/**
 * `tsx bench/sync.bench.ts [--calls 100000] [--labels 50000]`: the reference platform runs as its own
 * process; the app's services pull its feed into a new workspace (time, calls/s, RSS growth of this
 * process, sampled every 20 ms) and then send a bulk label through the outbox (labels/s).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '100000' }, labels: { type: 'string', default: '50000' }, page: { type: 'string', default: '1000' } } });
  const totalCalls = Number(values.calls);
  const totalLabels = Number(values.labels);
  const root = await mkdtemp(join(tmpdir(), 'callsift-sync-bench-'));
  const platform = await startPlatformProcess(['--data', join(root, 'platform'), '--token', TOKEN]);
  try {
    const api = apiClient(platform.url, TOKEN);
    console.log(`simulating ${totalCalls} calls on the platform…`);
    for (let left = totalCalls; left > 0; left -= Math.min(left, 50_000)) {
      const res = await api.call('POST', '/projects/demo/simulate', { calls: Math.min(left, 50_000) });
      if (res.status !== 200) throw new Error(`simulate failed: ${res.text}`);
    }

    const host = await createServiceHost({
      dataDir: join(root, 'app-data'),
      workspaceFolder: join(root, 'ws'),
      retrainAfterLabels: 0,
      sync: { pageSize: Number(values.page), pushDelayMs: 3_600_000 },
    });
    await host.services.sync.connect({ url: platform.url, token: TOKEN, project: 'demo' });
    const phases = new Map<string, number>();
    host.on('onDidSyncProgress', (p: Progress) => {
      if (!phases.has(p.phase)) phases.set(p.phase, performance.now());
    });

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    console.log('pulling…');
    const started = performance.now();
    const job = await host.services.sync.syncNow({});
    const end = await host.sync.whenJobEnds(job.jobId);
    const pullSeconds = ((phases.get('push') ?? performance.now()) - (phases.get('calls') ?? started)) / 1000;
    const totalSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (end?.state !== 'done' || end.callsPulled !== totalCalls) throw new Error(`the pull did not finish: ${JSON.stringify(end)}`);

    console.log(`labeling ${totalLabels} utterances and sending them…`);
    const [intent] = (await host.services.intent.listIntents({})).filter((i) => i.status === 'active');
    const page = await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 1000 });
    const ids: string[] = [];
    for (let offset = 0; ids.length < totalLabels; offset += 1000) {
      const items = offset === 0 ? page.items : (await host.services.queue.getPage({ queue: 'unlabeled', offset, limit: 1000 })).items;
      if (items.length === 0) break;
      for (const item of items) if (ids.length < totalLabels) ids.push(item.id);
    }
    await host.services.label.bulkLabel({ utteranceIds: ids, target: { kind: 'intent', intentId: intent!.id } });
    await host.sync.whenOutboxSent();
    const queued = (await host.services.sync.getStatus({})).pendingLabels;
    phases.clear();
    const pushJob = await host.services.sync.syncNow({});
    const pushEnd = await host.sync.whenJobEnds(pushJob.jobId);
    const pushSeconds = ((phases.get('labels') ?? 0) - (phases.get('push') ?? 0)) / 1000;
    if (pushEnd?.state !== 'done' || pushEnd.labelsPushed !== queued) throw new Error(`the push did not finish: ${JSON.stringify(pushEnd)}`);
    await host.close();

    const result = {
      calls_per_s: Math.round(totalCalls / pullSeconds),
      rss_growth_mb: Math.round(((peakRss - rssBefore) / MB) * 10) / 10,
      labels_per_s: Math.round(queued / pushSeconds),
      details: {
        calls: totalCalls,
        page_size: Number(values.page),
        pull_seconds: Math.round(pullSeconds * 100) / 100,
        sync_job_seconds: Math.round(totalSeconds * 100) / 100,
        rss_before_mb: Math.round(rssBefore / MB),
        peak_rss_mb: Math.round(peakRss / MB),
        labels: queued,
        push_seconds: Math.round(pushSeconds * 100) / 100,
        platform: 'reference platform as a child process on 127.0.0.1',
        machine: { cpus: cpus().length, memory_gb: Math.round(totalmem() / 1024 / MB), node: process.version },
        measured_at: new Date().toISOString(),
      },
    };
    await mkdir(RESULTS, { recursive: true });
    await writeFile(join(RESULTS, 'sync.json'), JSON.stringify(result, null, 2) + '\n');
    await writeFile(join(RESULTS, 'sync.md'), renderMarkdown(result));
    console.log(JSON.stringify(result));
  } finally {
    await platform.stop();
    await rm(root, { recursive: true, force: true });
  }
}

function renderMarkdown(r: { calls_per_s: number; rss_growth_mb: number; labels_per_s: number; details: Record<string, unknown> & { machine: { cpus: number; memory_gb: number; node: string } } }): string {
  const d = r.details;
  return `# Sync benchmark

\`tsx bench/sync.bench.ts\` — the reference platform in its own process on 127.0.0.1, the app's services in this
one (${d.machine.cpus} cores, ${d.machine.memory_gb} GB, Node ${d.machine.node}; ${String(d.measured_at)}).

| measure | result | target |
|---|---|---|
| pull ${String(d.calls)} calls (page ${String(d.page_size)}): calls/s | ${r.calls_per_s} (${String(d.pull_seconds)} s) | ≥ 5,000 |
| RSS growth of the app side during the pull | ${r.rss_growth_mb} MB (${String(d.rss_before_mb)} → ${String(d.peak_rss_mb)} MB peak) | < 300 MB |
| label upload through the outbox: labels/s | ${r.labels_per_s} (${String(d.labels)} labels in ${String(d.push_seconds)} s) | — |

The pull time runs from the first feed request to the last page stored and its cursor saved (every page is
checked for seq continuity, written as fsynced shards, then the cursor is saved atomically). RSS includes the
workspace's in-memory columns for the pulled calls, which the app keeps anyway. Label upload: batches of 2,000,
each answered after the platform fsynced its journal, each acknowledged in the fsynced outbox journal.
`;
}

await main();
