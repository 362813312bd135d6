import { describe, expect, it } from 'vitest';
import { GroupCommit } from './groupCommit';

/** A write that records its batches and waits until released, so pushes pile up behind it. */
function gatedWriter(failOn?: (batch: readonly number[]) => boolean) {
  const batches: number[][] = [];
  let release: () => void = () => undefined;
  const write = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => (release = resolve));
    if (failOn?.(items)) throw new Error('disk full');
  };
  return { batches, write, release: () => release() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('GroupCommit', () => {
  it('writes pushes that arrive during a write together, in order, and resolves each once written', async () => {
    const w = gatedWriter();
    const queue = new GroupCommit<number>(w.write);
    const first = queue.push([1]);
    const second = queue.push([2, 3]);
    const third = queue.push([4]);
    await tick();
    expect(w.batches).toEqual([[1]]);
    w.release();
    await first;
    await tick();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    w.release();
    await Promise.all([second, third]);
    await queue.drain();
    expect(await queue.push([])).toBeUndefined();
    expect(w.batches).toHaveLength(2);
  });

  it('rejects only the failed batch by default, and keeps going', async () => {
    const w = gatedWriter((batch) => batch.includes(2));
    const queue = new GroupCommit<number>(w.write);
    const ok = queue.push([1]);
    await tick();
    const bad = queue.push([2]);
    w.release();
    await ok;
    await tick();
    w.release();
    await expect(bad).rejects.toThrow('disk full');
    const later = queue.push([5]);
    await tick();
    w.release();
    await expect(later).resolves.toBeUndefined();
    expect(queue.failure).toBeNull();
  });

  it('with stopOnFailure, rejects every waiting and later push after a failed write', async () => {
    const w = gatedWriter(() => true);
    const queue = new GroupCommit<number>(w.write, true);
    const first = queue.push([1]);
    await tick();
    const waiting = queue.push([2]);
    w.release();
    await expect(first).rejects.toThrow('disk full');
    await expect(waiting).rejects.toThrow('disk full');
    await expect(queue.push([3])).rejects.toThrow('the log stopped after a failed write: disk full');
    expect(w.batches).toEqual([[1]]);
  });
});
