import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallSummary, ClusterSummary, DiscoveryStatus, ExportContent, IntentWithCounts, Page, WorkspaceInfo } from '../../shared/contract/dto';
import type { Envelope } from '../../shared/contract/errors';
import type { LabelEvent, LabelSource } from '../../shared/domain/types';
import type { RunningServer } from '../../electron/server/testServer';
import { toLabelEvent } from '../../electron/services/store/labelCodec';
import { WorkspaceStore } from '../../electron/services/store/workspaceStore';
import type { ApiClient } from '../../platform/testPlatform';
import type { IntentView, JournalChange, LabelOp, LabelValue, PlatformLabel } from './checker';

/** What a restarted server shows: every label, the catalogue, every cluster (closed ones too). */
export interface Observed {
  readonly info: WorkspaceInfo;
  readonly labels: ReadonlyMap<string, LabelValue>;
  readonly intents: readonly IntentView[];
  readonly clusters: readonly ClusterSummary[];
  /** When the clustering the clusters belong to was made (cluster ids are reused by the next clustering). */
  readonly clusteringAt: number | null;
}

/** The value of an ok envelope; anything else is a failure of the run. */
export function valueOf<T>(method: string, env: Envelope<T>): T {
  if (!env.ok) throw new Error(`${method} failed: ${env.error.code}: ${env.error.message}`);
  return env.value;
}

async function read<T>(server: RunningServer, method: string, arg: unknown): Promise<T> {
  return valueOf(method, await server.call<T>(method, arg));
}

/** Reads back the workspace through the contract: labels from the JSONL export, intents, clusters. */
export async function observeWorkspace(server: RunningServer): Promise<Observed> {
  const info = await read<WorkspaceInfo>(server, 'workspace.getInfo', {});
  const exported = await read<ExportContent>(server, 'transfer.exportContent', { format: 'jsonl' });
  const labels = new Map<string, LabelValue>();
  for (const line of exported.content.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { utteranceId: string; intent: string; intentId: string | null };
    labels.set(row.utteranceId, row.intentId !== null ? `i:${row.intentId}` : row.intent === 'none_of_these' ? 'none' : 'bad');
  }
  if (labels.size !== info.labeled) throw new Error(`the export holds ${labels.size} labels, the workspace says ${info.labeled}`);
  const intents = (await read<IntentWithCounts[]>(server, 'intent.listIntents', {})).map((i) => ({ id: i.id, name: i.name, status: i.status, ...(i.mergedInto ? { mergedInto: i.mergedInto } : {}) }));
  const clusters = await read<ClusterSummary[]>(server, 'discovery.listClusters', { includeClosed: true });
  const discovery = await read<DiscoveryStatus>(server, 'discovery.getStatus', {});
  return { info, labels, intents, clusters, clusteringAt: discovery.run?.createdAt ?? null };
}

/**
 * Label ops name an intent created by a request nobody saw answered as `name:<name>`: the id is the intent of that
 * name found now (else the placeholder stays, matching nothing).
 */
export function resolveIntentNames(ops: readonly LabelOp[], intents: readonly IntentView[]): LabelOp[] {
  const byName = new Map(intents.map((i) => [i.name.toLowerCase(), i.id]));
  return ops.map((op) => {
    if (op.value === null || !op.value.startsWith('name:')) return op;
    const id = byName.get(op.value.slice(5).toLowerCase());
    return id !== undefined ? { ...op, value: `i:${id}` } : op;
  });
}

/** Label sources the outbox sends (docs/sync.md). */
const PUSHED: ReadonlySet<LabelSource> = new Set<LabelSource>(['manual', 'bulk', 'suggestion', 'merge', 'undo', 'discovery']);

/**
 * The label journal's changes the platform must hold, read with the store itself once the server has stopped:
 * those a person made whose new label is an intent or "none of these", on utterances `known` to the platform.
 */
export async function readPushableChanges(folder: string, known: (utteranceId: string) => boolean): Promise<JournalChange[]> {
  const store = await WorkspaceStore.open(folder);
  const events: LabelEvent[] = [];
  try {
    await store.readLabelChangesSince(0, (e) => events.push(toLabelEvent(e)));
  } finally {
    await store.close();
  }
  const out: JournalChange[] = [];
  for (const e of events) {
    if (!PUSHED.has(e.source) || e.after === null || e.after.kind === 'badTranscript' || !known(e.utteranceId)) continue;
    out.push({ seq: e.seq, utteranceId: e.utteranceId, intent: e.after.kind === 'intent' ? e.after.intentId : null, at: e.at });
  }
  return out;
}

/** Every journal change of one utterance (all sources), in words, for a report that must explain a mismatch. */
export async function describeJournalOf(folder: string, utteranceId: string): Promise<string> {
  const store = await WorkspaceStore.open(folder);
  const out: string[] = [];
  try {
    await store.readLabelChangesSince(0, (e) => {
      if (e.u !== utteranceId) return;
      const ev = toLabelEvent(e);
      out.push(`#${ev.seq} ${ev.source} ${JSON.stringify(ev.after)} at ${ev.at}`);
    });
  } finally {
    await store.close();
  }
  return out.join('; ') || 'no journal change';
}

/** The link id the outbox builds label ids from (`<linkId>-<journal seq>`). */
export async function readLinkId(folder: string): Promise<string> {
  const state = JSON.parse(await readFile(join(folder, 'sync', 'state.json'), 'utf8')) as { linkId?: string };
  if (!state.linkId) throw new Error('the workspace has no link id in sync/state.json');
  return state.linkId;
}

/** Every label the platform stores for `project`, in its journal order. */
export async function readPlatformLabels(api: ApiClient, project: string): Promise<PlatformLabel[]> {
  const out: PlatformLabel[] = [];
  let since = 0;
  for (;;) {
    const res = await api.call<{ labels: PlatformLabel[]; nextSince: number; hasMore: boolean }>('GET', `/projects/${project}/labels?since=${since}&limit=10000`);
    if (res.status !== 200) throw new Error(`GET labels answered ${res.status}: ${res.text.slice(0, 200)}`);
    out.push(...res.json.labels);
    if (!res.json.hasMore) return out;
    since = res.json.nextSince;
  }
}

/** Segments of the label journal: each one after the first was started by a compaction. */
export async function countJournalSegments(folder: string): Promise<number> {
  const names = await readdir(join(folder, 'labels'));
  return names.filter((n) => /^journal-\d+\.jsonl$/.test(n)).length;
}

/** Every call id of the workspace, as call.searchCalls lists them. */
export async function listCallIds(server: RunningServer): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await read<Page<CallSummary>>(server, 'call.searchCalls', { offset, limit: 1000 });
    ids.push(...page.items.map((c) => c.id));
    if (offset + 1000 >= page.total) return ids;
  }
}

/** How many calls the platform's feed of `project` holds. */
export async function readPlatformCalls(api: ApiClient, project: string): Promise<number> {
  const res = await api.call<{ projects: { name: string; calls: number }[] }>('GET', '/projects');
  const found = res.json?.projects?.find((p) => p.name === project);
  if (res.status !== 200 || !found) throw new Error(`GET /projects answered ${res.status}: ${res.text.slice(0, 200)}`);
  return found.calls;
}
