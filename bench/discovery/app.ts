/**
 * Discovery through the app: a real workspace of ~100k utterances in bench/tmp (20k of them uncovered, the known
 * intents labeled), the service host with its discovery worker, and the timings a team lead feels: the clustering run
 * end to end, listing the clusters, accepting the largest cluster as an intent and merging a cluster of thousands into
 * an existing intent, each with its undo.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createServiceHost } from '../../electron/services/index';
import { makeTestIntents } from '../../electron/services/store/testCalls';
import { type LabelChange, WorkspaceStore } from '../../electron/services/store/workspaceStore';
import type { Call } from '../../shared/domain/types';
import { createRng, type Rng } from '../../shared/ml/random';
import { readRows, type Row, splitRows } from '../model/data';

/** What bench/results/discovery.json keeps under `app`. */
export interface AppFigures {
  readonly utterances: number;
  readonly uncovered: number;
  readonly labeled: number;
  readonly known_intents: number;
  readonly build_s: number;
  readonly open_s: number;
  /** discovery.run until the clusters are saved (worker start, clustering, naming, saving). */
  readonly run_s: number;
  /** The clustering inside the worker, as the run reports it. */
  readonly worker_s: number;
  readonly clusters: number;
  readonly list_clusters_p50_ms: number;
  readonly list_clusters_max_ms: number;
  readonly members_page_ms: number;
  readonly accept_size: number;
  readonly accept_ms: number;
  readonly accept_undo_ms: number;
  readonly merge_size: number;
  readonly merge_ms: number;
  readonly merge_undo_ms: number;
  readonly peak_rss_mb: number;
  readonly setup: string;
}

const TOTAL = 100_000;
const UNCOVERED = 20_000;
/** Shares of the uncovered pool taken by two dominant new intents (a bot's blind spots are rarely spread evenly). */
const DOMINANT = [0.4, 0.3];
const OTHER_NEW_INTENTS = 40;

interface Entry {
  readonly text: string;
  readonly predicted: string | null;
  readonly labeled: boolean;
}

const pick = <T>(items: readonly T[], rng: Rng): T => items[Math.floor(rng.next() * items.length)]!;

/** Known intents from BANKING77 (labeled train set + unlabeled covered traffic), uncovered traffic from CLINC150 intents. */
function entries(datasetsDir: string, rng: Rng): { entries: Entry[]; intents: string[] } {
  const banking = readRows(`${datasetsDir}/banking77/banking77.jsonl`);
  const train = splitRows(banking).train;
  const intents = [...new Set(train.map((r) => r.intent))].sort();
  const out: Entry[] = train.map((r) => ({ text: r.text, predicted: r.intent, labeled: true }));
  while (out.length < TOTAL - UNCOVERED) {
    const r = pick(banking, rng);
    out.push({ text: r.text, predicted: r.intent, labeled: false });
  }
  const clinc = readRows(`${datasetsDir}/clinc150/clinc150.jsonl`).filter((r) => r.intent !== 'oos');
  const byIntent = new Map<string, Row[]>();
  for (const r of clinc) byIntent.set(r.intent, [...(byIntent.get(r.intent) ?? []), r]);
  const chosen = rng.shuffle([...byIntent.keys()].sort()).slice(0, DOMINANT.length + OTHER_NEW_INTENTS);
  const dominantCount = DOMINANT.map((share) => Math.round(share * UNCOVERED));
  const rest = UNCOVERED - dominantCount.reduce((a, b) => a + b, 0);
  chosen.forEach((intent, i) => {
    const rows = byIntent.get(intent)!;
    const count = i < DOMINANT.length ? dominantCount[i]! : Math.floor(rest / OTHER_NEW_INTENTS) + (i - DOMINANT.length < rest % OTHER_NEW_INTENTS ? 1 : 0);
    for (let c = 0; c < count; c++) out.push({ text: pick(rows, rng).text, predicted: null, labeled: false });
  });
  return { entries: rng.shuffle(out), intents };
}

