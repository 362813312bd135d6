import type { QueueItem } from '../../shared/contract/dto';
import type { LabelSource, LabelTarget } from '../../shared/domain/types';

/** What the annotator decided about an item: a label (an intent, none, bad transcript), a skip, or keeping the label. */
export type DecisionKind = 'label' | 'skip' | 'keep';

/**
 * Where a decision's save stands. `saving` until every save of it resolved, `saved` once the server holds it,
 * `failed` when its last save did not reach the server, `undoing` while an undo of it runs.
 */
export type DecisionState = 'saving' | 'saved' | 'failed' | 'undoing';

/** One of this session's decisions, as the history sidebar lists it and undo walks it. */
export interface Decision {
  /** Unique within the session, in the order decisions were made (the sidebar's key). */
  readonly id: number;
  readonly item: QueueItem;
  kind: DecisionKind;
  /** The label it gave (for `keep`, the label it kept); null for a skip. */
  target: LabelTarget | null;
  source: LabelSource | null;
  /** When it was made or last re-labeled (epoch ms). */
  at: number;
  state: DecisionState;
  /**
   * True when its first save failed: the item went back into the queue, so this is no decision (not undone, not
   * re-labelable) and stays listed only to show the failure, until the item is decided again.
   */
  returned: boolean;
  /** How many times it was re-labeled in place. */
  relabels: number;
  /** Its place in the session's label times (for the pace), or null when it has none (a skip). */
  labeledAt: number | null;
  /** Its undoable label actions, oldest first (the label, then each re-label). */
  actions: DecisionAction[];
}

/** One undoable label action of a decision. */
export interface DecisionAction {
  /** The label it gives. */
  readonly target: LabelTarget | null;
  /** Resolves to the action id once saved, or null when the save failed. */
  readonly result: Promise<string | null>;
}

/**
 * What a new decision needs. It starts `saving` when it has an action or `saving` says so (a keep, which saves but
 * cannot be undone on the server), else `saved` (a skip, which saves nothing).
 */
export type NewDecision = Pick<Decision, 'item' | 'kind' | 'target' | 'source' | 'at' | 'labeledAt'> & {
  readonly action?: DecisionAction;
  readonly saving?: boolean;
};

/** How many decisions the sidebar lists. */
export const HISTORY_VISIBLE = 20;
/** How many decisions undo can walk back. */
export const HISTORY_CAPACITY = 100;

/**
 * This session's decisions, oldest first: the history sidebar shows the newest, each can be re-labeled in place,
 * and undo takes them back newest first. Bulk actions and undone decisions are never in it. Plain state: the labeling
 * store makes it reactive and does the saving.
 */
export class DecisionHistory {
  entries: Decision[] = [];
  private nextId = 1;

  constructor(private readonly capacity = HISTORY_CAPACITY) {}

  /** Records a decision as the newest; earlier failed entries of the same utterance are dropped (it was decided again). */
  add(init: NewDecision): Decision {
    const { action, saving, ...rest } = init;
    const decision: Decision = {
      ...rest,
      id: this.nextId++,
      state: action || saving ? 'saving' : 'saved',
      returned: false,
      relabels: 0,
      actions: action ? [action] : [],
    };
    // Rare (a save failed), so the common label costs one push and no copy of the list.
    if (this.entries.some((d) => d.returned && d.item.id === init.item.id)) this.entries = this.entries.filter((d) => !(d.returned && d.item.id === init.item.id));
    this.entries.push(decision);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return this.entries[this.entries.length - 1]!;
  }

  /** The newest `n` decisions, newest first. */
  newest(n = HISTORY_VISIBLE): Decision[] {
    const out: Decision[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < n; i--) out.push(this.entries[i]!);
    return out;
  }

  /** The decision with `id`, if it is still listed. */
  find(id: number): Decision | undefined {
    return this.entries.find((d) => d.id === id);
  }

  /** The newest decision an undo would take back: not returned to the queue, not being undone already. */
  newestUndoable(): Decision | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const d = this.entries[i]!;
      if (!d.returned && d.state !== 'undoing') return d;
    }
    return undefined;
  }

  /** True when an undo has something to take back. */
  canUndo(): boolean {
    return this.newestUndoable() !== undefined;
  }

  /** Removes a decision (undone). */
  remove(id: number): void {
    this.entries = this.entries.filter((d) => d.id !== id);
  }

  /** Forgets every decision (a new workspace). */
  clear(): void {
    this.entries = [];
  }
}

/** True when a decision can be re-labeled in place: it stands (not returned to the queue) and no undo of it runs. */
export function canRelabel(decision: Pick<Decision, 'returned' | 'state'>): boolean {
  return !decision.returned && decision.state !== 'undoing';
}

/**
 * The action ids an undo of a decision reverts, newest first (re-labels before the label they changed), leaving out
 * saves that failed. Waits for saves still on their way.
 */
export async function actionsToUndo(decision: Pick<Decision, 'actions'>): Promise<{ readonly actionId: string; readonly action: DecisionAction }[]> {
  const ids = await Promise.all(decision.actions.map((a) => a.result));
  const out: { actionId: string; action: DecisionAction }[] = [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const actionId = ids[i];
    if (actionId != null) out.push({ actionId, action: decision.actions[i]! });
  }
  return out;
}

/** The index of the entry `delta` steps from `index` in a list of `length`, kept inside it; -1 for an empty list. */
export function stepIndex(index: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  return Math.min(length - 1, Math.max(0, index + delta));
}
