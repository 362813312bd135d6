import type { Intent } from '../../../shared/domain/types';
import { looksLikeTransfer, type WatchedTurn } from '../../../shared/ml/gate/watch';
import { scanInChunks } from '../model/scanInChunks';
import type { WorkspaceStore } from '../store/workspaceStore';

const HOUR = 3_600_000;

/**
 * The intents the watch counts as a transfer to a person: those the lead marked (`transfer`), else those whose id or
 * name says so (`looksLikeTransfer`: transfer, human, agent, 人工, 转接 …). Deprecated intents count too: old traffic
 * may still carry them.
 */
export function transferIntentsOf(catalogue: readonly Intent[]): { ids: string[]; basis: 'marked' | 'byName' | 'none' } {
  const marked = catalogue.filter((i) => i.transfer === true).map((i) => i.id);
  if (marked.length > 0) return { ids: marked, basis: 'marked' };
  const byName = catalogue.filter((i) => looksLikeTransfer(i.id, i.name)).map((i) => i.id);
  return { ids: byName, basis: byName.length > 0 ? 'byName' : 'none' };
}

/**
 * The user turns the platform predicted in calls that started within 24 hours before `baselineEnd` (default
 * `activatedAt`; earlier after a rollback) up to `hoursAfter` hours after `activatedAt` (call start time, the
 * platform's clock), read from the index columns; the scan yields every few ms. Utterances without a platform
 * prediction (imported without one) are left out.
 */
export async function collectWatchedTurns(store: Pick<WorkspaceStore, 'calls' | 'reads'>, activatedAt: number, hoursAfter: number, baselineEnd = activatedAt): Promise<WatchedTurn[]> {
  const { calls, reads } = store;
  const from = Math.min(activatedAt, baselineEnd) - 24 * HOUR;
  const to = activatedAt + hoursAfter * HOUR;
  const turns: WatchedTurn[] = [];
  await scanInChunks(calls.callCount, (start, end) => {
    for (let c = start; c < end; c++) {
      const at = calls.callStartedAt[c]!;
      if (at < from || at >= to) continue;
      const first = calls.callFirstUtt[c]!;
      const last = first + calls.callUttCount[c]!;
      for (let idx = first; idx < last; idx++) {
        if (!reads.hasPlatformPrediction(idx)) continue;
        turns.push({ at, intent: reads.platformIntentOf(idx), confidence: reads.sentConfidenceOf(idx) });
      }
    }
  });
  return turns;
}
