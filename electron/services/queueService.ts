import type { Page, QueueItem, QueueSummary } from '../../shared/contract/dto';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { QueueService } from '../../shared/contract/services';
import type { WorkspaceStore } from './store/workspaceStore';
import type { WorkspaceSession } from './workspaceSession';

/** Builds the queue item for utterance `idx`. */
export async function toQueueItem(store: WorkspaceStore, idx: number): Promise<QueueItem> {
  const call = store.calls.uttCall[idx]!;
  return {
    ...store.calls.utterance(idx),
    label: store.labels.labelOf(idx),
    botPrompt: await store.calls.botPrompt(idx),
    campaign: store.calls.campaignOf(call),
    startedAt: store.calls.callStartedAt[call]!,
  };
}

/** QueueService: Unlabeled (workspace order) and Recently labeled (newest first). */
export class QueueStore implements QueueService {
  constructor(private readonly session: WorkspaceSession) {}

  async listQueues(): Promise<readonly QueueSummary[]> {
    const store = this.session.store;
    return [
      { id: 'unlabeled', count: store.calls.utteranceCount - store.labels.labeledCount },
      { id: 'recent', count: store.labels.labeledCount },
    ];
  }

  async getPage(arg: MethodArgs<'queue.getPage'>): Promise<Page<QueueItem>> {
    const store = this.session.store;
    const skip = new Set<number>();
    for (const id of arg.skip ?? []) {
      const idx = store.calls.findUtterance(id);
      if (idx !== undefined) skip.add(idx);
    }
    const needle = arg.search?.trim().toLowerCase() ?? '';
    const matches = (idx: number): boolean =>
      (needle === '' || store.calls.uttText[idx]!.toLowerCase().includes(needle)) && !skip.has(idx);
    const picked: number[] = [];
    let total = 0;
    const take = (idx: number) => {
      if (!matches(idx)) return;
      if (total >= arg.offset && picked.length < arg.limit) picked.push(idx);
      total++;
    };
    if (arg.queue === 'unlabeled') {
      const n = store.calls.utteranceCount;
      for (let idx = 0; idx < n; idx++) if (!store.labels.isLabeled(idx)) take(idx);
    } else {
      for (const idx of store.labels.recent()) take(idx);
    }
    const items = await Promise.all(picked.map((idx) => toQueueItem(store, idx)));
    return { total, offset: arg.offset, items };
  }
}
