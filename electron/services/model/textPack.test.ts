import { describe, expect, it } from 'vitest';
import { packTexts, unpackTexts } from './textPack';

describe('packTexts', () => {
  it('gives back the same texts, empty ones and any characters included', async () => {
    const texts = ['我要退保', '', 'a\u0000b', '😀 emoji', 'x'.repeat(1000), '', '还款'];
    const packed = await packTexts(texts, 3);
    expect(packed.parts.length).toBe(3);
    expect([...packed.counts]).toEqual([3, 3, 1]);
    expect(unpackTexts(packed)).toEqual(texts);
    expect(unpackTexts(await packTexts([]))).toEqual([]);
  });
});
