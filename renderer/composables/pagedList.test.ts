import { describe, expect, it } from 'vitest';
import { PagedList } from './pagedList';

function source(n: number) {
  const requests: number[] = [];
  const fetch = async (offset: number, limit: number) => {
    requests.push(offset);
    return { total: n, offset, items: Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => offset + i) };
  };
  return { requests, fetch };
}

describe('PagedList', () => {
  it('loads only the pages a range touches, once each', async () => {
    const s = source(100_000);
    const list = new PagedList(s.fetch, 100);
    await list.reset();
    await list.ensureRange(50_020, 50_130);
    await list.ensureRange(50_050, 50_060);
    expect(s.requests).toEqual([0, 50_000, 50_100]);
    expect(list.total).toBe(100_000);
    expect(list.at(50_123)).toBe(50_123);
    expect(list.at(70_000)).toBeUndefined();
  });

  it('stops at the end of the list', async () => {
    const s = source(150);
    const list = new PagedList(s.fetch, 100);
    await list.reset();
    await list.ensureRange(0, 1000);
    expect(s.requests).toEqual([0, 100]);
    expect(list.at(149)).toBe(149);
  });
});

describe('PagedList.reset', () => {
  it('keeps the old rows visible until the new first page arrives, then drops the rest', async () => {
    let n = 300;
    const fetch = async (offset: number, limit: number) => ({
      total: n,
      offset,
      items: Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => offset + i + n * 1000),
    });
    const list = new PagedList(fetch, 100);
    await list.reset();
    await list.ensureRange(0, 250);
    n = 120;
    const pending = list.reset();
    expect(list.at(250)).toBe(300_250);
    await pending;
    expect(list.at(5)).toBe(120_005);
    expect(list.at(250)).toBeUndefined();
    expect(list.total).toBe(120);
    await list.ensureRange(0, 250);
    expect(list.at(119)).toBe(120_119);
  });
});

describe('PagedList.update', () => {
  it('replaces only the loaded rows that match, and bumps the version', async () => {
    const fetch = async (offset: number, limit: number) => ({
      total: 250,
      offset,
      items: Array.from({ length: Math.min(limit, 250 - offset) }, (_, i) => ({ id: offset + i, n: 0 })),
    });
    const list = new PagedList(fetch, 100);
    await list.reset();
    const version = list.version;
    expect(list.update((r) => r.id === 7 || r.id === 180, (r) => ({ ...r, n: 1 }))).toBe(1);
    expect(list.at(7)).toEqual({ id: 7, n: 1 });
    expect(list.at(8)).toEqual({ id: 8, n: 0 });
    expect(list.version).toBe(version + 1);
    expect(list.update(() => false, (r) => r)).toBe(0);
    expect(list.version).toBe(version + 1);
  });
});
