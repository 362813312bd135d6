import { describe, expect, it } from 'vitest';
import { IdSet } from './idSet';

describe('IdSet', () => {
  it('finds exactly the ids added, across growth', () => {
    const set = new IdSet();
    for (let i = 0; i < 200_000; i += 2) set.add(`call-${i}`);
    expect(set.size).toBe(100_000);
    let wrong = 0;
    for (let i = 0; i < 200_000; i++) if (set.has(`call-${i}`) !== (i % 2 === 0)) wrong++;
    expect(wrong).toBe(0);
    set.add('call-0');
    expect(set.size).toBe(100_000);
    expect(set.has('')).toBe(false);
    set.add('');
    expect(set.has('')).toBe(true);
  });
});
