import type { LabelProgress, LabelResult, UndoResult } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { LabelService } from '../../shared/contract/services';
import { sameTarget, type LabelEvent, type LabelSource, type LabelTarget } from '../../shared/domain/types';
import type { IntentChange } from './store/catalogue';
import type { LabelChange, StoreAction, WorkspaceStore } from './store/workspaceStore';
import type { WorkspaceSession } from './workspaceSession';

const HOUR = 3_600_000;

/** LabelService over the workspace store: every change is journaled and fsynced before it resolves. */
export class LabelStore implements LabelService {
  constructor(private readonly session: WorkspaceSession) {}

  async setLabel(arg: MethodArgs<'label.setLabel'>): Promise<LabelResult> {
    const utterance = this.requireUtterance(arg.utteranceId);
    return this.apply([{ utterance, target: this.checkTarget(arg.target) }], arg.source);
  }

  async bulkLabel(arg: MethodArgs<'label.bulkLabel'>): Promise<LabelResult> {
    const target = this.checkTarget(arg.target);
    const changes = arg.utteranceIds.map((id) => ({ utterance: this.requireUtterance(id), target }));
    return this.apply(changes, 'bulk');
  }

  async undoAction(arg: MethodArgs<'label.undoAction'>): Promise<UndoResult> {
    return this.session.store.exclusive(() => this.undo(arg.actionId));
  }

  /**
   * Undoes action `actionId` by inverse operations — its label changes where the labels still hold what it set, its
   * intent changes field by field where nothing changed them since — with `clusters` decisions, as one durable
   * action. Call it inside `store.exclusive`.
   */
  async undo(actionId: string, clusters: StoreAction['clusters'] = []): Promise<UndoResult> {
    const store = this.session.store;
    const action = this.session.actions.take(actionId);
    if (!action) throw new ContractError('not_found', sentence('undo_unknown'), { field: 'actionId' });
    const { changes, reverted, skipped } = this.inverseLabels(action.events);
    let intents: IntentChange[] = [];
    if (action.intents?.length) {
      // Labels go back first, so an intent the action created is seen as unused when only the action used it.
      const draft = store.catalogueDraft();
      const inUse = intentsInUse(store, changes);
      for (const change of [...action.intents].reverse()) draft.revert(change, (id) => inUse.has(id));
      intents = draft.changes();
    }
    try {
      await store.commit({ labels: changes, intents, clusters }, { annotator: this.session.annotator, source: 'undo', actionId: this.session.actions.newId() });
    } catch (err) {
      this.session.actions.record(actionId, action);
      throw err;
    }
    if (intents.length > 0) this.session.events.emit('onDidChangeIntents', {});
    if (changes.length > 0) this.session.events.emit('onDidChangeLabels', { count: changes.length });
    return { actionId, reverted, skipped };
  }

  /** The label changes that undo `events`, leaving alone utterances whose label changed since. */
  private inverseLabels(events: readonly LabelEvent[]): { changes: LabelChange[]; reverted: string[]; skipped: string[] } {
    const store = this.session.store;
    const changes: LabelChange[] = [];
    const reverted: string[] = [];
    const skipped: string[] = [];
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      const utterance = store.calls.findUtterance(e.utteranceId);
      if (utterance === undefined || !sameTarget(store.labels.targetOf(utterance), e.after)) {
        skipped.push(e.utteranceId);
        continue;
      }
      changes.push({ utterance, target: e.before });
      reverted.push(e.utteranceId);
    }
    return { changes, reverted, skipped };
  }

  async getHistory(arg: MethodArgs<'label.getHistory'>): Promise<readonly LabelEvent[]> {
    const id = arg.utteranceId;
    return this.session.store.readHistory((e) => id === undefined || e.u === id, arg.limit);
  }

  async getProgress(): Promise<LabelProgress> {
    const store = this.session.store;
    const annotator = this.session.annotator;
    return {
      annotator,
      labeledTotal: store.labels.labeledCount,
      unlabeled: store.reads.utteranceCount - store.labels.labeledCount,
      lastHour: store.labels.countSince(annotator, Date.now() - HOUR),
    };
  }

  async keepLabel(arg: MethodArgs<'label.keepLabel'>): Promise<LabelResult> {
    const utterance = this.requireUtterance(arg.utteranceId);
    const store = this.session.store;
    if (!store.labels.isLabeled(utterance)) throw new ContractError('invalid_argument', sentence('keep_needs_label'), { field: 'utteranceId' });
    const actionId = this.session.actions.newId();
    const events = await store.keepLabels([utterance], { annotator: this.session.annotator, source: 'review', actionId });
    this.session.events.emit('onDidChangeLabels', { count: events.length });
    return { actionId, changed: 0, labels: [store.labels.labelOf(utterance)!] };
  }

  /**
   * Applies label changes, with the intent changes `intents` of the same action, as one recorded, undoable action:
   * one durable journal write. Actions that change intents run inside `store.exclusive`.
   */
  async apply(changes: readonly LabelChange[], source: LabelSource, extra?: { intents?: readonly IntentChange[]; clusters?: StoreAction['clusters'] }): Promise<LabelResult> {
    const store = this.session.store;
    const actionId = this.session.actions.newId();
    const intents = extra?.intents ?? [];
    const { events, labels: after } = await store.commitAction({ labels: changes, intents, clusters: extra?.clusters ?? [] }, { annotator: this.session.annotator, source, actionId });
    this.session.actions.record(actionId, { events, ...(intents.length > 0 ? { intents } : {}) });
    if (intents.length > 0) this.session.events.emit('onDidChangeIntents', {});
    if (events.length > 0) this.session.events.emit('onDidChangeLabels', { count: events.length });
    const labels = after.filter((l): l is NonNullable<typeof l> => l !== null);
    return { actionId, changed: events.length, labels };
  }

  private requireUtterance(id: string): number {
    const idx = this.session.store.calls.findUtterance(id);
    if (idx === undefined) throw new ContractError('not_found', sentence('no_utterance', { id }), { field: 'utteranceId' });
    return idx;
  }

  private checkTarget(target: LabelTarget | null): LabelTarget | null {
    if (target?.kind !== 'intent') return target;
    const intent = this.session.requireIntent(target.intentId);
    if (intent.status === 'deprecated') {
      throw new ContractError('invalid_argument', sentence('intent_deprecated', { name: intent.name }), { field: 'target.intentId' });
    }
    return target;
  }
}

/** Intent ids some label uses once `pending` label changes are made. */
function intentsInUse(store: WorkspaceStore, pending: readonly LabelChange[]): Set<string> {
  const override = new Map(pending.map((c) => [c.utterance, c.target]));
  const used = new Set<string>(store.labels.orphanIntentIds());
  const rows = store.reads.labeledRows();
  rows.intentIds.forEach((id, row) => {
    if (id !== null && !override.has(rows.utterances[row]!)) used.add(id);
  });
  for (const t of override.values()) if (t?.kind === 'intent') used.add(t.intentId);
  return used;
}
