import { sameTarget, type LabelEvent, type LabelSource, type LabelTarget } from '../../../shared/domain/types';
import * as wire from '../../../shared/platformApi/schemas';
import type { WireStoredLabel } from '../../../shared/platformApi/schemas';
import type { LabelChange, WorkspaceStore } from '../store/workspaceStore';
import type { ConflictBook, TheirLabel } from './conflictBook';
import type { Outbox, QueuedLabel } from './outbox';
import type { PlatformClient } from './platformClient';
import { SyncCancelled, SyncError } from './syncError';
import type { SyncStateFile } from './syncState';
import { readWire } from './wireReply';

/** Label changes a person made here; 'import' (files and the platform's own labels) and 'review' are not sent. */
const PUSHED_SOURCES: ReadonlySet<LabelSource> = new Set<LabelSource>(['manual', 'bulk', 'suggestion', 'merge', 'undo', 'discovery']);

/** The platform's intent for a label target: an id, null for "none of these"; undefined when it has no equivalent. */
export function platformIntentOf(target: LabelTarget | null): string | null | undefined {
  if (target === null || target.kind === 'badTranscript') return undefined;
  return target.kind === 'intent' ? target.intentId : null;
}

/** A platform intent (id or null) as a label target. */
export function targetOfPlatformIntent(intent: string | null): LabelTarget {
  return intent === null ? { kind: 'none' } : { kind: 'intent', intentId: intent };
}

/**
 * The outbox entries for durable label events: those a person made (manual, bulk, suggestion, merge, undo, discovery)
 * that the platform can hold (an intent or "none of these"; clearing a label and "bad transcript" have no
 * platform equivalent). The id, the platform's idempotency key, is `<linkId>-<journal seq>`: the same change always
 * gets the same id, so queuing it again (journal replay after a crash) never makes a second label on the platform.
 */
export function outboxLabelsOf(events: readonly LabelEvent[], linkId: string): QueuedLabel[] {
  const out: QueuedLabel[] = [];
  for (const e of events) {
    if (!PUSHED_SOURCES.has(e.source)) continue;
    const intent = platformIntentOf(e.after);
    if (intent === undefined) continue;
    out.push({ seq: e.seq, label: { id: `${linkId}-${e.seq}`, utteranceId: e.utteranceId, intent, annotator: e.annotator, labeledAt: e.at } });
  }
  return out;
}

/** A StoredLabel of the platform as a conflict-book entry. */
function theirLabel(l: WireStoredLabel): TheirLabel {
  return { id: l.id, utteranceId: l.utteranceId, intent: l.intent, annotator: l.annotator, labeledAt: l.labeledAt };
}

export interface PushContext {
  readonly client: PlatformClient;
  readonly project: string;
  readonly outbox: Outbox;
  readonly conflicts: ConflictBook;
  readonly state: SyncStateFile;
  readonly batchSize: number;
  readonly signal?: AbortSignal;
  readonly onBatch?: (delivered: number) => void;
}

/**
 * Sends the outbox in batches until it is empty. Every label the platform answered for (accepted, duplicate,
 * conflict, rejected) is acknowledged in the outbox after the answer; disagreements it reports are recorded
 * as conflicts. A failed request leaves the batch queued (its ids make resending safe). Returns the number delivered.
 */
