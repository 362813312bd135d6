// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallDetail, LabelResult, Page, QueueItem, UndoResult } from '../../shared/contract/dto';
import type { LabelTarget } from '../../shared/domain/types';
import { makeQueueItem } from './testQueueItems';

/** A server stand-in: an unlabeled queue, labels by utterance, and every call in order. */
const server = vi.hoisted(() => {
  const state = {
    items: [] as QueueItem[],
    labels: new Map<string, LabelTarget | null>(),
    actions: new Map<string, { utteranceId: string; before: LabelTarget | null; after: LabelTarget | null }>(),
    calls: [] as string[],
    failNext: 0,
    /** While set, saves wait for `release()`. */
    hold: null as Promise<void> | null,
    next: 0,
  };
  return state;
});

vi.mock('../api', () => {
  const connection = { state: () => 'online', on: () => () => undefined };
  const api = {
    queue: {
      async getPage(arg: { skip?: readonly string[]; limit: number }): Promise<Page<QueueItem>> {
        const skip = new Set(arg.skip ?? []);
        const rest = server.items.filter((i) => !skip.has(i.id) && !server.labels.get(i.id));
        return { total: rest.length, offset: 0, items: rest.slice(0, arg.limit) };
      },
    },
    call: {
      async getCall(arg: { callId: string }): Promise<CallDetail> {
        return { id: arg.callId, labels: {} } as unknown as CallDetail;
      },
    },
    label: {
      async setLabel(arg: { utteranceId: string; target: LabelTarget | null }): Promise<LabelResult> {
        server.calls.push(`set ${arg.utteranceId} ${arg.target?.kind === 'intent' ? arg.target.intentId : arg.target?.kind}`);
        if (server.hold) await server.hold;
        if (server.failNext > 0) {
          server.failNext -= 1;
          throw new Error('disk full');
        }
        const actionId = `a${++server.next}`;
        server.actions.set(actionId, { utteranceId: arg.utteranceId, before: server.labels.get(arg.utteranceId) ?? null, after: arg.target });
        server.labels.set(arg.utteranceId, arg.target);
        return { actionId, changed: 1, labels: [] };
      },
      async undoAction(arg: { actionId: string }): Promise<UndoResult> {
        server.calls.push(`undo ${arg.actionId}`);
        const action = server.actions.get(arg.actionId)!;
        server.labels.set(action.utteranceId, action.before);
        return { actionId: arg.actionId, reverted: [action.utteranceId], skipped: [] };
      },
      async keepLabel(arg: { utteranceId: string }): Promise<LabelResult> {
        server.calls.push(`keep ${arg.utteranceId}`);
        return { actionId: 'k', changed: 0, labels: [] };
      },
    },
  };
  return { api, connection, events: { on: () => () => undefined } };
});

const { useLabelingStore } = await import('./labeling');

const item = (n: number): QueueItem => makeQueueItem(n, { id: `u${n}` });

