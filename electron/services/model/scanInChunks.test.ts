import { describe, expect, it } from 'vitest';
import { scanInChunks } from './scanInChunks';

describe('scanInChunks', () => {
  it('visits every row once, in order, in chunks', async () => {
    const seen: [number, number][] = [];
    await scanInChunks(10, (start, end) => void seen.push([start, end]), { chunk: 4 });
    expect(seen).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    await scanInChunks(0, () => seen.push([-1, -1]));
    expect(seen.length).toBe(3);
  });

  it('lets callbacks queued during the scan run before it ends', async () => {
    const events: string[] = [];
    const scan = scanInChunks(
      5,
      (start) => {
        events.push(`chunk ${start}`);
        if (start === 0) setImmediate(() => events.push('callback'));
      },
      { chunk: 1, budgetMs: 0 },
    );
    await scan;
    expect(events.indexOf('callback')).toBeGreaterThan(0);
    expect(events.indexOf('callback')).toBeLessThan(events.indexOf('chunk 4'));
    expect(events.filter((e) => e.startsWith('chunk')).length).toBe(5);
  });
});
