import { describe, expect, it } from 'vitest';
import { resolveWatchKey } from './gateWatchKeys';

describe('resolveWatchKey', () => {
  it('maps R to rollback only while the watch offers one, outside fields and without modifiers', () => {
    expect(resolveWatchKey({ key: 'r', inField: false, rollbackOffered: true })).toBe('rollback');
    expect(resolveWatchKey({ key: 'R', inField: false, rollbackOffered: true })).toBe('rollback');
    expect(resolveWatchKey({ key: 'r', inField: false, rollbackOffered: false })).toBeNull();
    expect(resolveWatchKey({ key: 'r', inField: true, rollbackOffered: true })).toBeNull();
    expect(resolveWatchKey({ key: 'r', ctrlKey: true, inField: false, rollbackOffered: true })).toBeNull();
    expect(resolveWatchKey({ key: 'x', inField: false, rollbackOffered: true })).toBeNull();
  });
});
