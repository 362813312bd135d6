import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createServiceHost } from '../electron/services';

/**
 * In a fresh process, on a copy of `--workspace`: labels one utterance after another (each awaited, as one annotator
 * does) until an automatic retrain has started (after `--retrain-after` labels), trained, re-ranked the queues and
 * announced the new version; every tenth label is followed by a `getPage` of the Unlabeled queue. Reports the label
 * acknowledgement (setLabel resolved: journal fsynced) and getPage latencies issued between the retrain's start and
 * its new rankings, and the service host's longest event-loop stall over the same span; and, as a control on the
 * same machine at the same time, the same figures for the labels before the retrain (the first 100 left out).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workspace: { type: 'string' }, 'retrain-after': { type: 'string', default: '2000' }, 'timeout-s': { type: 'string', default: '1800' }, trace: { type: 'boolean', default: false } } });
  const scratch = await mkdtemp(join(tmpdir(), 'callsift-retrain-'));
  const folder = join(scratch, 'workspace');
  await cp(values.workspace!, folder, { recursive: true });
  const host = await createServiceHost({ dataDir: join(scratch, 'data'), workspaceFolder: folder, retrainAfterLabels: Number(values['retrain-after']) });
  try {
    const info = await host.services.workspace.getInfo({});
    const intents = (await host.services.intent.listIntents({})).filter((i) => i.status === 'active');
    let trainStart: number | null = null;
    let trainDone: number | null = null;
    let modelAt: number | null = null;
    let failure: string | null = null;
    // With --trace, stalls over 100 ms go to stderr with the training phase they fell in, to find what holds the thread.
    let phase = 'before';
    let beat = performance.now();
    const heartbeat = setInterval(() => {
      const now = performance.now();
      if (values.trace && now - beat > 100) console.error(`stall ${(now - beat).toFixed(0)} ms during ${phase} at ${trainStart === null ? '-' : ((now - trainStart) / 1000).toFixed(1)} s`);
      beat = now;
    }, 5);
    host.on('onDidTrainProgress', (p) => {
      phase = `${p.state}:${p.phase}`;
      if (p.state === 'running' && trainStart === null) trainStart = performance.now();
      if (p.state === 'done') trainDone = performance.now();
      if (p.state === 'failed' || p.state === 'cancelled') failure = p.message ?? p.state;
    });
    host.on('onDidModelChange', () => {
      if (trainStart !== null) modelAt ??= performance.now();
    });
    const acks: { at: number; ms: number }[] = [];
    const pages: { at: number; ms: number }[] = [];
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const deadline = performance.now() + Number(values['timeout-s']) * 1000;
    let items: readonly { id: string }[] = [];
    let next = 0;
    let n = 0;
    let watching = false;
    while (modelAt === null) {
      if (failure !== null) throw new Error(`the retrain failed: ${failure}`);
      if (performance.now() > deadline) throw new Error('the retrain did not finish in time');
      if (next >= items.length) {
        items = (await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 2000 })).items;
        next = 0;
      }
      if (trainStart !== null && !watching) watching = delay.enable();
      const start = performance.now();
      await host.services.label.setLabel({ utteranceId: items[next++]!.id, target: { kind: 'intent', intentId: intents[n % intents.length]!.id }, source: 'manual' });
      acks.push({ at: start, ms: performance.now() - start });
      if (++n % 10 === 0) {
        const pageStart = performance.now();
        await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 20 });
        pages.push({ at: pageStart, ms: performance.now() - pageStart });
      }
    }
    delay.disable();
    clearInterval(heartbeat);
    const within = (xs: { at: number; ms: number }[]) => xs.filter((x) => x.at >= trainStart! && x.at <= modelAt!).map((x) => x.ms).sort((a, b) => a - b);
    const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    const a = within(acks);
    const g = within(pages);
    const before = (xs: { at: number; ms: number }[]) => xs.slice(xs.length > 200 ? 100 : 0).filter((x) => x.at < trainStart!).map((x) => x.ms).sort((p, q) => p - q);
    const ca = before(acks);
    const cg = before(pages.slice(10));
    console.log(
      JSON.stringify({
        utterances: info.utterances,
        labeled_at_start: info.labeled,
        retrain_s: (trainDone! - trainStart!) / 1000,
        retrain_to_rankings_s: (modelAt! - trainStart!) / 1000,
        labels_during_retrain: a.length,
        label_ack_p50_ms: pct(a, 0.5),
        label_ack_p99_ms: pct(a, 0.99),
        label_ack_max_ms: a[a.length - 1],
        get_page_p50_ms: pct(g, 0.5),
        get_page_p99_ms: pct(g, 0.99),
        get_page_max_ms: g[g.length - 1],
        event_loop_max_stall_ms: delay.max / 1e6,
        event_loop_p99_ms: delay.percentile(99) / 1e6,
        control_labels: ca.length,
        control_label_ack_p50_ms: pct(ca, 0.5),
        control_label_ack_p99_ms: pct(ca, 0.99),
        control_label_ack_max_ms: ca[ca.length - 1],
        control_get_page_p99_ms: pct(cg, 0.99),
      }),
    );
  } finally {
    await host.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

void main();
