// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallDetail, QueueItem } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import type { Label } from '../../shared/domain/types';
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
    const server = backend(5);
    serve(server.handlers);
    const store = useLabelingStore();
    await store.start('unlabeled');
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
    const server = backend(3);
    serve({ ...server.handlers, 'label.setLabel': () => Promise.reject(new ContractError('io', 'The disk is full.')) });
    const store = useLabelingStore();
    await store.start('unlabeled');
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
    const server = backend(4);
    serve(server.handlers);
    const store = useLabelingStore();
    await store.start('unlabeled');
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
    const server = backend(3);
    serve(server.handlers);
    const store = useLabelingStore();
    await store.start('unlabeled');
    const connection = useConnectionStore();
    setOnline(false);
    expect(connection.online).toBe(false);
    expect(store.label({ kind: 'none' })).toBeUndefined();
    expect(store.current?.id).toBe('c0#1');
    expect(connection.nudges).toBe(1);
    expect(server.labels.size).toBe(0);
  });

  it('skips an item for the session and is empty once everything is labeled', async () => {
    const server = backend(2);
    serve(server.handlers);
    const store = useLabelingStore();
    await store.start('unlabeled');
    store.skip();
    expect(store.current?.id).toBe('c1#1');
    store.label({ kind: 'badTranscript' });
    await saved(store);
    await vi.waitFor(() => expect(store.isEmpty).toBe(true));
    expect([...server.labels.keys()]).toEqual(['c1#1']);
  });

  it('prefetches the calls of the next items, and patches a saved label into the call shown', async () => {
    const server = backend(3);
    serve(server.handlers);
    const store = useLabelingStore();
    await store.start('unlabeled');
    await vi.waitFor(() => expect(store.calls.size).toBe(3));
    store.label({ kind: 'intent', intentId: 'x' });
    await saved(store);
    expect(store.calls.get('c0')?.labels[1]).toMatchObject({ target: { kind: 'intent', intentId: 'x' }, annotator: 'tester' });
  });
});
