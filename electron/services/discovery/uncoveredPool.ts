import { PLATFORM_LOW_CONFIDENCE } from '../../../shared/ml/rankQueues';
import type { Rankings } from '../model/rankings';
import type { WorkspaceStore } from '../store/workspaceStore';

/**
 * The uncovered pool, most uncovered first: unlabeled utterances the platform could not place (or placed with low
 * confidence) or the model scores as out of scope (the Uncovered queue, when a model is trained), then those labeled
 * "none of these". Utterances added after the last ranking count by the platform's prediction alone.
 */
export function uncoveredPool(store: WorkspaceStore, rankings: Rankings | null): Int32Array {
  const calls = store.calls;
  const labels = store.labels;
  const n = calls.utteranceCount;
  const picked: number[] = [];
  const platformLow = (idx: number) => calls.platformConfidence(idx) < PLATFORM_LOW_CONFIDENCE;
  const rankedUpTo = rankings ? Math.min(n, rankings.input.scored.first.length) : 0;
  if (rankings) for (const idx of rankings.items('uncovered')) picked.push(idx);
  for (let idx = rankedUpTo; idx < n; idx++) if (!labels.isLabeled(idx) && platformLow(idx)) picked.push(idx);
  for (let idx = 0; idx < n; idx++) if (labels.targetOf(idx)?.kind === 'none') picked.push(idx);
  return Int32Array.from(picked);
}

/** True when an utterance may take a discovery label: unlabeled, or labeled "none of these". */
export function isOpenForDiscovery(store: WorkspaceStore, idx: number): boolean {
  const target = store.labels.targetOf(idx);
  return target === null || target.kind === 'none';
}
