import type { Page, QueueItem, QueueSummary } from '../../shared/contract/dto';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { QueueService } from '../../shared/contract/services';
import { rankedQueues, type RankedQueueId, type Rankings } from './model/rankings';
import { yieldToEventLoop } from './model/scanInChunks';
import { questionIndexOf } from './questionIntents';
import type { WorkspaceStore } from './store/workspaceStore';
import type { WorkspaceSession } from './workspaceSession';

/** Builds the queue item for utterance `idx`. */
export async function toQueueItem(store: WorkspaceStore, idx: number): Promise<QueueItem> {
  return {
    ...store.calls.utterance(idx),
    label: store.labels.labelOf(idx),
    botPrompt: store.calls.botPrompt(idx),
    campaign: store.reads.campaignOf(idx),
    startedAt: store.reads.startedAtOf(idx),
  };
}

/**
 * QueueService: Unlabeled (workspace order) and Recently labeled (newest first), plus the four queues the intent
 * model ranks (Uncovered, Most informative, Likely mislabeled, Disagreements), each item with its reason.
 */
export class QueueStore implements QueueService {
  constructor(
    private readonly session: WorkspaceSession,
    private readonly rankings: () => Rankings | null,
  ) {}

  async listQueues(): Promise<readonly QueueSummary[]> {
    const store = this.session.store;
    const ranked = this.rankings();
    const counts = new Map<RankedQueueId, number>();
    for (const queue of rankedQueues) {
      let n = 0;
      if (ranked) {
        await visitYielding(ranked.items(queue), () => {
          n++;
          return true;
        });
      }
      counts.set(queue, n);
    }
    return [
      { id: 'unlabeled', count: store.reads.utteranceCount - store.labels.labeledCount, ready: true },
      { id: 'recent', count: store.labels.labeledCount, ready: true },
      ...rankedQueues.map((id) => ({ id, count: counts.get(id)!, ready: ranked !== null })),
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
      (needle === '' || store.reads.text(idx).toLowerCase().includes(needle)) && !skip.has(idx);
    const picked: number[] = [];
    let total = 0;
    const take = (idx: number): boolean => {
      if (!matches(idx)) return true;
      if (total >= arg.offset && picked.length < arg.limit) picked.push(idx);
      total++;
      return true;
    };
    const queue = arg.queue;
    if (queue === 'unlabeled' && needle === '') {
      // Unfiltered, the total is known from the counts: read only as far as the page.
      let skipped = 0;
      for (const idx of skip) if (!store.labels.isLabeled(idx)) skipped++;
      let seen = 0;
      await visitYielding(store.reads.unlabeled(), (idx) => {
        if (skip.has(idx)) return true;
        if (picked.length >= arg.limit) return false;
        if (seen++ >= arg.offset) picked.push(idx);
        return picked.length < arg.limit;
      });
      total = store.reads.utteranceCount - store.labels.labeledCount - skipped;
    } else if (queue === 'unlabeled') await visitYielding(store.reads.unlabeled(), take);
    else if (queue === 'recent') await visitYielding(store.labels.recent(), take);
    else {
      const ranked = this.rankings();
      if (ranked) await visitYielding(ranked.items(queue), take);
    }
    const ranked = queue === 'unlabeled' || queue === 'recent' ? null : this.rankings();
    const questions = questionIndexOf(store);
    await questions.update();
    const items = await Promise.all(
      picked.map(async (idx) => {
        const item = await toQueueItem(store, idx);
        const usual = await questions.usualIntents(idx, store.labels);
        const withUsual = usual ? { ...item, usualIntents: usual } : item;
        return ranked ? { ...withUsual, reason: ranked.reason(queue as RankedQueueId, idx) } : withUsual;
      }),
    );
    return { total, offset: arg.offset, items };
  }
}

/**
 * Visits the items of a queue scan (until `visit` returns false), yielding to the event loop each time it has run for 4 ms, so counting or paging
 * a million-utterance queue never holds the thread that answers labels.
 */
async function visitYielding(items: Iterable<number>, visit: (idx: number) => boolean): Promise<void> {
  let since = performance.now();
  let k = 0;
  for (const idx of items) {
    if (visit(idx) === false) return;
    if (++k % 4096 === 0 && performance.now() - since >= 4) {
      await yieldToEventLoop();
      since = performance.now();
    }
  }
}
