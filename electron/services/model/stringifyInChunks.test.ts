import { describe, expect, it } from 'vitest';
import { encodeJsonInChunks, stringifyInChunks } from './stringifyInChunks';

describe('stringifyInChunks', () => {
  it('writes the same text as JSON.stringify, long arrays included', async () => {
    const long = Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? null : i % 5 === 0 ? Number.NaN : i / 3));
    const doc = {
      report: { version: 3, name: '退保 "quoted"\n', skip: undefined, nested: [1, { a: undefined, b: [Infinity] }] },
      training: { ids: Array.from({ length: 20_000 }, (_, i) => `c${i}#${i % 3}`), quality: long, empty: [] as number[] },
      flag: true,
      none: null,
    };
    expect(await stringifyInChunks(doc)).toBe(JSON.stringify(doc));
    expect(Buffer.from(await encodeJsonInChunks(doc)).toString('utf8')).toBe(JSON.stringify(doc));
    expect(await stringifyInChunks([])).toBe('[]');
    expect(await stringifyInChunks('x')).toBe('"x"');
  });

  it('yields to the event loop while writing a long array', async () => {
    let ranDuring = false;
    let done = false;
    setImmediate(() => (ranDuring = !done));
    await stringifyInChunks({ big: Array.from({ length: 100_000 }, (_, i) => i) });
    done = true;
    expect(ranDuring).toBe(true);
  });
});
