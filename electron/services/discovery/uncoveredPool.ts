import { PLATFORM_LOW_CONFIDENCE } from '../../../shared/ml/rankQueues';
import type { Rankings } from '../model/rankings';
import { LabeledKind } from '../store/labelTable';
import type { WorkspaceStore } from '../store/workspaceStore';

/**
 * The uncovered pool, most uncovered first: unlabeled utterances the platform could not place (or placed with low
 * confidence) or the model scores as out of scope (the Uncovered queue, when a model is trained), then those labeled
 * "none of these" (from the shared labeled rows). Utterances added after the last ranking count by the platform's
 * prediction alone: only they are scanned.
 */
export function uncoveredPool(store: WorkspaceStore, rankings: Rankings | null): Int32Array {
  const calls = store.calls;
  const picked: number[] = [];
  const rankedUpTo = rankings ? Math.min(store.reads.utteranceCount, rankings.input.scored.first.length) : 0;
  if (rankings) for (const idx of rankings.items('uncovered')) picked.push(idx);
  for (const idx of store.reads.unlabeled(rankedUpTo)) if (calls.platformConfidence(idx) < PLATFORM_LOW_CONFIDENCE) picked.push(idx);
  const rows = store.reads.labeledRows();
  rows.kinds.forEach((kind, row) => {
    if (kind === LabeledKind.none) picked.push(rows.utterances[row]!);
  });
  return Int32Array.from(picked);
}

/** True when an utterance may take a discovery label: unlabeled, or labeled "none of these". */
export function isOpenForDiscovery(store: WorkspaceStore, idx: number): boolean {
  const target = store.labels.targetOf(idx);
  return target === null || target.kind === 'none';
}
