import { computed, nextTick, onScopeDispose, ref, shallowRef, watch, type ComputedRef, type Ref } from 'vue';
import type { Decision } from './decisionHistory';
import { stepIndex } from './decisionHistory';
import { readHistoryCollapsed, writeHistoryCollapsed } from './historyPanel';

/** What the history mode needs of the view: the newest decisions, and a way to give the list the keyboard focus. */
export interface HistoryFocusHost {
  /** The newest decisions, newest first (the labeling store's `recent`). */
  readonly recent: () => readonly Decision[];
  /** Moves the DOM focus to the history list. */
  readonly focusList: () => void;
  /** Called when the keyboard enters or leaves the history (e.g. to reset the picker). */
  readonly onChange?: () => void;
}

/** The history sidebar's state in a labeling view. */
export interface HistoryFocus {
  /** The decision the keyboard is on, or null while the current item has it. */
  readonly focusedId: Ref<number | null>;
  /** That decision, while it is listed. */
  readonly editing: ComputedRef<Decision | undefined>;
  /** Whether the sidebar is collapsed to a strip (remembered on this computer). */
  readonly collapsed: Ref<boolean>;
  /** What the sidebar lists (follows the history one frame late outside history mode). */
  readonly entries: Readonly<Ref<readonly Decision[]>>;
  /** Gives the keyboard to the history, on `id` or the newest decision; false when there is none. */
  enter(id?: number): boolean;
  /** Gives the keyboard back to the current item. */
  leave(): void;
  /** Moves to the older (+1) or newer (-1) decision. */
  walk(delta: 1 | -1): void;
}

/**
 * History mode of a labeling view: which past decision the keyboard is on, the collapsed state, and the list the
 * sidebar shows. Outside history mode the list follows the history one frame late, after the next utterance is
 * painted, so a label key pays nothing for the sidebar; in history mode it follows at once.
 */
export function useHistoryFocus(host: HistoryFocusHost): HistoryFocus {
  const focusedId = ref<number | null>(null);
  const editing = computed(() => (focusedId.value === null ? undefined : host.recent().find((d) => d.id === focusedId.value)));
  const collapsed = ref(readHistoryCollapsed());
  watch(collapsed, (value) => writeHistoryCollapsed(value));
  const entries = shallowRef<readonly Decision[]>(host.recent());

  let frame = 0;
  watch(host.recent, (recent) => {
    // An undone decision leaves the list: the keyboard moves to the newest one left, or back to the current item.
    if (focusedId.value !== null && !recent.some((d) => d.id === focusedId.value)) focusedId.value = recent[0]?.id ?? null;
    if (focusedId.value !== null) {
      entries.value = recent;
      return;
    }
    if (frame) return;
    frame = requestAnimationFrame(() =>
      setTimeout(() => {
        frame = 0;
        entries.value = host.recent();
      }),
    );
  });
  onScopeDispose(() => cancelAnimationFrame(frame));

  function enter(id?: number): boolean {
    const first = id ?? host.recent()[0]?.id;
    if (first === undefined) return false;
    collapsed.value = false;
    focusedId.value = first;
    entries.value = host.recent();
    host.onChange?.();
    void nextTick(host.focusList);
    return true;
  }

  function leave(): void {
    focusedId.value = null;
    host.onChange?.();
  }

  function walk(delta: 1 | -1): void {
    const recent = host.recent();
    const next = recent[stepIndex(recent.findIndex((d) => d.id === focusedId.value), delta, recent.length)];
    if (next) focusedId.value = next.id;
  }

  return { focusedId, editing, collapsed, entries, enter, leave, walk };
}
