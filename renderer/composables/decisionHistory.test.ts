import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/contract/dto';
import { actionsToUndo, canRelabel, DecisionHistory, stepIndex, type DecisionAction } from './decisionHistory';

const item = (n: number) => ({ id: `u${n}`, text: `utterance ${n}` }) as QueueItem;
const saved = (id: string | null): DecisionAction => ({ target: { kind: 'none' }, result: Promise.resolve(id) });

function add(history: DecisionHistory, n: number, action?: DecisionAction) {
  return history.add({ item: item(n), kind: action ? 'label' : 'skip', target: null, source: null, at: n, labeledAt: null, ...(action ? { action } : {}) });
}

describe('DecisionHistory', () => {
  it('lists the newest first, at most n, with ids in decision order', () => {
    const history = new DecisionHistory();
    for (let n = 1; n <= 5; n++) add(history, n, saved(`a${n}`));
    expect(history.newest(3).map((d) => d.item.id)).toEqual(['u5', 'u4', 'u3']);
    expect(history.newest(3).map((d) => d.id)).toEqual([5, 4, 3]);
    expect(history.newest().map((d) => d.state)).toEqual(['saving', 'saving', 'saving', 'saving', 'saving']);
  });

  it('starts a skip saved (nothing to save) and a label or keep saving', () => {
    const history = new DecisionHistory();
    expect(add(history, 1).state).toBe('saved');
    expect(add(history, 2, saved('a')).state).toBe('saving');
    expect(history.add({ item: item(3), kind: 'keep', target: null, source: 'review', at: 3, labeledAt: 3, saving: true }).state).toBe('saving');
  });

  it('evicts the oldest beyond its capacity', () => {
    const history = new DecisionHistory(3);
    for (let n = 1; n <= 5; n++) add(history, n);
    expect(history.entries.map((d) => d.item.id)).toEqual(['u3', 'u4', 'u5']);
  });

  it('undoes newest first, passing over decisions returned to the queue or being undone', () => {
    const history = new DecisionHistory();
    const a = add(history, 1, saved('a1'));
    const b = add(history, 2, saved('a2'));
    const c = add(history, 3, saved(null));
    c.returned = true;
    c.state = 'failed';
    expect(history.newestUndoable()?.id).toBe(b.id);
    b.state = 'undoing';
    expect(history.newestUndoable()?.id).toBe(a.id);
    history.remove(b.id);
    history.remove(a.id);
    expect(history.canUndo()).toBe(false);
    expect(history.entries.map((d) => d.id)).toEqual([c.id]);
  });

  it('drops a failed entry once its utterance is decided again', () => {
    const history = new DecisionHistory();
    const failed = add(history, 1, saved(null));
    failed.returned = true;
    add(history, 2);
    add(history, 1, saved('a'));
    expect(history.entries.map((d) => [d.item.id, d.returned])).toEqual([
      ['u2', false],
      ['u1', false],
    ]);
  });

  it('re-labels only decisions that stand', () => {
    expect(canRelabel({ returned: false, state: 'saved' })).toBe(true);
    expect(canRelabel({ returned: false, state: 'failed' })).toBe(true);
    expect(canRelabel({ returned: true, state: 'failed' })).toBe(false);
    expect(canRelabel({ returned: false, state: 'undoing' })).toBe(false);
  });
});

describe('actionsToUndo', () => {
  it('gives the saved actions newest first, leaving out failed saves', async () => {
    const ids = await actionsToUndo({ actions: [saved('label'), saved(null), saved('relabel')] });
    expect(ids.map((x) => x.actionId)).toEqual(['relabel', 'label']);
  });
});

describe('stepIndex', () => {
  it('walks within the list and stops at its ends', () => {
    expect(stepIndex(0, 1, 5)).toBe(1);
    expect(stepIndex(4, 1, 5)).toBe(4);
    expect(stepIndex(0, -1, 5)).toBe(0);
    expect(stepIndex(-1, 1, 5)).toBe(0);
    expect(stepIndex(0, 1, 0)).toBe(-1);
  });
});
