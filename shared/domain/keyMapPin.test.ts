import { describe, expect, it } from 'vitest';
import type { IntentStatus } from './types';
import { resolvePinnedSlots } from './keyMapPin';

const intent = (id: string, status: IntentStatus = 'active', mergedInto?: string) => ({ id, status, ...(mergedInto ? { mergedInto } : {}) });

describe('resolvePinnedSlots', () => {
  it('keeps live intents on their keys and pads to nine', () => {
    expect(resolvePinnedSlots(['a', null, 'b'], [intent('a'), intent('b')])).toEqual(['a', null, 'b', null, null, null, null, null, null]);
  });

  it('puts a merged intent’s target on its key, following chains of merges', () => {
    const intents = [intent('a', 'deprecated', 'b'), intent('b', 'deprecated', 'c'), intent('c')];
    expect(resolvePinnedSlots(['a'], intents).slice(0, 2)).toEqual(['c', null]);
  });

  it('empties the key of a deleted or deprecated intent, and of a merge loop', () => {
    const intents = [intent('gone', 'deprecated'), intent('x', 'deprecated', 'y'), intent('y', 'deprecated', 'x'), intent('ok')];
    expect(resolvePinnedSlots(['missing', 'gone', 'x', 'ok'], intents).slice(0, 4)).toEqual([null, null, null, 'ok']);
  });

  it('never puts one intent on two keys: a target pinned on its own key keeps it, else the first key wins', () => {
    const intents = [intent('a', 'deprecated', 'b'), intent('b'), intent('c', 'deprecated', 'd'), intent('e', 'deprecated', 'd'), intent('d', 'proposed')];
    expect(resolvePinnedSlots(['a', 'b', 'c', 'e'], intents).slice(0, 4)).toEqual([null, 'b', 'd', null]);
  });
});
