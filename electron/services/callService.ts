import type { CallDetail, CallSummary, Page } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { CallService } from '../../shared/contract/services';
import type { Label } from '../../shared/domain/types';
import type { WorkspaceStore } from './store/workspaceStore';
import type { WorkspaceSession } from './workspaceSession';

/** CallService: substring search over call ids and user turns, newest calls first. */
export class CallStore implements CallService {
  private newestFirst: { store: WorkspaceStore; calls: number; order: Int32Array } | null = null;

  constructor(private readonly session: WorkspaceSession) {}

  async searchCalls(arg: MethodArgs<'call.searchCalls'>): Promise<Page<CallSummary>> {
    const store = this.session.store;
    const calls = store.calls;
    const needle = arg.query.trim().toLowerCase();
    const campaign = arg.campaign ? calls.campaigns.find(arg.campaign) ?? -2 : -1;
    const items: CallSummary[] = [];
    let total = 0;
    for (const c of this.order(store)) {
      if (campaign !== -1 && calls.callCampaign[c] !== campaign) continue;
      const first = calls.callFirstUtt[c]!;
      const count = calls.callUttCount[c]!;
      let labeled = 0;
      let hit = needle === '' || calls.callIds[c]!.toLowerCase().includes(needle);
      for (let u = first; u < first + count && first >= 0; u++) {
        if (store.labels.isLabeled(u)) labeled++;
        if (!hit && store.reads.text(u).toLowerCase().includes(needle)) hit = true;
      }
      if (!hit || (arg.onlyUnlabeled && labeled === count)) continue;
      if (total >= arg.offset && items.length < arg.limit) {
        items.push({
          id: calls.callIds[c]!,
          startedAt: calls.callStartedAt[c]!,
          campaign: calls.campaignOf(c),
          userTurns: count,
          labeledTurns: labeled,
          preview: first >= 0 ? store.reads.text(first) : '',
        });
      }
      total++;
    }
    return { total, offset: arg.offset, items };
  }

  async getCall(arg: MethodArgs<'call.getCall'>): Promise<CallDetail> {
    const store = this.session.store;
    const c = store.calls.findCall(arg.callId);
    if (c === undefined) throw new ContractError('not_found', sentence('no_call', { id: arg.callId }), { field: 'callId' });
    const call = await store.calls.getCall(c);
    const labels: Record<number, Label> = {};
    const first = store.calls.callFirstUtt[c]!;
    for (let u = first; u >= 0 && u < first + store.calls.callUttCount[c]!; u++) {
      const label = store.labels.labelOf(u);
      if (label) labels[store.reads.turnIndexOf(u)] = label;
    }
    return { ...call, labels };
  }

  async listCampaigns(): Promise<readonly { readonly campaign: string; readonly calls: number }[]> {
    const calls = this.session.store.calls;
    const counts = new Map<number, number>();
    for (let i = 0; i < calls.callCount; i++) counts.set(calls.callCampaign[i]!, (counts.get(calls.callCampaign[i]!) ?? 0) + 1);
    return [...counts].map(([c, n]) => ({ campaign: calls.campaigns.values[c]!, calls: n })).sort((a, b) => b.calls - a.calls);
  }

  /** Call indexes sorted newest first, recomputed only when calls were added. */
  private order(store: WorkspaceStore): Int32Array {
    const n = store.calls.callCount;
    if (this.newestFirst?.store !== store || this.newestFirst.calls !== n) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      const started = store.calls.callStartedAt;
      order.sort((a, b) => started[b]! - started[a]! || a - b);
      this.newestFirst = { store, calls: n, order };
    }
    return this.newestFirst.order;
  }
}
