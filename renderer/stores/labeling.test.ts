// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallDetail, QueueItem } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import type { Label, LabelTarget } from '../../shared/domain/types';
import { serve, setOnline } from '../api/fakeApi';
import type { FakeHandlers } from '../api/fakeTransport';
import { useLabelingStore } from './labeling';
import { useConnectionStore } from './connection';
import { useNoticeStore } from './notices';
import { makeQueueItem } from './testQueueItems';

// The stores reach the services through renderer/api; here that is the real typed client over a fake transport.
vi.mock('../api', () => import('../api/fakeApi'));

/** A small in-memory labeling backend: `count` unlabeled utterances, one per call. */
function backend(count: number) {
  const labels = new Map<string, Label>();
  const actions = new Map<string, string>();
  const items: QueueItem[] = Array.from({ length: count }, (_, i) => makeQueueItem(i, { botPrompt: 'hello?', campaign: 'test', startedAt: i }));
  let nextAction = 1;
  const handlers: FakeHandlers = {
    'queue.getPage': ({ skip = [], limit = 50 }) => {
      const open = items.filter((item) => !labels.has(item.id) && !skip.includes(item.id));
      return { total: open.length, offset: 0, items: open.slice(0, limit) };
    },
    'call.getCall': ({ callId }): CallDetail => ({
      id: callId,
      startedAt: 0,
      campaign: 'test',
      turns: [
        { speaker: 'bot', text: 'hello?' },
        { speaker: 'user', text: `utterance ${callId.slice(1)}` },
      ],
      labels: Object.fromEntries([...labels.values()].filter((l) => l.utteranceId.startsWith(`${callId}#`)).map((l) => [1, l])),
    }),
    'label.setLabel': ({ utteranceId, target, source = 'manual' }) => {
      const label: Label = { utteranceId, target: target!, annotator: 'tester', at: 1000, source };
      labels.set(utteranceId, label);
      const actionId = `a${nextAction++}`;
      actions.set(actionId, utteranceId);
      return { actionId, changed: 1, labels: [label] };
    },
    'label.undoAction': ({ actionId }) => {
      const utteranceId = actions.get(actionId);
      if (!utteranceId) throw new ContractError('not_found', `No action ${actionId}.`);
      labels.delete(utteranceId);
      return { actionId, reverted: [utteranceId], skipped: [] };
    },
  };
  return { labels, handlers };
}

/** A labeling session on the Unlabeled queue of a fresh `backend(count)` (its handlers changed by `override`). */
async function startedOn(count: number, override: Partial<FakeHandlers> = {}) {
  const server = backend(count);
  serve({ ...server.handlers, ...override });
  const store = useLabelingStore();
  await store.start('unlabeled');
  return { server, store };
}

/** Waits until every save the store started has settled. */
async function saved(store: ReturnType<typeof useLabelingStore>): Promise<void> {
  await vi.waitFor(() => expect(store.pending).toBe(0));
}

beforeEach(() => {
  setActivePinia(createPinia());
  setOnline(true);
});