/** Writes the workspace: two user turns per call; labeled entries get their intent as an imported label. */
async function buildWorkspace(folder: string, datasetsDir: string): Promise<{ utterances: number; labeled: number; intents: number }> {
  const rng = createRng(20261124);
  const { entries: all, intents } = entries(datasetsDir, rng);
  await rm(folder, { recursive: true, force: true });
  const store = await WorkspaceStore.open(folder, () => ({
    formatVersion: 1,
    meta: { name: 'discovery bench', languages: ['en'], annotators: [], createdAt: Date.now() },
    intents: makeTestIntents(intents),
  }));
  const calls: Call[] = [];
  const labels: { id: string; intent: string }[] = [];
  for (let i = 0; i < all.length; i += 2) {
    const callId = `b${i / 2}`;
    const turns: Call['turns'][number][] = [];
    for (let t = 0; t < 2 && i + t < all.length; t++) {
      const e = all[i + t]!;
      turns.push({ speaker: 'bot', text: 'How can I help you today?' });
      turns.push({ speaker: 'user', text: e.text, predictedIntent: e.predicted, predictedConfidence: e.predicted ? 0.9 : 0.2 });
      if (e.labeled) labels.push({ id: `${callId}#${2 * t + 1}`, intent: e.predicted! });
    }
    calls.push({ id: callId, startedAt: 1_700_000_000_000 + i * 1000, campaign: 'bench', turns });
  }
  for (let c = 0; c < calls.length; c += 5000) await store.calls.appendCalls(calls.slice(c, c + 5000));
  store.labels.resize(store.calls.utteranceCount);
  const changes: LabelChange[] = [];
  for (const l of labels) {
    const u = store.calls.findUtterance(l.id);
    if (u !== undefined) changes.push({ utterance: u, target: { kind: 'intent', intentId: l.intent } });
  }
  if (changes.length !== labels.length) throw new Error(`only ${changes.length} of ${labels.length} labels found their utterance`);
  await store.applyLabelChanges(changes, { annotator: 'bench', source: 'import', actionId: 'bench' });
  const figures = { utterances: store.calls.utteranceCount, labeled: store.labels.labeledCount, intents: intents.length };
  await store.close();
  return figures;
}

const msSince = (start: number): number => performance.now() - start;

/** Builds the workspace in `tmpDir`, runs the discovery flow through the service host, removes the workspace again. */
export async function runAppBench(tmpDir: string, datasetsDir: string): Promise<AppFigures> {
  const dataDir = join(tmpDir, 'discovery-app');
  const folder = join(dataDir, 'ws');
  let start = performance.now();
  const built = await buildWorkspace(folder, datasetsDir);
  const buildSeconds = msSince(start) / 1000;
  let peak = process.memoryUsage().rss;
  const sampleRss = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  start = performance.now();
  const host = await createServiceHost({ dataDir, workspaceFolder: folder, retrainAfterLabels: 0 });
  const openSeconds = msSince(start) / 1000;
  try {
    const discovery = host.services.discovery;
    const pool = (await discovery.getStatus({})).pool;
    start = performance.now();
    await discovery.run({});
    await host.discovery.whenIdle();
    const runSeconds = msSince(start) / 1000;
    const status = await discovery.getStatus({});
    if (!status.run) throw new Error('the clustering run saved no clusters');
    const listTimes: number[] = [];
    let clusters = await discovery.listClusters({ sort: 'size', includeClosed: false });
    for (let r = 0; r < 5; r++) {
      start = performance.now();
      clusters = await discovery.listClusters({ sort: r % 2 ? 'cohesion' : 'size', includeClosed: false });
      listTimes.push(msSince(start));
    }
    clusters = [...clusters].sort((a, b) => b.size - a.size);
    const largest = clusters[0]!;
    start = performance.now();
    await discovery.getMembers({ clusterId: largest.id, offset: 0, limit: 100 });
    const membersMs = msSince(start);

    start = performance.now();
    await discovery.acceptCluster({ clusterId: largest.id, name: 'new intent from the bench', description: '' });
    const acceptMs = msSince(start);
    start = performance.now();
    await discovery.undo({});
    const acceptUndoMs = msSince(start);

    const mergeInto = (await host.services.intent.listIntents({})).find((i) => i.status === 'active')!.id;
    start = performance.now();
    await discovery.mergeCluster({ clusterId: largest.id, intentId: mergeInto });
    const mergeMs = msSince(start);
    start = performance.now();
    await discovery.undo({});
    const mergeUndoMs = msSince(start);
    listTimes.sort((a, b) => a - b);
    return {
      utterances: built.utterances,
      uncovered: pool,
      labeled: built.labeled,
      known_intents: built.intents,
      build_s: buildSeconds,
      open_s: openSeconds,
      run_s: runSeconds,
      worker_s: status.run.seconds,
      clusters: status.run.clusters,
      list_clusters_p50_ms: listTimes[2]!,
      list_clusters_max_ms: listTimes[4]!,
      members_page_ms: membersMs,
      accept_size: largest.size,
      accept_ms: acceptMs,
      accept_undo_ms: acceptUndoMs,
      merge_size: largest.size,
      merge_ms: mergeMs,
      merge_undo_ms: mergeUndoMs,
      peak_rss_mb: Math.round(peak / 2 ** 20),
      setup:
        `${built.utterances.toLocaleString('en')} utterances in ${Math.ceil(built.utterances / 2).toLocaleString('en')} calls; known: BANKING77 (${built.intents} intents, ` +
        `training set labeled, the rest of the covered traffic unlabeled with the platform's intent); uncovered: ${UNCOVERED.toLocaleString('en')} CLINC150 utterances ` +
        `of ${DOMINANT.length + OTHER_NEW_INTENTS} intents (two take ${DOMINANT.map((s) => `${s * 100}%`).join(' and ')}), sampled with repetition; ` +
        'service host with the discovery worker (tsx), accept = the largest cluster as a new intent, then undo; merge = the same cluster into an existing intent, then undo',
    };
  } finally {
    clearInterval(sampleRss);
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
