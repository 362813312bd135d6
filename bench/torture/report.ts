import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** bench/results/torture.json: the four must-be-zero counters first, then what the run did. */
export interface TortureResult {
  readonly mode: 'quick' | 'full';
  readonly date: string;
  readonly seed: number;
  /** SIGKILLs of the server process. */
  readonly kills: number;
  /** Requests that change labels or the catalogue (label, bulk label, undo, intents, clusters, import) answered ok. */
  readonly acknowledged: number;
  /** Utterances whose label after a restart was not one the acknowledged operations allow. */
  readonly lost: number;
  readonly catalogue_mismatches: number;
  /** Acknowledged (or journaled) label changes the platform lacks after the final sync. */
  readonly platform_missing: number;
  /** Label changes the platform holds more than once. */
  readonly platform_duplicates: number;
  readonly cluster_mismatches: number;
  /** After the final sync: calls stored twice, or other than the feed and the imports brought. */
  readonly call_mismatches: number;
  /** Restarts that failed (the server did not come up, or reading it back failed). */
  readonly start_failures: number;
  readonly duration_s: number;
  /** What went wrong, in words (at most 40). */
  readonly problems: readonly string[];
  /** Requests the live server refused (a refusal while it runs points at the harness or a bug). */
  readonly refusals: readonly string[];
  readonly [detail: string]: unknown;
}

/** True when anything acknowledged was lost, doubled or not found, or a restart failed. */
export function failed(r: TortureResult): boolean {
  return r.lost + r.catalogue_mismatches + r.platform_missing + r.platform_duplicates + r.cluster_mismatches + r.call_mismatches + r.start_failures > 0;
}

function renderMarkdown(r: TortureResult): string {
  const rows: [string, unknown][] = [
    ['mode', r.mode],
    ['kills (SIGKILL)', r.kills],
    ['extra kills of a starting server (before it served)', `${String(r.startup_kills)} (${String(r.startup_kills_before_serving)})`],
    ['acknowledged writes (label, undo, intent, cluster, import)', r.acknowledged],
    ['acknowledged label operations checked', r.acknowledged_label_ops],
    ['requests cut by a kill (unknown)', r.unknown_requests],
    ['**lost**', r.lost],
    ['**catalogue mismatches**', r.catalogue_mismatches],
    ['**platform missing**', r.platform_missing],
    ['**platform duplicates**', r.platform_duplicates],
    ['cluster mismatches', r.cluster_mismatches],
    ['call mismatches (after the final sync)', r.call_mismatches],
    ['failed restarts', r.start_failures],
    ['imports (cut by a kill)', `${String(r.imports)} (${String(r.imports_cut_by_kill)})`],
    ['intents created / merged, bulk labels undone', `${String(r.intents_created)} / ${String(r.intent_merges)}, ${String(r.undos)}`],
    ['clusters accepted / merged, discovery runs', `${String(r.accepts)} / ${String(r.cluster_merges)}, ${String(r.discovery_runs)}`],
    ['syncs started, calls simulated', `${String(r.syncs)}, ${String(r.calls_simulated)}`],
    ['journal segments (compactions), rounds with a compaction', `${String(r.journal_segments)}, ${String(r.rounds_with_compaction)}`],
    ['journal changes sent / platform labels', `${String(r.journal_changes_pushable)} / ${String(r.platform_labels)}`],
    ['recovery notices at restarts, by file', `${String(r.recovery_notices)} ${JSON.stringify(r.recovery_by_file)}`],
    ['curator action at the kill', JSON.stringify(r.killed_during)],
    ['duration', `${r.duration_s} s`],
  ];
  return [
    `# Crash torture (${r.mode}, ${r.date.slice(0, 10)}, seed ${r.seed})`,
    '',
    '`npm run torture` kills the browser-mode server with SIGKILL at random moments while 4 clients label, a curator',
    'imports, creates and merges intents and accepts or merges discovered clusters, and the workspace syncs with the',
    'reference platform. After every restart every acknowledged label and intent change must be there; after a final',
    'sync the platform must hold every label change exactly once.',
    '',
    'A request counts as acknowledged when its ok envelope arrived. A request in flight at the kill is unknown: it may or',
    'may not have landed, so its value is accepted and it rules nothing out; an acknowledged value may only be replaced',
    'by a request that overlapped it or came later (`bench/torture/checker.ts`). Each restart\'s state is the baseline of',
    'the next round. The platform check reads the label journal once the server has stopped: every change the outbox',
    'sends must be on the platform under its id `<linkId>-<seq>`, and none twice.',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${String(v)} |`),
    '',
    ...(Array.isArray(r.recovery_samples) && r.recovery_samples.length > 0
      ? ['Recovery notices besides taking over the dead process\'s lock (first 12):', '', ...(r.recovery_samples as string[]).map((m) => `- ${m}`), '']
      : []),
    failed(r) ? `**FAILED**:\n\n${r.problems.map((p) => `- ${p}`).join('\n')}\n` : 'Nothing acknowledged was lost or doubled.',
    '',
  ].join('\n');
}

/** Writes torture.json and torture.md into `dir`. */
export async function writeReport(dir: string, r: TortureResult): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'torture.json'), JSON.stringify(r, null, 2) + '\n');
  await writeFile(join(dir, 'torture.md'), renderMarkdown(r));
}