describe('the labeling store', () => {
  it('labels the current item and moves to the next at once, saving behind, then says saved', async () => {
    const { server, store } = await startedOn(5);
    expect(store.current?.id).toBe('c0#1');
    expect(store.saveState).toBe('idle');

    const labeled = store.label({ kind: 'intent', intentId: 'confirm' });
    expect(labeled?.id).toBe('c0#1');
    expect(store.current?.id).toBe('c1#1');
    expect(store.saveState).toBe('saving');
    await saved(store);
    expect(store.saveState).toBe('saved');
    expect(store.sessionDone).toBe(1);
    expect(server.labels.get('c0#1')).toMatchObject({ target: { kind: 'intent', intentId: 'confirm' }, source: 'manual' });
  });

  it('puts an item whose save failed back in front, counts the failure and shows the error once', async () => {
    const { server, store } = await startedOn(3, { 'label.setLabel': () => Promise.reject(new ContractError('io', 'The disk is full.')) });
    store.label({ kind: 'none' });
    expect(store.current?.id).toBe('c1#1');
    await saved(store);
    expect(store.current?.id).toBe('c0#1');
    expect(store.saveState).toBe('failed');
    expect(store.sessionDone).toBe(0);
    expect(useNoticeStore().queue.map((n) => [n.kind, n.text])).toEqual([['error', 'The disk is full.']]);
    expect(server.labels.size).toBe(0);
  });

  it('undoes the last label: the item comes back as the current one and the label is gone', async () => {
    const { server, store } = await startedOn(4);
    store.label({ kind: 'intent', intentId: 'a' });
    store.label({ kind: 'intent', intentId: 'b' });
    await saved(store);
    expect(store.canUndo()).toBe(true);
    const back = await store.undo();
    expect(back?.id).toBe('c1#1');
    expect(store.current?.id).toBe('c1#1');
    expect([...server.labels.keys()]).toEqual(['c0#1']);
    expect(store.sessionDone).toBe(1);
    await store.undo();
    expect(store.current?.id).toBe('c0#1');
    expect(server.labels.size).toBe(0);
    expect(store.canUndo()).toBe(false);
    expect(await store.undo()).toBeNull();
  });

  it('refuses labels while the server is gone, without moving or saving, and nudges the banner', async () => {
    const { server, store } = await startedOn(3);
    const connection = useConnectionStore();
    setOnline(false);
    expect(connection.online).toBe(false);
    expect(store.label({ kind: 'none' })).toBeUndefined();
    expect(store.current?.id).toBe('c0#1');
    expect(connection.nudges).toBe(1);
    expect(server.labels.size).toBe(0);
  });

  it('skips an item for the session and is empty once everything is labeled', async () => {
    const { server, store } = await startedOn(2);
    store.skip();
    expect(store.current?.id).toBe('c1#1');
    store.label({ kind: 'badTranscript' });
    await saved(store);
    await vi.waitFor(() => expect(store.isEmpty).toBe(true));
    expect([...server.labels.keys()]).toEqual(['c1#1']);
  });

  it('prefetches the calls of the next items, and patches a saved label into the call shown', async () => {
    const { store } = await startedOn(3);
    await vi.waitFor(() => expect(store.calls.size).toBe(3));
    store.label({ kind: 'intent', intentId: 'x' });
    await saved(store);
    expect(store.calls.get('c0')?.labels[1]).toMatchObject({ target: { kind: 'intent', intentId: 'x' }, annotator: 'tester' });
  });
});

/** A server stand-in for the decision history: an unlabeled queue, labels by utterance, and every call in order. */
const stub = {
  items: [] as QueueItem[],
  labels: new Map<string, LabelTarget | null>(),
  actions: new Map<string, { utteranceId: string; before: LabelTarget | null; after: LabelTarget | null }>(),
  calls: [] as string[],
  failNext: 0,
  /** While set, saves wait for it (`holdSaves`). */
  hold: null as Promise<void> | null,
  next: 0,
};

