import { describe, expect, it } from 'vitest';
import { readHistoryCollapsed, writeHistoryCollapsed } from './historyPanel';

function memory(): Pick<Storage, 'getItem' | 'setItem'> {
  const values = new Map<string, string>();
  return { getItem: (k) => values.get(k) ?? null, setItem: (k, v) => void values.set(k, v) };
}

describe('the history sidebar’s collapsed state', () => {
  it('is open the first time and remembers what the user chose', () => {
    const storage = memory();
    expect(readHistoryCollapsed(storage)).toBe(false);
    writeHistoryCollapsed(true, storage);
    expect(readHistoryCollapsed(storage)).toBe(true);
    writeHistoryCollapsed(false, storage);
    expect(readHistoryCollapsed(storage)).toBe(false);
  });

  it('works on when storage refuses', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(readHistoryCollapsed(refusing)).toBe(false);
    expect(() => writeHistoryCollapsed(true, refusing)).not.toThrow();
  });
});
