import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive } from 'vue';
import type { CallDetail, QueueId, QueueItem } from '../../shared/contract/dto';
import { sameTarget, type LabelSource, type LabelTarget } from '../../shared/domain/types';
import { suggestionOf } from '../composables/queueReason';
import { api } from '../api';
import { LabelingBuffer } from '../composables/labelingBuffer';
import { actionsToUndo, canRelabel, DecisionHistory, HISTORY_VISIBLE, type Decision, type DecisionAction } from '../composables/decisionHistory';
import { useConnectionStore } from './connection';
import { useNoticeStore } from './notices';
import { attempt } from './storeLoad';

const maxCalls = 200;

/**
 * The labeling session: a prefetched buffer of items with their calls, optimistic save-and-next, the save state, and
 * the history of this session's decisions (re-labelable in place; undo walks it back, newest first).
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
  const decisions = reactive(new DecisionHistory()) as DecisionHistory;
  /** The newest decisions, newest first, as the history sidebar lists them. */
  const recent = computed(() => decisions.newest(HISTORY_VISIBLE));
  const loadingCalls = new Set<string>();

  const current = computed(() => buffer.current);
  const currentCall = computed(() => (buffer.current ? calls.get(buffer.current.callId) : undefined));
  const upcoming = computed(() => buffer.items.slice(1, 11));
  const saveState = computed<'saving' | 'saved' | 'failed' | 'idle'>(() =>
    pending.value > 0 ? 'saving' : failed.value > 0 ? 'failed' : sessionDone.value > 0 ? 'saved' : 'idle',
  );
  const isEmpty = computed(() => buffer.items.length === 0 && buffer.exhausted && !buffer.loading);

  async function fill(): Promise<void> {
    await attempt(() => buffer.refill());
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
    const labeledAt = noteLabelTime();
    const action = saveLabel(item, target, source);
    const decision = decisions.add({ item, kind: 'label', target, source, at: labeledAt, labeledAt, action });
    void action.result.then((actionId) => {
      if (actionId !== null) return settle(decision, action, actionId);
      // Not saved: the item goes back in front of the queue and the entry says it failed; it is no decision.
      decision.returned = true;
      decision.state = 'failed';
      forgetLabelTime(labeledAt);
      decision.labeledAt = null;
      buffer.restore(item);
    });
    void fill();
    return item;
  }

  /**
   * Saves a label of `item` once `after` (the decision's previous save) settled, so its saves reach the server in
   * order, unless `proceed()` then says no (the item went back to the queue). Counts as pending at once; a failure is
   * counted and shown; the call cache follows a success.
   */
  function saveLabel(
    item: QueueItem,
    target: LabelTarget,
    source: Extract<LabelSource, 'manual' | 'suggestion'>,
    after?: Promise<unknown>,
    proceed: () => boolean = () => true,
  ): DecisionAction {
    pending.value += 1;
    const result = (after ?? Promise.resolve())
      .then(() => (proceed() ? api.label.setLabel({ utteranceId: item.id, target, source }) : null))
      .then((r) => {
        if (!r) return null;
        failed.value = 0;
        patchCallLabel(item, target, r.labels[0]?.annotator ?? '', r.labels[0]?.at ?? Date.now(), source);
        return r.actionId;
      })
      .catch((err: unknown) => {
        failed.value += 1;
        useNoticeStore().error(err);
        return null;
      })
      .finally(() => {
        pending.value -= 1;
      });
    return { target, result };
  }

  /** Marks a decision saved or failed once `action`, its newest save, settled (an older one settling changes nothing). */
  function settle(decision: Decision, action: DecisionAction, actionId: string | null): void {
    // Compared by their promises: the decision is reactive, so its actions are proxies of the objects made here.
    if (decision.state === 'undoing' || decision.actions[decision.actions.length - 1]?.result !== action.result) return;
    decision.state = actionId === null ? 'failed' : 'saved';
  }

  /**
   * Re-labels a past decision in place: an ordinary label of its utterance (durable, journaled, the annotator's),
   * after its earlier saves. The queue position does not move. False when it cannot be re-labeled (returned to the
   * queue, being undone, offline) or already holds `target`.
   */
  function relabel(id: number, target: LabelTarget): boolean {
    const found = decisions.find(id);
    if (!found || !canRelabel(found)) return false;
    if (found.kind === 'label' && found.state !== 'failed' && sameTarget(found.target, target)) return false;
    if (refuseOffline()) return false;
    const decision = found;
    const previous = decision.actions[decision.actions.length - 1]?.result;
    const action = saveLabel(decision.item, target, 'manual', previous, () => !decision.returned);
    // A skipped item labeled now joins the pace like any label.
    if (decision.labeledAt === null) decision.labeledAt = noteLabelTime();
    decision.kind = 'label';
    decision.target = target;
    decision.source = 'manual';
    decision.at = Date.now();
    decision.relabels += 1;
    decision.state = 'saving';
    decision.actions.push(action);
    void action.result.then((actionId) => settle(decision, action, actionId));
    return true;
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

  /** Confirms the current item's label against the model's doubt and moves on at once; the server cannot undo it. */
  function keep(): QueueItem | undefined {
    const current = buffer.current;
    if (!current?.label || refuseOffline()) return undefined;
    const item = buffer.take();
    if (!item) return undefined;
    pending.value += 1;
    const keptAt = noteLabelTime();
    const decision = decisions.add({ item, kind: 'keep', target: current.label.target, source: 'review', at: keptAt, labeledAt: keptAt, saving: true });
    api.label
      .keepLabel({ utteranceId: item.id })
      .then(() => {
        failed.value = 0;
        if (decision.state === 'saving') decision.state = 'saved';
      })
      .catch((err: unknown) => {
        failed.value += 1;
        forgetLabelTime(keptAt);
        decision.labeledAt = null;
        decision.returned = true;
        decision.state = 'failed';
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

  /** Skips the current item for the rest of the session; it is listed in the history (nothing to save). */
  function skip(): void {
    const item = buffer.skip();
    if (item) decisions.add({ item, kind: 'skip', target: null, source: null, at: Date.now(), labeledAt: null });
    void fill();
  }

  /**
   * Undoes the newest decision of the history: its label actions are undone on the server, newest first (a re-label
   * before the label it changed); a skip or keep only brings the item back. The item comes back as the current one and
   * leaves the history. Returns it, or null when nothing was undone.
   */
  async function undo(): Promise<QueueItem | null> {
    const decision = decisions.newestUndoable();
    if (!decision) return null;
    const stateBefore = decision.state;
    decision.state = 'undoing';
    pending.value += 1;
    const undone: Promise<string | null>[] = [];
    try {
      for (const { actionId, action } of await actionsToUndo(decision)) {
        await api.label.undoAction({ actionId });
        undone.push(action.result);
      }
      decisions.remove(decision.id);
      buffer.restore(decision.item);
      const before = decision.item.label;
      if (decision.kind === 'label') patchCallLabel(decision.item, before?.target ?? null, before?.annotator ?? '', before?.at ?? 0, before?.source ?? 'undo');
      if (decision.labeledAt !== null) forgetLabelTime(decision.labeledAt);
      return decision.item;
    } catch (err) {
      // What was undone stays undone; the decision stands with the saves that remain.
      decision.actions = decision.actions.filter((a) => !undone.includes(a.result));
      const last = decision.actions[decision.actions.length - 1];
      if (undone.length > 0 && last) decision.target = last.target;
      decision.state = stateBefore === 'undoing' ? 'saved' : stateBefore;
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
    decisions.clear();
    labelTimes.value = [];
    failed.value = 0;
    started.value = false;
  }

  function canUndo(): boolean {
    return decisions.canUndo();
  }

  return {
    queue,
    buffer,
    calls,
    pending,
    failed,
    sessionDone,
    labelTimes,
    current,
    currentCall,
    upcoming,
    saveState,
    isEmpty,
    recent,
    start,
    label,
    relabel,
    acceptSuggestion,
    keep,
    skip,
    undo,
    invalidate,
    reset,
    canUndo,
    clearFailed,
  };
});