export async function pushOutbox(ctx: PushContext): Promise<number> {
  const path = `/projects/${encodeURIComponent(ctx.project)}/labels`;
  const source = `${ctx.client.baseUrl}/api/v1${path}`;
  let delivered = 0;
  while (ctx.outbox.size > 0) {
    if (ctx.signal?.aborted) throw new SyncCancelled();
    const batch = ctx.outbox.peek(ctx.batchSize);
    const raw = await ctx.client.post(path, { labels: batch }, { signal: ctx.signal, idempotent: true });
    const body = readWire(wire.labelUploadReply, raw, `The answer of ${source}`);
    if (body.results.length !== batch.length) throw new SyncError('malformed', `The answer of ${source} has ${body.results.length} results for ${batch.length} labels.`);
    const acked: string[] = [];
    const theirs: TheirLabel[] = [];
    let rejected = 0;
    body.results.forEach((r, i) => {
      if (r.id !== batch[i]!.id) throw new SyncError('malformed', `Result ${i + 1} of ${source} is for label ${r.id}, not ${batch[i]!.id}.`);
      if (r.status === 'rejected') rejected++;
      for (const c of r.conflicts ?? []) theirs.push(theirLabel(c));
      acked.push(batch[i]!.id);
    });
    if (theirs.length > 0) await ctx.conflicts.record(theirs, 'push');
    if (rejected > 0) await ctx.state.update({ rejectedLabels: ctx.state.value.rejectedLabels + rejected });
    await ctx.outbox.ack(acked);
    delivered += acked.length;
    ctx.onBatch?.(delivered);
  }
  return delivered;
}

export interface PullLabelsContext {
  readonly client: PlatformClient;
  readonly project: string;
  readonly store: WorkspaceStore;
  readonly state: SyncStateFile;
  readonly conflicts: ConflictBook;
  /** This workspace's annotator: their own labels come back too and are skipped. */
  readonly annotator: string;
  readonly pageSize: number;
  readonly signal: AbortSignal;
  readonly onPage?: (read: number) => void;
}

/**
 * Reads everyone else's labels from the saved journal position. A label for an unlabeled utterance is applied
 * (source 'import', under its annotator's name, so it is not sent back); one that disagrees with a local label
 * is kept as a conflict and the local label stays — unless the local label is that same annotator's earlier
 * label from the platform, which it replaces. Returns the number of labels read.
 */
export async function pullLabels(ctx: PullLabelsContext): Promise<{ read: number; applied: number; conflicts: number }> {
  const path = `/projects/${encodeURIComponent(ctx.project)}/labels`;
  const source = `${ctx.client.baseUrl}/api/v1${path}`;
  const { store } = ctx;
  const known = new Set(store.intents.map((i) => i.id));
  let read = 0;
  let applied = 0;
  let conflicts = 0;
  for (;;) {
    if (ctx.signal.aborted) throw new SyncCancelled();
    const since = ctx.state.value.labelsSince;
    const raw = await ctx.client.get(`${path}?since=${since}&limit=${ctx.pageSize}`, { signal: ctx.signal });
    const body = readWire(wire.labelsPage, raw, `The labels from ${source}`);
    const labels = body.labels.map(theirLabel);
    const planned = new Map<number, { readonly target: LabelTarget; readonly annotator: string; readonly source: LabelSource }>();
    const disagreeing: TheirLabel[] = [];
    for (const theirs of labels) {
      if (theirs.annotator === ctx.annotator) continue;
      if (theirs.intent !== null && !known.has(theirs.intent)) continue;
      const utterance = store.calls.findUtterance(theirs.utteranceId);
      if (utterance === undefined) continue;
      const target = targetOfPlatformIntent(theirs.intent);
      const mine = planned.get(utterance) ?? store.labels.labelOf(utterance);
      if (mine !== null && sameTarget(mine.target, target)) continue;
      if (mine === null || (mine.source === 'import' && mine.annotator === theirs.annotator)) planned.set(utterance, { target, annotator: theirs.annotator, source: 'import' });
      else disagreeing.push(theirs);
    }
    const byAnnotator = new Map<string, LabelChange[]>();
    for (const [utterance, { target, annotator }] of planned) {
      const list = byAnnotator.get(annotator) ?? [];
      list.push({ utterance, target });
      byAnnotator.set(annotator, list);
    }
    for (const [annotator, changes] of byAnnotator) {
      const events = await store.applyLabelChanges(changes, { annotator, source: 'import', actionId: `sync-${Date.now().toString(36)}` });
      applied += events.length;
    }
    conflicts += await ctx.conflicts.record(disagreeing, 'pull');
    await ctx.state.update({ labelsSince: body.nextSince });
    read += labels.length;
    ctx.onPage?.(read);
    if (!body.hasMore) break;
  }
  return { read, applied, conflicts };
}
