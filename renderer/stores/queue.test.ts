// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueId, QueueItem, QueueSummary } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { serve, transport } from '../api/fakeApi';
import { useNoticeStore } from './notices';
import { useQueueStore } from './queue';

vi.mock('../api', () => import('../api/fakeApi'));

function item(queue: QueueId, i: number): QueueItem {
  return { id: `${queue}-${i}#1`, callId: `${queue}-${i}`, turnIndex: 1, text: `${queue} ${i}`, predictedIntent: null, predictedConfidence: null, asrConfidence: null, label: null, botPrompt: null, campaign: 'c', startedAt: i };
}

const summaries: readonly QueueSummary[] = [
  { id: 'unlabeled', count: 250, ready: true },
  { id: 'recent', count: 3, ready: true },
  { id: 'mislabeled', count: 0, ready: false },
];

beforeEach(() => {
  setActivePinia(createPinia());
  serve({
    'queue.listQueues': () => summaries,
    'label.getProgress': () => ({ annotator: 'tester', labeledTotal: 3, unlabeled: 250, lastHour: 3 }),
    'queue.getPage': ({ queue, offset = 0, limit = 50 }) => {
      const total = summaries.find((s) => s.id === queue)?.count ?? 0;
      const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, k) => item(queue, offset + k));
      return { total, offset, items };
    },
  });
});

describe('the queue store', () => {
  it('loads the queue counts and progress; a model queue is not ready before a model exists, others are', async () => {
    const store = useQueueStore();
    await store.refresh();
    expect(store.countOf('unlabeled')).toBe(250);
    expect(store.countOf('informative')).toBe(0);
    expect(store.isReady('mislabeled')).toBe(false);
    expect(store.isReady('unlabeled')).toBe(true);
    // A queue the service did not list is taken as ready (nothing to wait for).
    expect(store.isReady('disagreements')).toBe(true);
    expect(store.progress).toMatchObject({ annotator: 'tester', lastHour: 3 });
  });

  it('selects a queue and pages its list from the service', async () => {
    const store = useQueueStore();
    await store.select('recent');
    expect(store.selected).toBe('recent');
    expect(transport.calls.filter((c) => c.method === 'queue.getPage').map((c) => (c.arg as { queue: string }).queue)).toEqual(['recent']);
    await store.select('unlabeled');
    await store.ensureRange(180, 220);
    const asked = transport.calls.filter((c) => c.method === 'queue.getPage' && (c.arg as { queue: string }).queue === 'unlabeled').map((c) => (c.arg as { offset: number }).offset);
    expect(asked).toEqual([0, 100, 200]);
    expect(store.list.total).toBe(250);
    expect(store.list.at(205)?.id).toBe('unlabeled-205#1');
    expect(store.list.at(249)?.id).toBe('unlabeled-249#1');
  });

  it('shows a failed refresh as one error notice and keeps what it had', async () => {
    const store = useQueueStore();
    await store.refresh();
    serve({ 'queue.listQueues': () => Promise.reject(new ContractError('io', 'Cannot read the workspace.')), 'label.getProgress': () => ({ annotator: 'tester', labeledTotal: 0, unlabeled: 0, lastHour: 0 }) });
    await store.refresh();
    expect(store.countOf('unlabeled')).toBe(250);
    expect(useNoticeStore().queue.map((n) => n.text)).toEqual(['Cannot read the workspace.']);
  });
});
