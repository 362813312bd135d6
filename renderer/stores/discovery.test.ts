// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterMember, ClusterSummary, DiscoveryStatus } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { serve, transport } from '../api/fakeApi';
import type { FakeHandlers } from '../api/fakeTransport';
import { useDiscoveryStore } from './discovery';
import { useNoticeStore } from './notices';

vi.mock('../api', () => import('../api/fakeApi'));

function cluster(id: string, size: number): ClusterSummary {
  return {
    id,
    size,
    share: size / 100,
    calls: size,
    suggestedName: `topic_${id}`,
    keywords: [{ term: id, score: 1 }],
    cohesion: 0.8,
    lowConfidence: 0,
    representatives: [],
    outliers: [],
    atypical: 0,
    nearestIntents: [],
    status: 'open',
    intentId: null,
    splitFrom: null,
    questions: [],
  };
}

function member(clusterId: string, i: number): ClusterMember {
  return { utteranceId: `${clusterId}-${i}#1`, callId: `${clusterId}-${i}`, text: `${clusterId} ${i}`, similarity: 0.9, lowConfidence: false, count: 1, campaign: 'c', label: null };
}

/** A discovery service over three open clusters; accepting or dismissing one closes it, undo opens it again. */
function clustering(): { handlers: FakeHandlers; open: Set<string> } {
  const all = [cluster('a', 40), cluster('b', 25), cluster('c', 10)];
  const open = new Set(all.map((c) => c.id));
  let last: { kind: 'accept' | 'dismiss'; clusterId: string } | null = null;
  const status = (): DiscoveryStatus => ({ job: null, run: null, pool: 75, undo: last });
  const handlers: FakeHandlers = {
    'discovery.getStatus': status,
    'discovery.listQuestions': () => [{ key: 'node:offer_extension', node: 'offer_extension', prompt: '需要帮您申请延期吗？', count: 30, share: 0.4 }],
    'discovery.run': () => ({ jobId: 'j9', phase: 'preparing', progress: 0, startedAt: 1 }),
    'discovery.listClusters': ({ includeClosed }) => all.filter((c) => includeClosed || open.has(c.id)),
    'discovery.getMembers': ({ clusterId, offset = 0, limit = 50 }) => {
      const size = all.find((c) => c.id === clusterId)?.size ?? 0;
      return { total: size, offset, items: Array.from({ length: Math.max(0, Math.min(limit, size - offset)) }, (_, k) => member(clusterId, offset + k)) };
    },
    'discovery.acceptCluster': ({ clusterId }) => {
      if (!open.has(clusterId)) throw new ContractError('conflict', `Cluster ${clusterId} is closed.`);
      open.delete(clusterId);
      last = { kind: 'accept', clusterId };
      return { kind: 'accept', actionId: 'label-1', labeled: 3, intentId: 'new', clusters: all.filter((c) => open.has(c.id)) };
    },
    'discovery.dismissCluster': ({ clusterId }) => {
      open.delete(clusterId);
      last = { kind: 'dismiss', clusterId };
      return { kind: 'dismiss', actionId: null, labeled: 0, intentId: null, clusters: all.filter((c) => open.has(c.id)) };
    },
    'discovery.undo': () => {
      if (!last) throw new ContractError('conflict', 'Nothing to undo.');
      const { kind, clusterId } = last;
      open.add(clusterId);
      last = null;
      return { kind, clusterId, reverted: 3, clusters: all.filter((c) => open.has(c.id)) };
    },
  };
  return { handlers, open };
}

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('the discovery store', () => {
  it('loads the open clusters and the status; selecting a cluster pages its members', async () => {
    serve(clustering().handlers);
    const store = useDiscoveryStore();
    await store.load();
    expect(store.loaded).toBe(true);
    expect(store.clusters.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(store.maxShare).toBeCloseTo(0.4, 10);
    await store.select('a');
    expect(store.selected?.id).toBe('a');
    expect(store.membersTotal).toBe(40);
    expect(store.members).toHaveLength(40);
    expect(store.canUndo).toBe(false);
  });

  it('accepts a cluster: it leaves the list, the selection moves on, and undo brings it back selected', async () => {
    const service = clustering();
    serve(service.handlers);
    const store = useDiscoveryStore();
    await store.load();
    await store.select('a');
    store.includeAtypical = true;
    const result = await store.accept('a', 'new_topic', 'what it is');
    expect(result).toMatchObject({ kind: 'accept', labeled: 3 });
    expect(transport.calls.find((c) => c.method === 'discovery.acceptCluster')?.arg).toEqual({ clusterId: 'a', name: 'new_topic', description: 'what it is', includeAtypical: true });
    expect(store.clusters.map((c) => c.id)).toEqual(['b', 'c']);
    expect(store.selectedId).not.toBe('a');
    expect(store.busy).toBeNull();
    expect(store.canUndo).toBe(true);

    const undone = await store.undo();
    expect(undone).toMatchObject({ kind: 'accept', clusterId: 'a' });
    expect(service.open.has('a')).toBe(true);
    expect(store.clusters.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(store.selectedId).toBe('a');
    expect(store.canUndo).toBe(false);
  });

  it('undoes only the action asked about while it is still the last one', async () => {
    serve(clustering().handlers);
    const store = useDiscoveryStore();
    await store.load();
    await store.dismiss('c');
    await store.accept('b', 'x', '');
    expect(await store.undoIfLast('dismiss', 'c')).toBe('notLast');
    expect(store.clusters.map((c) => c.id)).toEqual(['a']);
    expect(await store.undoIfLast('accept', 'b')).toMatchObject({ kind: 'accept', clusterId: 'b' });
    expect(store.clusters.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('shows a refused action as one notice and changes nothing', async () => {
    const service = clustering();
    serve(service.handlers);
    const store = useDiscoveryStore();
    await store.load();
    service.open.delete('b');
    expect(await store.accept('b', 'x', '')).toBeNull();
    expect(useNoticeStore().queue.map((n) => n.text)).toEqual(['Cluster b is closed.']);
    expect(store.busy).toBeNull();
    expect(store.canUndo).toBe(false);
  });

  it('lists the questions of the pool and scopes the next run to the one chosen', async () => {
    serve(clustering().handlers);
    const store = useDiscoveryStore();
    await store.load();
    expect(store.questions.map((q) => [q.key, q.count])).toEqual([['node:offer_extension', 30]]);
    await store.run();
    store.scope = 'node:offer_extension';
    await store.run();
    expect(transport.calls.filter((c) => c.method === 'discovery.run').map((c) => c.arg)).toEqual([{}, { question: 'node:offer_extension' }]);
  });

  it('reloads status and clusters when a clustering job ends, and shows a failed one', async () => {
    serve(clustering().handlers);
    const store = useDiscoveryStore();
    store.onProgress({ jobId: 'j1', phase: 'clustering', progress: 0.5, startedAt: 1, state: 'running' });
    expect(transport.calls).toEqual([]);
    store.onProgress({ jobId: 'j1', phase: 'clustering', progress: 0.5, startedAt: 1, state: 'failed', message: 'The worker ran out of memory.' });
    await vi.waitFor(() => expect(store.loaded).toBe(true));
    // The first cluster of the new list is selected and its members loaded.
    await vi.waitFor(() => expect(store.members).toHaveLength(40));
    expect(store.selectedId).toBe('a');
    expect(transport.calls.map((c) => c.method).sort()).toEqual(['discovery.getMembers', 'discovery.getStatus', 'discovery.listClusters', 'discovery.listQuestions']);
    expect(useNoticeStore().queue.map((n) => [n.kind, n.text])).toEqual([['error', 'The worker ran out of memory.']]);
  });
});
