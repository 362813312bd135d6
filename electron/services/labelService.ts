import type { LabelProgress, LabelResult, UndoResult } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { LabelService } from '../../shared/contract/services';
import { sameTarget, type Intent, type LabelEvent, type LabelSource, type LabelTarget } from '../../shared/domain/types';
import type { LabelChange } from './store/workspaceStore';
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
    const action = this.session.actions.take(arg.actionId);
    if (!action) throw new ContractError('not_found', 'That action can no longer be undone (it is unknown or too old).', { field: 'actionId' });
    const store = this.session.store;
    const changes: LabelChange[] = [];
    const reverted: string[] = [];
    const skipped: string[] = [];
    for (let i = action.events.length - 1; i >= 0; i--) {
      const e = action.events[i]!;
      const utterance = store.calls.findUtterance(e.utteranceId);
      if (utterance === undefined || !sameTarget(store.labels.targetOf(utterance), e.after)) {
        skipped.push(e.utteranceId);
        continue;
      }
      changes.push({ utterance, target: e.before });
      reverted.push(e.utteranceId);
    }
    if (action.intentsBefore) {
      const intents = action.intentsBefore;
      await store.updateDoc((doc) => {
        doc.intents = intents.map((i) => ({ ...i }));
      });
      this.session.events.emit('onDidChangeIntents', {});
    }
    await store.applyLabelChanges(changes, { annotator: this.session.annotator, source: 'undo', actionId: this.session.actions.newId() });
    if (changes.length > 0) this.session.events.emit('onDidChangeLabels', { count: changes.length });
    return { actionId: arg.actionId, reverted, skipped };
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
      unlabeled: store.calls.utteranceCount - store.labels.labeledCount,
      lastHour: store.labels.countSince(annotator, Date.now() - HOUR),
    };
  }

  async keepLabel(arg: MethodArgs<'label.keepLabel'>): Promise<LabelResult> {
    const utterance = this.requireUtterance(arg.utteranceId);
    const store = this.session.store;
    if (!store.labels.isLabeled(utterance)) throw new ContractError('invalid_argument', 'Only a labeled utterance can be kept.', { field: 'utteranceId' });
    const actionId = this.session.actions.newId();
    const events = await store.keepLabels([utterance], { annotator: this.session.annotator, source: 'review', actionId });
    this.session.events.emit('onDidChangeLabels', { count: events.length });
    return { actionId, changed: 0, labels: [store.labels.labelOf(utterance)!] };
  }

  /** Applies changes as one recorded, undoable action. */
  async apply(changes: readonly LabelChange[], source: LabelSource, extra?: { intentsBefore?: Intent[] }): Promise<LabelResult> {
    const store = this.session.store;
    const actionId = this.session.actions.newId();
    const events = await store.applyLabelChanges(changes, { annotator: this.session.annotator, source, actionId });
    this.session.actions.record(actionId, { events, ...(extra?.intentsBefore ? { intentsBefore: extra.intentsBefore } : {}) });
    if (events.length > 0) this.session.events.emit('onDidChangeLabels', { count: events.length });
    const labels = changes
      .map((c) => store.labels.labelOf(c.utterance))
      .filter((l): l is NonNullable<typeof l> => l !== null);
    return { actionId, changed: events.length, labels };
  }

  private requireUtterance(id: string): number {
    const idx = this.session.store.calls.findUtterance(id);
    if (idx === undefined) throw new ContractError('not_found', `There is no utterance with id "${id}".`, { field: 'utteranceId' });
    return idx;
  }

  private checkTarget(target: LabelTarget | null): LabelTarget | null {
    if (target?.kind !== 'intent') return target;
    const intent = this.session.requireIntent(target.intentId);
    if (intent.status === 'deprecated') {
      throw new ContractError('invalid_argument', `Intent "${intent.name}" is deprecated; choose another intent.`, { field: 'target.intentId' });
    }
    return target;
  }
}
