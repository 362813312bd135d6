/**
 * Draws the Callsift icon (a blue rounded square with a white waveform falling into a funnel) without any image
 * tool: PNGs are rasterized with 4×4 supersampling and encoded with zlib; the SVG comes from the same geometry.
 * Usage: `npx tsx scripts/makeIcons.ts` writes resources/icons/{icon.svg, icon.png, NxN.png}.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

type Point = readonly [number, number];
interface RoundedRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly radius: number;
}

const blue: readonly [number, number, number] = [0x2f, 0x6f, 0xed];
const white: readonly [number, number, number] = [0xff, 0xff, 0xff];

/** Geometry in a 1×1 square. */
export const iconGeometry = {
  background: { x: 0.04, y: 0.04, width: 0.92, height: 0.92, radius: 0.2 } satisfies RoundedRect,
  bars: [0.1, 0.18, 0.26, 0.16, 0.1].map(
    (height, i): RoundedRect => ({ x: 0.3275 + i * 0.08 - 0.0225, y: 0.25 - height / 2, width: 0.045, height, radius: 0.0225 }),
  ),
  funnel: [
    [0.22, 0.42],
    [0.78, 0.42],
    [0.57, 0.62],
    [0.57, 0.78],
    [0.43, 0.85],
    [0.43, 0.62],
  ] satisfies Point[],
};

function insideRoundedRect(px: number, py: number, r: RoundedRect): boolean {
  if (px < r.x || py < r.y || px > r.x + r.width || py > r.y + r.height) return false;
  const cx = Math.min(Math.max(px, r.x + r.radius), r.x + r.width - r.radius);
  const cy = Math.min(Math.max(py, r.y + r.radius), r.y + r.height - r.radius);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r.radius ** 2;
}

function insidePolygon(px: number, py: number, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Renders the icon at `size`×`size` as straight (non-premultiplied) RGBA bytes, row-major. */
export function renderIcon(size: number, samples = 4): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const { background, bars, funnel } = iconGeometry;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let glyph = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const px = (x + (sx + 0.5) / samples) / size;
          const py = (y + (sy + 0.5) / samples) / size;
          if (!insideRoundedRect(px, py, background)) continue;
          bg++;
          if (insidePolygon(px, py, funnel) || bars.some((bar) => insideRoundedRect(px, py, bar))) glyph++;
        }
      }
      const total = samples * samples;
      const alpha = bg / total;
      const whiteShare = bg === 0 ? 0 : glyph / bg;
      const offset = (y * size + x) * 4;
      blue.forEach((channel, c) => {
        rgba[offset + c] = Math.round(channel * (1 - whiteShare) + white[c as 0 | 1 | 2] * whiteShare);
      });
      rgba[offset + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as used by PNG chunks. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** Encodes RGBA bytes as a PNG (8-bit, colour type 6, no filtering). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The icon as SVG, drawn on a 512 grid. */
export function iconSvg(): string {
  const s = (v: number): string => String(Math.round(v * 512 * 100) / 100);
  const rect = (r: RoundedRect, fill: string): string =>
    `<rect x="${s(r.x)}" y="${s(r.y)}" width="${s(r.width)}" height="${s(r.height)}" rx="${s(r.radius)}" fill="${fill}"/>`;
  const { background, bars, funnel } = iconGeometry;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">',
    '  <title>Callsift</title>',
    `  ${rect(background, '#2f6fed')}`,
    ...bars.map((bar) => `  ${rect(bar, '#ffffff')}`),
    `  <polygon points="${funnel.map(([x, y]) => `${s(x)},${s(y)}`).join(' ')}" fill="#ffffff"/>`,
    '</svg>',
    '',
  ].join('\n');
}

/** Sizes written as `NxN.png` (the Linux icon set); 512 is also written as icon.png. */
export const iconSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

/** Writes icon.svg, icon.png and every size into `dir`. */
export async function writeIcons(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  await writeFile(join(dir, 'icon.svg'), iconSvg(), 'utf8');
  written.push('icon.svg');
  for (const size of iconSizes) {
    const png = encodePng(size, size, renderIcon(size));
    await writeFile(join(dir, `${size}x${size}.png`), png);
    written.push(`${size}x${size}.png`);
    if (size === 512) {
      await writeFile(join(dir, 'icon.png'), png);
      written.push('icon.png');
    }
  }
  return written;
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isEntryPoint) {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons');
  const written = await writeIcons(dir);
  console.log(`Wrote ${written.length} files to ${dir}`);
}
