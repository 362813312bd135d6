import { describe, expect, it } from 'vitest';
import { measureAgo, nextSelection, resolveConflictKey } from './syncFormat';

describe('measureAgo', () => {
  const now = 1_700_000_000_000;
  it('says just now under a minute, also for clocks slightly ahead', () => {
    expect(measureAgo(now - 59_999, now)).toEqual({ unit: 'justNow' });
    expect(measureAgo(now + 5_000, now)).toEqual({ unit: 'justNow' });
  });
  it('counts whole minutes, hours and days', () => {
    expect(measureAgo(now - 5 * 60_000 - 30_000, now)).toEqual({ unit: 'minutes', n: 5 });
    expect(measureAgo(now - 59 * 60_000, now)).toEqual({ unit: 'minutes', n: 59 });
    expect(measureAgo(now - 60 * 60_000, now)).toEqual({ unit: 'hours', n: 1 });
    expect(measureAgo(now - 23 * 3_600_000 - 1, now)).toEqual({ unit: 'hours', n: 23 });
    expect(measureAgo(now - 3 * 86_400_000, now)).toEqual({ unit: 'days', n: 3 });
  });
});

describe('resolveConflictKey', () => {
  it('maps M, T and the arrows in either case', () => {
    expect(resolveConflictKey({ key: 'm' })).toBe('mine');
    expect(resolveConflictKey({ key: 'M' })).toBe('mine');
    expect(resolveConflictKey({ key: 'T' })).toBe('theirs');
    expect(resolveConflictKey({ key: 'ArrowDown' })).toBe('down');
    expect(resolveConflictKey({ key: 'ArrowUp' })).toBe('up');
  });
  it('leaves shortcuts with modifiers and other keys alone', () => {
    expect(resolveConflictKey({ key: 't', ctrlKey: true })).toBeNull();
    expect(resolveConflictKey({ key: 'm', metaKey: true })).toBeNull();
    expect(resolveConflictKey({ key: 'Escape' })).toBeNull();
    expect(resolveConflictKey({ key: '1' })).toBeNull();
  });
});

describe('nextSelection', () => {
  it('stays on the same index, clamped to the shorter list', () => {
    expect(nextSelection(2, 5)).toBe(2);
    expect(nextSelection(4, 4)).toBe(3);
    expect(nextSelection(-1, 3)).toBe(0);
    expect(nextSelection(0, 0)).toBe(-1);
  });
});