/** The stand-in's answers, through the same fake transport and typed client as the tests above. */
function stubHandlers(): FakeHandlers {
  return {
    'queue.getPage': (arg) => {
      const skip = new Set(arg.skip ?? []);
      const rest = stub.items.filter((i) => !skip.has(i.id) && !stub.labels.get(i.id));
      return { total: rest.length, offset: 0, items: rest.slice(0, arg.limit ?? 50) };
    },
    'call.getCall': (arg) => ({ id: arg.callId, labels: {} }) as unknown as CallDetail,
    'label.setLabel': async (arg) => {
      const target = arg.target ?? null;
      stub.calls.push(`set ${arg.utteranceId} ${target?.kind === 'intent' ? target.intentId : target?.kind}`);
      if (stub.hold) await stub.hold;
      if (stub.failNext > 0) {
        stub.failNext -= 1;
        throw new Error('disk full');
      }
      const actionId = `a${++stub.next}`;
      stub.actions.set(actionId, { utteranceId: arg.utteranceId, before: stub.labels.get(arg.utteranceId) ?? null, after: target });
      stub.labels.set(arg.utteranceId, target);
      return { actionId, changed: 1, labels: [] };
    },
    'label.undoAction': (arg) => {
      stub.calls.push(`undo ${arg.actionId}`);
      const action = stub.actions.get(arg.actionId)!;
      stub.labels.set(action.utteranceId, action.before);
      return { actionId: arg.actionId, reverted: [action.utteranceId], skipped: [] };
    },
    'label.keepLabel': (arg) => {
      stub.calls.push(`keep ${arg.utteranceId}`);
      return { actionId: 'k', changed: 0, labels: [] };
    },
  };
}

const item = (n: number): QueueItem => makeQueueItem(n, { id: `u${n}` });

const intent = (intentId: string): LabelTarget => ({ kind: 'intent', intentId });
/** Lets every pending promise chain run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** A fresh stand-in with 40 unlabeled items, served through the fake transport. */
function resetStub(): void {
  stub.items = Array.from({ length: 40 }, (_, i) => item(i + 1));
  stub.labels.clear();
  stub.actions.clear();
  stub.calls = [];
  stub.failNext = 0;
  stub.hold = null;
  stub.next = 0;
  serve(stubHandlers());
}

async function labelFive() {
  const labeling = useLabelingStore();
  await labeling.start('unlabeled');
  for (const n of [1, 2, 3, 4, 5]) labeling.label(intent(`i${n}`));
  await settle();
  return labeling;
}

/** Holds the stub's saves (they wait in `label.setLabel`) until the returned function lets them go. */
function holdSaves(): () => void {
  let release!: () => void;
  stub.hold = new Promise<void>((r) => (release = r));
  return () => {
    release();
    stub.hold = null;
  };
}

