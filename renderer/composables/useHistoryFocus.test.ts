// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { effectScope, nextTick, shallowRef } from 'vue';
import type { QueueItem } from '../../shared/contract/dto';
import type { Decision } from './decisionHistory';
import { useHistoryFocus } from './useHistoryFocus';

const decision = (id: number) => ({ id, item: { id: `u${id}` } as QueueItem }) as Decision;
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

function setup(ids: number[]) {
  const recent = shallowRef<Decision[]>(ids.map(decision));
  const events: string[] = [];
  const scope = effectScope();
  const history = scope.run(() => useHistoryFocus({ recent: () => recent.value, focusList: () => events.push('focus'), onChange: () => events.push('change') }))!;
  return { recent, events, history, scope };
}

describe('useHistoryFocus', () => {
  it('enters on the newest, walks within the list, and leaves', async () => {
    const { history, events } = setup([5, 4, 3]);
    expect(history.enter()).toBe(true);
    await nextTick();
    expect(history.focusedId.value).toBe(5);
    expect(events).toEqual(['change', 'focus']);
    history.walk(1);
    history.walk(1);
    history.walk(1);
    expect(history.editing.value?.item.id).toBe('u3');
    history.walk(-1);
    expect(history.focusedId.value).toBe(4);
    history.leave();
    expect(history.focusedId.value).toBeNull();
    expect(history.editing.value).toBeUndefined();
  });

  it('has nothing to enter in an empty history', () => {
    const { history } = setup([]);
    expect(history.enter()).toBe(false);
    expect(history.focusedId.value).toBeNull();
  });

  it('opens a collapsed sidebar when the keyboard enters it', () => {
    const { history } = setup([1]);
    history.collapsed.value = true;
    history.enter();
    expect(history.collapsed.value).toBe(false);
  });

  it('lists a new decision one frame late outside history mode, at once inside it', async () => {
    const { history, recent } = setup([1]);
    recent.value = [decision(2), decision(1)];
    await nextTick();
    expect(history.entries.value.map((d) => d.id)).toEqual([1]);
    await frame();
    expect(history.entries.value.map((d) => d.id)).toEqual([2, 1]);
    history.enter();
    recent.value = [decision(3), decision(2), decision(1)];
    await nextTick();
    expect(history.entries.value.map((d) => d.id)).toEqual([3, 2, 1]);
  });

  it('moves the keyboard to the newest decision left when the focused one is undone, and out when none is left', async () => {
    const { history, recent } = setup([3, 2, 1]);
    history.enter(3);
    recent.value = [decision(2), decision(1)];
    await nextTick();
    expect(history.focusedId.value).toBe(2);
    recent.value = [];
    await nextTick();
    expect(history.focusedId.value).toBeNull();
  });
});
