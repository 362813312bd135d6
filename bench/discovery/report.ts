/** Shapes of bench/results/discovery.json and its Markdown rendering. */
import type { AppFigures } from './app';

export interface ClusterFigures {
  readonly nmi: number;
  readonly ari: number;
  readonly acc: number;
  readonly k: number;
  readonly fit_s: number;
}

/** One seeded run: which quarter was hidden, and both methods' figures on it. */
export interface DatasetRun {
  readonly seed: number;
  readonly texts: number;
  readonly true_k: number;
  readonly threshold: number;
  readonly low_confidence: number;
  readonly ours: ClusterFigures;
  readonly peer?: ClusterFigures;
}

/** Means over the seeded runs (true_k, known_texts, known_intents: of the first run). */
export interface DatasetFigures {
  readonly ours: ClusterFigures;
  readonly peers: { readonly kmeans_true_k?: ClusterFigures };
  readonly true_k: number;
  readonly texts: number;
  readonly known_texts: number;
  readonly known_intents: number;
  readonly low_confidence: number;
  readonly threshold: number;
  readonly runs: readonly DatasetRun[];
}

export interface Meta {
  readonly date: string;
  readonly seed: number;
  readonly seeds: number;
  readonly machine: string;
  readonly cluster_20k_setup: string;
  readonly method: string;
  readonly peer: string;
  readonly options: Readonly<Record<string, number>>;
}

export type DiscoveryResults = Record<string, DatasetFigures | AppFigures | number | Meta | null> & { meta?: Meta; cluster_20k_s?: number; app?: AppFigures };

const f3 = (x: number): string => x.toFixed(3);
const ratio = (a: number, b: number | undefined): string => (b === undefined || b === 0 ? '–' : (a / b).toFixed(2));

/** The results as a Markdown page: a table per dataset with ours/peer ratios, and the targets met or missed. */
export function renderMarkdown(results: DiscoveryResults, datasets: readonly string[]): string {
  const lines: string[] = [
    '# Intent discovery benchmark',
    '',
    'Hide a seeded quarter of the intents, cluster their training utterances (the other three quarters stay labeled and',
    'are used), compare with the true intents. Ours: `discoverClusters` (shared/ml/discovery), which chooses k itself.',
    'Peer: scikit-learn TF-IDF + TruncatedSVD(100) + Normalizer + KMeans given the true k (n_init=10). All metrics are',
    'computed by our TypeScript functions (shared/ml/discovery/clusterMetrics.ts). `npm run bench:discovery` regenerates it.',
    '',
    '| dataset | texts | true k | ours k (mean) | NMI ours | NMI peer | ratio | ARI ours | ARI peer | ACC ours | ACC peer | fit s ours | fit s peer |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const targets: string[] = [];
  for (const name of datasets) {
    const d = results[name];
    if (d === undefined || d === null || typeof d !== 'object' || !('ours' in d)) continue;
    const o = d.ours;
    const p = d.peers.kmeans_true_k;
    lines.push(
      `| ${name} | ${d.texts} | ${d.true_k} | ${o.k.toFixed(1)} | ${f3(o.nmi)} | ${p ? f3(p.nmi) : '–'} | ${ratio(o.nmi, p?.nmi)} | ${f3(o.ari)} | ${p ? f3(p.ari) : '–'} | ${f3(o.acc)} | ${p ? f3(p.acc) : '–'} | ${o.fit_s.toFixed(2)} | ${p ? p.fit_s.toFixed(2) : '–'} |`,
    );
    if (p) targets.push(`- ${name}: NMI ≥ KMeans peer with true k (${f3(o.nmi)} vs ${f3(p.nmi)}): **${o.nmi >= p.nmi ? 'met' : 'missed'}**`);
    if (name === 'clinc150') targets.push(`- clinc150: NMI ≥ 0.85 (${f3(o.nmi)}): **${o.nmi >= 0.85 ? 'met' : 'missed'}**`);
  }
  const seconds = results.cluster_20k_s;
  if (typeof seconds === 'number') targets.push(`- clustering 20k utterances ≤ 10 s (${seconds.toFixed(2)} s): **${seconds <= 10 ? 'met' : 'missed'}**`);
  lines.push('', 'Per run (seed: NMI ours / peer):', '');
  for (const name of datasets) {
    const d = results[name];
    if (d === undefined || d === null || typeof d !== 'object' || !('runs' in d)) continue;
    lines.push(`- ${name}: ${d.runs.map((r) => `${r.seed}: ${f3(r.ours.nmi)} / ${r.peer ? f3(r.peer.nmi) : '–'} (k ${r.ours.k} vs ${r.true_k})`).join(' · ')}`);
  }
  const app = results.app;
  if (app) {
    targets.push(`- bulk actions on clusters of thousands stay fast: accept ${app.accept_size.toLocaleString('en')} members in ${Math.round(app.accept_ms)} ms, merge ${app.merge_size.toLocaleString('en')} in ${Math.round(app.merge_ms)} ms (≤ 1 s): **${app.accept_ms <= 1000 && app.merge_ms <= 1000 && app.merge_size >= 5000 ? 'met' : 'missed'}**`);
    lines.push(
      '',
      '## Through the app',
      '',
      `${app.setup}.`,
      '',
      '| step | figure |',
      '|---|---|',
      `| workspace | ${app.utterances.toLocaleString('en')} utterances, ${app.uncovered.toLocaleString('en')} uncovered, ${app.labeled.toLocaleString('en')} labeled, ${app.known_intents} known intents |`,
      `| discovery.run end to end (worker start, clustering, naming, saving) | ${app.run_s.toFixed(2)} s (clustering in the worker ${app.worker_s.toFixed(2)} s), ${app.clusters} clusters |`,
      `| listClusters | p50 ${app.list_clusters_p50_ms.toFixed(1)} ms, max ${app.list_clusters_max_ms.toFixed(1)} ms |`,
      `| getMembers (first 100) | ${app.members_page_ms.toFixed(1)} ms |`,
      `| accept the largest cluster (${app.accept_size.toLocaleString('en')} members) / undo | ${app.accept_ms.toFixed(0)} ms / ${app.accept_undo_ms.toFixed(0)} ms |`,
      `| merge it into an existing intent (${app.merge_size.toLocaleString('en')} members) / undo | ${app.merge_ms.toFixed(0)} ms / ${app.merge_undo_ms.toFixed(0)} ms |`,
      `| open the workspace / peak RSS of the bench process | ${app.open_s.toFixed(2)} s / ${app.peak_rss_mb} MB |`,
      '',
      'Timings depend on what else ran on the machine: see the load average under Setup.',
    );
  }
  lines.push('', '## Targets', '', ...targets);
  const meta = results.meta;
  if (meta) {
    lines.push('', '## Setup', '', `- ${meta.date}, seeds ${meta.seed}…${meta.seed + meta.seeds - 1} (each hides a different quarter; figures are means), ${meta.machine}`, `- 20k timing: ${meta.cluster_20k_setup}`, `- method: ${meta.method}`, `- peer: ${meta.peer}`);
    lines.push(`- options: ${Object.entries(meta.options).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
