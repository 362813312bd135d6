import { describe, expect, it } from 'vitest';
import type { StoredCluster } from './clusterBook';
import { clustersBefore, UndoStack, type UndoEntry } from './undoStack';

const cluster = (id: string, status: StoredCluster['status'] = 'open'): StoredCluster => ({
  id,
  members: [`${id}#1`],
  similarity: [1],
  lowConfidence: [0],
  duplicates: [1],
  cohesion: 1,
  representatives: [],
  outliers: [],
  nearestIntents: [],
  keywords: [],
  suggestedName: id,
  status,
  intentId: null,
  splitFrom: null,
});

const entry = (clusterId: string, before: StoredCluster[], added: string[] = []): UndoEntry => ({ kind: added.length ? 'split' : 'dismiss', clusterId, before, added, labelActionId: null, createdIntentId: null });

describe('UndoStack', () => {
  it('keeps the newest actions up to its depth, newest on top', () => {
    const stack = new UndoStack(2);
    stack.push(entry('c1', []));
    stack.push(entry('c2', []));
    stack.push(entry('c3', []));
    expect(stack.peek()?.clusterId).toBe('c3');
    stack.pop();
    expect(stack.peek()?.clusterId).toBe('c2');
    stack.pop();
    expect(stack.peek()).toBeUndefined();
  });

  it('puts changed clusters back and replaces the children of a split by their parent, once', () => {
    const parent = cluster('c1');
    const now = [cluster('c0'), cluster('c1.1'), cluster('c1.2'), cluster('c2', 'dismissed')];
    expect(clustersBefore(now, entry('c1', [parent], ['c1.1', 'c1.2'])).map((c) => c.id)).toEqual(['c0', 'c1', 'c2']);
    const undismissed = clustersBefore(now, entry('c2', [cluster('c2')]));
    expect(undismissed.map((c) => `${c.id}:${c.status}`)).toEqual(['c0:open', 'c1.1:open', 'c1.2:open', 'c2:open']);
  });
});
