import { describe, expect, it } from 'vitest';
import type { Page, QueueItem } from '../../shared/contract/dto';
import { LabelingBuffer } from './labelingBuffer';
import { makeQueueItem } from '../stores/testQueueItems';

const item = (n: number): QueueItem => makeQueueItem(n, { botPrompt: 'prompt' });

/** An unlabeled queue over `n` items: labeling removes an item from it, like the real service. */
function queue(n: number) {
  const unlabeled = Array.from({ length: n }, (_, i) => item(i));
  const requests: { skip: readonly string[]; limit: number }[] = [];
  return {
    requests,
    label(id: string) {
      const at = unlabeled.findIndex((i) => i.id === id);
      if (at >= 0) unlabeled.splice(at, 1);
    },
    async fetch(skip: readonly string[], limit: number): Promise<Page<QueueItem>> {
      requests.push({ skip, limit });
      const s = new Set(skip);
      const rest = unlabeled.filter((i) => !s.has(i.id));
      return { total: rest.length, offset: 0, items: rest.slice(0, limit) };
    },
  };
}

describe('LabelingBuffer', () => {
  it('prefetches at least the low-water mark of items', async () => {
    const q = queue(100);
    const buffer = new LabelingBuffer((s, l) => q.fetch(s, l), { low: 10, batch: 12 });
    await buffer.refill();
    expect(buffer.items.length).toBe(12);
    expect(buffer.current?.id).toBe('c0#1');
  });

  it('never returns an item taken this session, even before its save lands', async () => {
    const q = queue(40);
    const buffer = new LabelingBuffer((s, l) => q.fetch(s, l), { low: 10, batch: 10 });
    await buffer.refill();
    const seen = new Set<string>();
    for (let k = 0; k < 25; k += 1) {
      const taken = buffer.take();
      expect(taken).toBeDefined();
      expect(seen.has(taken!.id)).toBe(false);
      seen.add(taken!.id);
      if (k % 2 === 0) q.label(taken!.id);
      await buffer.refill();
    }
    expect(buffer.items.every((i) => !seen.has(i.id))).toBe(true);
    expect(buffer.items.length).toBeGreaterThanOrEqual(10);
  });

  it('puts a restored item back in front and lets it be fetched again', async () => {
    const q = queue(30);
    const buffer = new LabelingBuffer((s, l) => q.fetch(s, l), { low: 5, batch: 10 });
    await buffer.refill();
    const first = buffer.take()!;
    expect(buffer.current?.id).toBe('c1#1');
    buffer.restore(first);
    expect(buffer.current?.id).toBe('c0#1');
    expect(buffer.items.filter((i) => i.id === first.id)).toHaveLength(1);
  });

  it('sends skipped items as skip and marks the queue exhausted at the end', async () => {
    const q = queue(3);
    const buffer = new LabelingBuffer((s, l) => q.fetch(s, l), { low: 10, batch: 10 });
    await buffer.refill();
    expect(buffer.exhausted).toBe(true);
    const skipped = buffer.skip()!;
    buffer.invalidate();
    await buffer.refill();
    expect(q.requests.at(-1)?.skip).toContain(skipped.id);
    expect(buffer.items.map((i) => i.id)).toEqual(['c1#1', 'c2#1']);
    expect(buffer.skippedIds).toEqual([skipped.id]);
  });

  it('shares one fetch between concurrent refills and drops results after a reset', async () => {
    const q = queue(50);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const buffer = new LabelingBuffer(async (s, l) => {
      await gate;
      return q.fetch(s, l);
    });
    const a = buffer.refill();
    const b = buffer.refill();
    buffer.reset();
    release();
    await Promise.all([a, b]);
    expect(q.requests).toHaveLength(1);
    expect(buffer.items).toHaveLength(0);
  });
});