const intent = (intentId: string): LabelTarget => ({ kind: 'intent', intentId });
/** Lets every pending promise chain run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  setActivePinia(createPinia());
  server.items = Array.from({ length: 40 }, (_, i) => item(i + 1));
  server.labels.clear();
  server.actions.clear();
  server.calls = [];
  server.failNext = 0;
  server.hold = null;
  server.next = 0;
});

async function labelFive() {
  const labeling = useLabelingStore();
  await labeling.start('unlabeled');
  for (const n of [1, 2, 3, 4, 5]) labeling.label(intent(`i${n}`));
  await settle();
  return labeling;
}

describe('the decision history of a labeling session', () => {
  it('lists the labels newest first, saving until the server has them, then saved', async () => {
    const labeling = useLabelingStore();
    await labeling.start('unlabeled');
    let release!: () => void;
    server.hold = new Promise((r) => (release = r));
    labeling.label(intent('i1'));
    labeling.label({ kind: 'none' });
    expect(labeling.recent.map((d) => [d.item.id, d.state])).toEqual([
      ['u2', 'saving'],
      ['u1', 'saving'],
    ]);
    release();
    server.hold = null;
    await settle();
    expect(labeling.recent.map((d) => [d.item.id, d.kind, d.target?.kind, d.state])).toEqual([
      ['u2', 'label', 'none', 'saved'],
      ['u1', 'label', 'intent', 'saved'],
    ]);
  });

  it('re-labels the third-newest in place without moving the current item, then undo walks back the two newest', async () => {
    const labeling = await labelFive();
    expect(labeling.current?.id).toBe('u6');
    const upcoming = labeling.buffer.items.map((i) => i.id);
    const third = labeling.recent[2]!;
    expect(third.item.id).toBe('u3');

    expect(labeling.relabel(third.id, intent('fixed'))).toBe(true);
    expect(labeling.recent[2]!.state).toBe('saving');
    await settle();
    expect(server.labels.get('u3')).toEqual(intent('fixed'));
    expect(labeling.recent[2]).toMatchObject({ target: intent('fixed'), relabels: 1, state: 'saved' });
    expect(labeling.current?.id).toBe('u6');
    expect(labeling.buffer.items.map((i) => i.id)).toEqual(upcoming);
    // A re-label is a correction, not another item done.
    expect(labeling.sessionDone).toBe(5);

    await labeling.undo();
    await labeling.undo();
    expect(server.calls.slice(-2)).toEqual(['undo a5', 'undo a4']);
    expect(server.labels.get('u5')).toBeNull();
    expect(server.labels.get('u4')).toBeNull();
    expect(labeling.recent.map((d) => d.item.id)).toEqual(['u3', 'u2', 'u1']);
    expect(labeling.current?.id).toBe('u4');
    expect(labeling.buffer.items[1]?.id).toBe('u5');
    expect(labeling.sessionDone).toBe(3);
  });

  it('undoes a re-labeled decision by undoing the re-label first, then the label', async () => {
    const labeling = await labelFive();
    const newest = labeling.recent[0]!;
    labeling.relabel(newest.id, intent('second'));
    labeling.relabel(newest.id, intent('third'));
    await settle();
    expect(server.calls.slice(-2)).toEqual(['set u5 second', 'set u5 third']);
    await labeling.undo();
    expect(server.calls.slice(-3)).toEqual(['undo a7', 'undo a6', 'undo a5']);
    expect(server.labels.get('u5')).toBeNull();
    expect(labeling.current?.id).toBe('u5');
  });

  it('sends a re-label only after the label it changes reached the server', async () => {
    const labeling = useLabelingStore();
    await labeling.start('unlabeled');
    let release!: () => void;
    server.hold = new Promise((r) => (release = r));
    labeling.label(intent('first'));
    labeling.relabel(labeling.recent[0]!.id, intent('second'));
    await settle();
    expect(server.calls).toEqual(['set u1 first']);
    release();
    server.hold = null;
    await settle();
    expect(server.calls).toEqual(['set u1 first', 'set u1 second']);
    expect(server.labels.get('u1')).toEqual(intent('second'));
  });

  it('shows a failed save as failed, puts the item back, and neither undoes nor re-labels it', async () => {
    const labeling = await labelFive();
    server.failNext = 1;
    labeling.label(intent('lost'));
    await settle();
    const failed = labeling.recent[0]!;
    expect(failed).toMatchObject({ state: 'failed', returned: true });
    expect(labeling.current?.id).toBe('u6');
    expect(labeling.sessionDone).toBe(5);
    expect(labeling.relabel(failed.id, intent('other'))).toBe(false);
    // Undo skips it and takes back the newest real decision.
    await labeling.undo();
    expect(server.calls.at(-1)).toBe('undo a5');
    expect(labeling.current?.id).toBe('u5');
    // Deciding the failed item again drops the failed entry.
    labeling.label(intent('again'));
    labeling.label(intent('again'));
    await settle();
    expect(labeling.recent.filter((d) => d.item.id === 'u6').map((d) => d.state)).toEqual(['saved']);
  });

  it('marks a failed re-label as failed, not saved', async () => {
    const labeling = await labelFive();
    server.failNext = 1;
    labeling.relabel(labeling.recent[1]!.id, intent('nope'));
    await settle();
    expect(labeling.recent[1]).toMatchObject({ state: 'failed', returned: false, target: intent('nope') });
    expect(server.labels.get('u4')).toEqual(intent('i4'));
    // Trying again saves it.
    expect(labeling.relabel(labeling.recent[1]!.id, intent('nope'))).toBe(true);
    await settle();
    expect(labeling.recent[1]!.state).toBe('saved');
    expect(server.labels.get('u4')).toEqual(intent('nope'));
  });

  it('lists a skip, undoes it without the server, and counts it once re-labeled', async () => {
    const labeling = useLabelingStore();
    await labeling.start('unlabeled');
    labeling.label(intent('i1'));
    labeling.skip();
    await settle();
    expect(labeling.recent.map((d) => [d.item.id, d.kind, d.state])).toEqual([
      ['u2', 'skip', 'saved'],
      ['u1', 'label', 'saved'],
    ]);
    expect(labeling.sessionDone).toBe(1);
    labeling.relabel(labeling.recent[0]!.id, { kind: 'badTranscript' });
    await settle();
    expect(server.labels.get('u2')).toEqual({ kind: 'badTranscript' });
    expect(labeling.sessionDone).toBe(2);
    expect(labeling.current?.id).toBe('u3');

    labeling.skip();
    const calls = server.calls.length;
    await labeling.undo();
    expect(server.calls.length).toBe(calls);
    expect(labeling.current?.id).toBe('u3');
    expect(labeling.recent.map((d) => d.item.id)).toEqual(['u2', 'u1']);
  });

  it('lists a kept label in a review queue, re-labels it, and undo brings the item back', async () => {
    server.items = server.items.map((i) => ({ ...i, label: { utteranceId: i.id, target: intent('old'), annotator: 'a', at: 1, source: 'manual' } }));
    const labeling = useLabelingStore();
    await labeling.start('mislabeled');
    labeling.keep();
    labeling.keep();
    await settle();
    expect(server.calls).toEqual(['keep u1', 'keep u2']);
    expect(labeling.recent.map((d) => [d.item.id, d.kind, d.target, d.state])).toEqual([
      ['u2', 'keep', intent('old'), 'saved'],
      ['u1', 'keep', intent('old'), 'saved'],
    ]);
    expect(labeling.sessionDone).toBe(2);
    labeling.relabel(labeling.recent[1]!.id, intent('new'));
    await settle();
    expect(server.labels.get('u1')).toEqual(intent('new'));
    expect(labeling.recent[1]).toMatchObject({ kind: 'label', target: intent('new'), state: 'saved' });
    // The keep cannot be undone on the server: undo only brings the item back to decide again.
    await labeling.undo();
    expect(server.calls.at(-1)).toBe('set u1 new');
    expect(labeling.current?.id).toBe('u2');
    expect(labeling.sessionDone).toBe(1);
    // The re-labeled keep is undone as a label: the re-label goes back.
    await labeling.undo();
    expect(server.calls.at(-1)).toBe('undo a1');
    expect(labeling.current?.id).toBe('u1');
    expect(labeling.recent).toEqual([]);
  });

  it('keeps at most the newest twenty in the list while undo reaches further back', async () => {
    const labeling = useLabelingStore();
    await labeling.start('unlabeled');
    for (let n = 1; n <= 25; n++) labeling.label(intent(`i${n}`));
    await settle();
    expect(labeling.recent).toHaveLength(20);
    expect(labeling.recent[0]!.item.id).toBe('u25');
    expect(labeling.recent[19]!.item.id).toBe('u6');
    for (let n = 0; n < 22; n++) await labeling.undo();
    expect(labeling.recent.map((d) => d.item.id)).toEqual(['u3', 'u2', 'u1']);
    expect(labeling.current?.id).toBe('u4');
  });
});
