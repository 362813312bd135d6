import { describe, expect, it } from 'vitest';
import { withTicked } from './tickSet';

describe('withTicked', () => {
  it('adds or removes one item in a new set, leaving the given one as it was', () => {
    const before = new Set(['a', 'b']);
    const added = withTicked(before, 'c', true);
    const removed = withTicked(before, 'a', false);
    expect([...added]).toEqual(['a', 'b', 'c']);
    expect([...removed]).toEqual(['b']);
    expect([...withTicked(before, 'b', true)]).toEqual(['a', 'b']);
    expect([...withTicked(before, 'z', false)]).toEqual(['a', 'b']);
    expect([...before]).toEqual(['a', 'b']);
    expect(added).not.toBe(before);
  });
});
