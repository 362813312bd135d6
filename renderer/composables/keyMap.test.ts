import { describe, expect, it } from 'vitest';
import type { RankableIntent } from './intentSearch';
import { freezeKeyMap, moveSlot, padSlots, setSlot } from './keyMap';

const intent = (id: string, labeled: number, status: RankableIntent['status'] = 'active'): RankableIntent => ({
  id,
  name: id,
  description: '',
  examples: [],
  status,
  createdAt: 0,
  updatedAt: 0,
  labeled,
});

describe('freezeKeyMap', () => {
  it('binds 1–9 to the most used intents at the start, leaving no deprecated one', () => {
    const intents = [intent('a', 5), intent('b', 50), intent('c', 20), intent('old', 99, 'deprecated'), ...Array.from({ length: 10 }, (_, i) => intent(`x${i}`, 0))];
    expect(freezeKeyMap(intents)).toEqual(['b', 'c', 'a', 'x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
  });

  it('keeps every key where it was when usage changes, and refills only a key whose intent went away', () => {
    const start = freezeKeyMap([intent('a', 3), intent('b', 2), intent('c', 1), intent('d', 0)]);
    expect(start).toEqual(['a', 'b', 'c', 'd', null, null, null, null, null]);
    // An hour later d is the most used, b was merged away and e was created.
    const later = freezeKeyMap([intent('a', 3), intent('c', 1), intent('d', 90), intent('e', 0)], start);
    expect(later).toEqual(['a', 'e', 'c', 'd', null, null, null, null, null]);
  });
});

describe('editing a key map to pin', () => {
  it('sets a key, taking the intent off the key it held', () => {
    expect(setSlot(['a', 'b'], 3, 'a')).toEqual([null, 'b', null, 'a', null, null, null, null, null]);
    expect(setSlot(['a', 'b'], 1, null)).toEqual(['a', null, null, null, null, null, null, null, null]);
  });

  it('moves a key up or down, and not past either end', () => {
    expect(moveSlot(['a', 'b', 'c'], 2, -1).slice(0, 3)).toEqual(['a', 'c', 'b']);
    expect(moveSlot(['a', 'b', 'c'], 0, 1).slice(0, 3)).toEqual(['b', 'a', 'c']);
    expect(moveSlot(['a', 'b', 'c'], 0, -1).slice(0, 3)).toEqual(['a', 'b', 'c']);
    expect(moveSlot(padSlots(['a']), 8, 1)).toEqual(padSlots(['a']));
  });
});
