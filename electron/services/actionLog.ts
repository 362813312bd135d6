import type { LabelEvent } from '../../shared/domain/types';
import type { IntentChange } from './store/catalogue';

/** What an undo needs: the label events of an action and the intents it changed, before and after. */
export interface RecordedAction {
  readonly events: readonly LabelEvent[];
  readonly intents?: readonly IntentChange[];
}

/** The most recent undoable actions of this session, oldest evicted first. */
export class ActionLog {
  private readonly actions = new Map<string, RecordedAction>();
  private counter = 0;

  constructor(private readonly capacity = 1000) {}

  /** A new action id, unique within and across sessions. */
  newId(): string {
    return `a${Date.now().toString(36)}-${(this.counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  record(actionId: string, action: RecordedAction): void {
    this.actions.set(actionId, action);
    if (this.actions.size > this.capacity) this.actions.delete(this.actions.keys().next().value!);
  }

  /** Removes and returns an action, or undefined when it is unknown or too old. */
  take(actionId: string): RecordedAction | undefined {
    const action = this.actions.get(actionId);
    this.actions.delete(actionId);
    return action;
  }

  clear(): void {
    this.actions.clear();
  }
}
