import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive } from 'vue';
import type { LabelProgress, QueueId, QueueItem, QueueSummary } from '../../shared/contract/dto';
import { api } from '../api';
import { PagedList } from '../composables/pagedList';
import { attempt, useStoreLoad } from './storeLoad';

function listOf(queue: QueueId): PagedList<QueueItem> {
  return reactive(new PagedList<QueueItem>((offset, limit) => api.queue.getPage({ queue, offset, limit }), 100)) as PagedList<QueueItem>;
}

/** Queues with counts, the annotator's progress, and a paged view of each queue. */
export const useQueueStore = defineStore('queue', () => {
  const queues = ref<readonly QueueSummary[]>([]);
  const progress = ref<LabelProgress | null>(null);
  const selected = ref<QueueId>('unlabeled');
  const queueIds: readonly QueueId[] = ['unlabeled', 'recent', 'uncovered', 'informative', 'mislabeled', 'disagreements'];
  const lists = shallowReactive(Object.fromEntries(queueIds.map((id) => [id, listOf(id)])) as Record<QueueId, PagedList<QueueItem>>);
  const list = computed(() => lists[selected.value]);

  function countOf(id: QueueId): number {
    return queues.value.find((q) => q.id === id)?.count ?? 0;
  }

  /** False for a model-ranked queue until a model has been trained. */
  function isReady(id: QueueId): boolean {
    return queues.value.find((q) => q.id === id)?.ready ?? true;
  }

  const counts = useStoreLoad(
    () => Promise.all([api.queue.listQueues({}), api.label.getProgress({})]),
    ([q, p]) => {
      queues.value = q;
      progress.value = p;
    },
  );

  async function refresh(): Promise<void> {
    await counts.load();
  }

  async function reloadList(): Promise<void> {
    await attempt(() => list.value.reset());
  }

  async function select(id: QueueId): Promise<void> {
    selected.value = id;
    await reloadList();
  }

  async function ensureRange(start: number, end: number): Promise<void> {
    await attempt(() => list.value.ensureRange(start, end));
  }

  return { queues, progress, selected, list, countsLoading: counts.loading, countOf, isReady, refresh, reloadList, select, ensureRange };
});