describe('the decision history of a labeling session', () => {
  beforeEach(resetStub);

  it('lists the labels newest first, saving until the server has them, then saved', async () => {
    const labeling = useLabelingStore();
    await labeling.start('unlabeled');
    const release = holdSaves();
    labeling.label(intent('i1'));
    labeling.label({ kind: 'none' });
    expect(labeling.recent.map((d) => [d.item.id, d.state])).toEqual([
      ['u2', 'saving'],
      ['u1', 'saving'],
    ]);
    release();
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
    expect(stub.labels.get('u3')).toEqual(intent('fixed'));
    expect(labeling.recent[2]).toMatchObject({ target: intent('fixed'), relabels: 1, state: 'saved' });
    expect(labeling.current?.id).toBe('u6');
    expect(labeling.buffer.items.map((i) => i.id)).toEqual(upcoming);
    // A re-label is a correction, not another item done.
    expect(labeling.sessionDone).toBe(5);

    await labeling.undo();
    await labeling.undo();
    expect(stub.calls.slice(-2)).toEqual(['undo a5', 'undo a4']);
    expect(stub.labels.get('u5')).toBeNull();
    expect(stub.labels.get('u4')).toBeNull();
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
    expect(stub.calls.slice(-2)).toEqual(['set u5 second', 'set u5 third']);
    await labeling.undo();
    expect(stub.calls.slice(-3)).toEqual(['undo a7', 'undo a6', 'undo a5']);
    expect(stub.labels.get('u5')).toBeNull();
    expect(labeling.current?.id).toBe('u5');
  });

  it('sends a re-label only after the label it changes reached the server', async () => {
    const labeling = useLabelingStore();
    await labeling.start('unlabeled');
    const release = holdSaves();
    labeling.label(intent('first'));
    labeling.relabel(labeling.recent[0]!.id, intent('second'));
    await settle();
    expect(stub.calls).toEqual(['set u1 first']);
    release();
    await settle();
    expect(stub.calls).toEqual(['set u1 first', 'set u1 second']);
    expect(stub.labels.get('u1')).toEqual(intent('second'));
  });

  it('shows a failed save as failed, puts the item back, and neither undoes nor re-labels it', async () => {
    const labeling = await labelFive();
    stub.failNext = 1;
    labeling.label(intent('lost'));
    await settle();
    const failed = labeling.recent[0]!;
    expect(failed).toMatchObject({ state: 'failed', returned: true });
    expect(labeling.current?.id).toBe('u6');
    expect(labeling.sessionDone).toBe(5);
    expect(labeling.relabel(failed.id, intent('other'))).toBe(false);
    // Undo skips it and takes back the newest real decision.
    await labeling.undo();
    expect(stub.calls.at(-1)).toBe('undo a5');
    expect(labeling.current?.id).toBe('u5');
    // Deciding the failed item again drops the failed entry.
    labeling.label(intent('again'));
    labeling.label(intent('again'));
    await settle();
    expect(labeling.recent.filter((d) => d.item.id === 'u6').map((d) => d.state)).toEqual(['saved']);
  });

  it('marks a failed re-label as failed, not saved', async () => {
    const labeling = await labelFive();
    stub.failNext = 1;
    labeling.relabel(labeling.recent[1]!.id, intent('nope'));
    await settle();
    expect(labeling.recent[1]).toMatchObject({ state: 'failed', returned: false, target: intent('nope') });
    expect(stub.labels.get('u4')).toEqual(intent('i4'));
    // Trying again saves it.
    expect(labeling.relabel(labeling.recent[1]!.id, intent('nope'))).toBe(true);
    await settle();
    expect(labeling.recent[1]!.state).toBe('saved');
    expect(stub.labels.get('u4')).toEqual(intent('nope'));
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
    expect(stub.labels.get('u2')).toEqual({ kind: 'badTranscript' });
    expect(labeling.sessionDone).toBe(2);
    expect(labeling.current?.id).toBe('u3');

    labeling.skip();
    const calls = stub.calls.length;
    await labeling.undo();
    expect(stub.calls.length).toBe(calls);
    expect(labeling.current?.id).toBe('u3');
    expect(labeling.recent.map((d) => d.item.id)).toEqual(['u2', 'u1']);
  });

  it('lists a kept label in a review queue, re-labels it, and undo brings the item back', async () => {
    stub.items = stub.items.map((i) => ({ ...i, label: { utteranceId: i.id, target: intent('old'), annotator: 'a', at: 1, source: 'manual' } }));
    const labeling = useLabelingStore();
    await labeling.start('mislabeled');
    labeling.keep();
    labeling.keep();
    await settle();
    expect(stub.calls).toEqual(['keep u1', 'keep u2']);
    expect(labeling.recent.map((d) => [d.item.id, d.kind, d.target, d.state])).toEqual([
      ['u2', 'keep', intent('old'), 'saved'],
      ['u1', 'keep', intent('old'), 'saved'],
    ]);
    expect(labeling.sessionDone).toBe(2);
    labeling.relabel(labeling.recent[1]!.id, intent('new'));
    await settle();
    expect(stub.labels.get('u1')).toEqual(intent('new'));
    expect(labeling.recent[1]).toMatchObject({ kind: 'label', target: intent('new'), state: 'saved' });
    // The keep cannot be undone on the server: undo only brings the item back to decide again.
    await labeling.undo();
    expect(stub.calls.at(-1)).toBe('set u1 new');
    expect(labeling.current?.id).toBe('u2');
    expect(labeling.sessionDone).toBe(1);
    // The re-labeled keep is undone as a label: the re-label goes back.
    await labeling.undo();
    expect(stub.calls.at(-1)).toBe('undo a1');
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
