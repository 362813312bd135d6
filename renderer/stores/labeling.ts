import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive } from 'vue';
import type { CallDetail, QueueId, QueueItem } from '../../shared/contract/dto';
import type { LabelSource, LabelTarget } from '../../shared/domain/types';
import { suggestionOf } from '../composables/queueReason';
import { api } from '../api';
import { LabelingBuffer } from '../composables/labelingBuffer';
import { useConnectionStore } from './connection';
import { useNoticeStore } from './notices';

interface SavedAction {
  readonly item: QueueItem;
  /** Resolves to the action id once saved, or null when the save failed. */
  readonly actionId: Promise<string | null>;
  /** When it was given (its place in the pace). */
  readonly labeledAt: number;
}

const maxCalls = 200;
const maxUndo = 100;

/**
 * The labeling session: a prefetched buffer of items with their calls, optimistic save-and-next,
 * the save state, and undo of the last labels.
 */
export const useLabelingStore = defineStore('labeling', () => {
  const queue = ref<QueueId>('unlabeled');
  const buffer = reactive(
    new LabelingBuffer((skip, limit) => api.queue.getPage({ queue: queue.value, offset: 0, limit, skip: [...skip] }), { low: 12, batch: 30 }),
  ) as LabelingBuffer;
  const calls = shallowReactive(new Map<string, CallDetail>());
  const pending = ref(0);
  const failed = ref(0);
  /** When each of this session's single labels was given (bulk actions and undone labels are not in it), for the pace. */
  const labelTimes = ref<number[]>([]);
  /** Labels of this session that stand: given, saved or saving, not undone. */
  const sessionDone = computed(() => labelTimes.value.length);
  function noteLabelTime(): number {
    const now = Date.now();
    labelTimes.value.push(now);
    return now;
  }
  function forgetLabelTime(at: number): void {
    const i = labelTimes.value.lastIndexOf(at);
    if (i >= 0) labelTimes.value.splice(i, 1);
  }
  const started = ref(false);
  const history: SavedAction[] = [];
  const loadingCalls = new Set<string>();

  const current = computed(() => buffer.current);
  const currentCall = computed(() => (buffer.current ? calls.get(buffer.current.callId) : undefined));
  const upcoming = computed(() => buffer.items.slice(1, 11));
  const saveState = computed<'saving' | 'saved' | 'failed' | 'idle'>(() =>
    pending.value > 0 ? 'saving' : failed.value > 0 ? 'failed' : sessionDone.value > 0 ? 'saved' : 'idle',
  );
  const isEmpty = computed(() => buffer.items.length === 0 && buffer.exhausted && !buffer.loading);

  async function fill(): Promise<void> {
    try {
      await buffer.refill();
    } catch (err) {
      useNoticeStore().error(err);
    }
    prefetchCalls();
  }

  function prefetchCalls(): void {
    for (const item of buffer.items.slice(0, 15)) {
      if (calls.has(item.callId) || loadingCalls.has(item.callId)) continue;
      loadingCalls.add(item.callId);
      api.call
        .getCall({ callId: item.callId })
        .then((call) => {
          calls.set(call.id, call);
          trimCalls();
        })
        .catch((err: unknown) => useNoticeStore().error(err))
        .finally(() => loadingCalls.delete(item.callId));
    }
  }

  function trimCalls(): void {
    if (calls.size <= maxCalls) return;
    const keep = new Set(buffer.items.map((i) => i.callId));
    for (const id of calls.keys()) {
      if (calls.size <= maxCalls) break;
      if (!keep.has(id)) calls.delete(id);
    }
  }

  /** Starts (or restarts) a session on `id`. */
  async function start(id: QueueId): Promise<void> {
    if (started.value && queue.value === id && buffer.items.length > 0) return;
    queue.value = id;
    buffer.reset();
    started.value = true;
    await fill();
  }

  /** Labels the current item and moves on at once; the save runs behind. Returns the labeled item. */
  function label(target: LabelTarget, source: Extract<LabelSource, 'manual' | 'suggestion'> = 'manual'): QueueItem | undefined {
    if (refuseOffline()) return undefined;
    const item = buffer.take();
    if (!item) return undefined;
    pending.value += 1;
    const labeledAt = noteLabelTime();
    const actionId = api.label
      .setLabel({ utteranceId: item.id, target, source })
      .then((r) => {
        failed.value = 0;
        patchCallLabel(item, target, r.labels[0]?.annotator ?? '', r.labels[0]?.at ?? Date.now(), source);
        return r.actionId;
      })
      .catch((err: unknown) => {
        failed.value += 1;
        forgetLabelTime(labeledAt);
        buffer.restore(item);
        useNoticeStore().error(err);
        return null;
      })
      .finally(() => {
        pending.value -= 1;
      });
    history.push({ item, actionId, labeledAt });
    if (history.length > maxUndo) history.shift();
    void fill();
    return item;
  }

  /** While the server is gone a label could not be saved: keys are refused and the banner calls attention. */
  function refuseOffline(): boolean {
    const connection = useConnectionStore();
    if (connection.online) return false;
    connection.nudge();
    return true;
  }

  /** Forgets earlier failed saves (their items went back into the queue), e.g. once the server is back. */
  function clearFailed(): void {
    failed.value = 0;
  }

  /** Accepts the model's suggestion for the current item (review queues); undoable like a label. */
  function acceptSuggestion(): QueueItem | undefined {
    const suggestion = suggestionOf(buffer.current?.reason);
    if (!suggestion) return undefined;
    return label({ kind: 'intent', intentId: suggestion.intentId }, 'suggestion');
  }

  /** Confirms the current item's label against the model's doubt and moves on at once; not undoable. */
  function keep(): QueueItem | undefined {
    const current = buffer.current;
    if (!current?.label || refuseOffline()) return undefined;
    const item = buffer.take();
    if (!item) return undefined;
    pending.value += 1;
    const keptAt = noteLabelTime();
    api.label
      .keepLabel({ utteranceId: item.id })
      .then(() => {
        failed.value = 0;
      })
      .catch((err: unknown) => {
        failed.value += 1;
        forgetLabelTime(keptAt);
        buffer.restore(item);
        useNoticeStore().error(err);
      })
      .finally(() => {
        pending.value -= 1;
      });
    void fill();
    return item;
  }

  function patchCallLabel(item: QueueItem, target: LabelTarget | null, annotator: string, at: number, source: LabelSource): void {
    const call = calls.get(item.callId);
    if (!call) return;
    const labels = Object.fromEntries(Object.entries(call.labels).filter(([turn]) => Number(turn) !== item.turnIndex));
    if (target) labels[item.turnIndex] = { utteranceId: item.id, target, annotator, at, source };
    calls.set(call.id, { ...call, labels });
  }

  /** Skips the current item for the rest of the session. */
  function skip(): void {
    buffer.skip();
    void fill();
  }

  /** Undoes the last label; the item comes back as the current one. Returns it, or null when nothing was undone. */
  async function undo(): Promise<QueueItem | null> {
    const last = history.pop();
    if (!last) return null;
    const actionId = await last.actionId;
    if (!actionId) return null;
    pending.value += 1;
    try {
      await api.label.undoAction({ actionId });
      buffer.restore(last.item);
      const before = last.item.label;
      patchCallLabel(last.item, before?.target ?? null, before?.annotator ?? '', before?.at ?? 0, before?.source ?? 'undo');
      forgetLabelTime(last.labeledAt);
      return last.item;
    } catch (err) {
      history.push(last);
      useNoticeStore().error(err);
      return null;
    } finally {
      pending.value -= 1;
    }
  }

  /** Lets the buffer look for new items after the queue changed elsewhere. */
  function invalidate(): void {
    buffer.invalidate();
    if (started.value) void fill();
  }

  /** Forgets the session (e.g. another workspace was opened). */
  function reset(): void {
    buffer.reset();
    calls.clear();
    history.length = 0;
    labelTimes.value = [];
    failed.value = 0;
    started.value = false;
  }

  function canUndo(): boolean {
    return history.length > 0;
  }

  return { queue, buffer, calls, pending, failed, sessionDone, labelTimes, current, currentCall, upcoming, saveState, isEmpty, start, label, acceptSuggestion, keep, skip, undo, invalidate, reset, canUndo, clearFailed };
});
