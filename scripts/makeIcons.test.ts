import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, iconSvg, renderIcon, writeIcons } from './makeIcons';

function readChunks(png: Buffer): { type: string; data: Buffer; crcOk: boolean }[] {
  const chunks = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crcOk = png.readUInt32BE(offset + 8 + length) === crc32(png.subarray(offset + 4, offset + 8 + length));
    chunks.push({ type, data, crcOk });
    offset += 12 + length;
  }
  return chunks;
}

describe('makeIcons', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('draws a blue rounded square with a white funnel and transparent corners', () => {
    const size = 64;
    const rgba = renderIcon(size);
    const at = (x: number, y: number): number[] => Array.from(rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 4));
    expect(at(0, 0)).toEqual([0x2f, 0x6f, 0xed, 0]);
    expect(at(8, 32)).toEqual([0x2f, 0x6f, 0xed, 255]);
    expect(at(32, 30)).toEqual([255, 255, 255, 255]);
  });

  it('encodes a valid PNG that inflates back to the pixels', () => {
    const rgba = renderIcon(16);
    const png = encodePng(16, 16, rgba);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks = readChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([16, 16, 8, 6]);
    const raw = inflateSync(chunks[1]!.data);
    expect(raw.length).toBe(16 * (16 * 4 + 1));
    for (let y = 0; y < 16; y++) {
      expect(raw[y * 65]).toBe(0);
      expect(Buffer.from(raw.subarray(y * 65 + 1, (y + 1) * 65))).toEqual(Buffer.from(rgba.subarray(y * 64, (y + 1) * 64)));
    }
  });

  it('writes the SVG and every PNG size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callsift-icons-'));
    try {
      const written = await writeIcons(dir);
      expect(written).toEqual(expect.arrayContaining(['icon.svg', 'icon.png', '256x256.png', '512x512.png']));
      const icon = await readFile(join(dir, 'icon.png'));
      expect(icon.readUInt32BE(16)).toBe(512);
      expect(await readFile(join(dir, 'icon.svg'), 'utf8')).toBe(iconSvg());
      expect(iconSvg()).toContain('fill="#2f6fed"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
