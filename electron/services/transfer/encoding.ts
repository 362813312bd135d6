import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { EncodingGuess, TextEncodingName } from '../../../shared/contract/dto';
import { commonHanziShare } from './commonHanzi';

/** How many bytes of a file the encoding is guessed from (and checked before anything is imported). */
export const SAMPLE_BYTES = 256 * 1024;

/** The encoding chosen for a file, how, and the other likely ones. */
export interface EncodingChoice {
  readonly encoding: TextEncodingName;
  readonly source: 'bom' | 'detected' | 'given';
  readonly alternatives: readonly EncodingGuess[];
}

/** Where a sample failed to decode. */
export interface DecodeFailure {
  readonly line: number;
  readonly encoding: TextEncodingName;
}

const CHARDET_NAMES: Readonly<Record<string, TextEncodingName>> = {
  'UTF-8': 'utf-8',
  'UTF-16LE': 'utf-16le',
  'UTF-16BE': 'utf-16be',
  GB18030: 'gb18030',
  Big5: 'big5',
};

function bomOf(sample: Buffer): TextEncodingName | null {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  return null;
}

/** UTF-16 without a BOM: ASCII characters (digits, commas, line ends) put a zero byte on one side of each pair. */
function utf16ByZeros(sample: Buffer): TextEncodingName | null {
  const pairs = Math.floor(Math.min(sample.length, 64 * 1024) / 2);
  if (pairs < 2) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) even++;
    if (sample[2 * i + 1] === 0) odd++;
  }
  // Chinese characters put a zero on the other side now and then (U+4E00 一), ASCII far more often.
  if (odd >= pairs * 0.1 && odd >= even * 4) return 'utf-16le';
  if (even >= pairs * 0.1 && even >= odd * 4) return 'utf-16be';
  return null;
}

/** True when the bytes contain NUL or many control characters: not text in any encoding we read (UTF-16 excluded first). */
export function looksBinary(sample: Buffer): boolean {
  const n = Math.min(sample.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  }
  return n > 0 && control > n * 0.02;
}

/** True for the first bytes of a zip archive (xlsx, docx, …). */
export function isZip(sample: Buffer): boolean {
  return sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04;
}

/** Decodes `sample` as far as its last whole character (a multi-byte character cut by the sample end is left out). */
function decodeSample(sample: Buffer, encoding: TextEncodingName): string {
  const decoder = iconv.getDecoder(encoding);
  return decoder.write(sample);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

/** The first line of `sample` that does not decode cleanly in `encoding` (a U+FFFD appears), or null. */
export function findDecodeFailure(sample: Buffer, encoding: TextEncodingName): DecodeFailure | null {
  const text = decodeSample(sample, encoding);
  const bad = text.indexOf('\uFFFD');
  return bad < 0 ? null : { line: lineAt(text, bad), encoding };
}

function hasHighBytes(sample: Buffer): boolean {
  for (const b of sample) if (b >= 0x80) return true;
  return false;
}

/** True when (nearly) every byte is ASCII: a few stray bytes say nothing about a CJK encoding. */
function isMostlyAscii(sample: Buffer): boolean {
  let high = 0;
  for (const b of sample) if (b >= 0x80) high++;
  return high < 16 || high < sample.length * 0.005;
}

/**
 * Chooses the encoding of a text file from its first bytes: a BOM; UTF-16 by its zero bytes; UTF-8 when the sample is
 * valid UTF-8; else the first of chardet's guesses among GB18030 and Big5 that decodes the sample cleanly (GB18030
 * when none does: the sample check then refuses the file naming the line). `given` wins over all of it.
 */
export function chooseEncoding(sample: Buffer, given?: TextEncodingName): EncodingChoice {
  const bom = bomOf(sample);
  const guesses = guessesOf(sample);
  if (given !== undefined) return { encoding: given, source: 'given', alternatives: guesses.filter((g) => g.encoding !== given) };
  if (bom !== null) return { encoding: bom, source: 'bom', alternatives: [] };
  const utf16 = utf16ByZeros(sample);
  if (utf16 !== null) return { encoding: utf16, source: 'detected', alternatives: guesses.filter((g) => g.encoding !== utf16) };
  const chosen = guesses[0]?.encoding ?? 'utf-8';
  return { encoding: chosen, source: 'detected', alternatives: guesses.slice(1) };
}

/** Likely encodings of a sample without BOM, best first, each decoding the sample cleanly when one does. */
function guessesOf(sample: Buffer): EncodingGuess[] {
  if (!hasHighBytes(sample)) return [{ encoding: 'utf-8', confidence: 100 }];
  if (findDecodeFailure(sample, 'utf-8') === null) return [{ encoding: 'utf-8', confidence: 100 }, ...cjkGuesses(sample).filter((g) => g.confidence > 10)];
  const cjk = cjkGuesses(sample);
  const clean = cjk.filter((g) => findDecodeFailure(sample, g.encoding) === null);
  // chardet is unsure on a few lines of text; the decoding made of common characters is the right one.
  const share = new Map(clean.map((g) => [g.encoding, commonHanziShare(decodeSample(sample, g.encoding)) ?? 0]));
  clean.sort((a, b) => (share.get(b.encoding) ?? 0) - (share.get(a.encoding) ?? 0));
  const rest = cjk.filter((g) => !clean.includes(g));
  // Stray bytes in a text that is otherwise ASCII: it was meant as UTF-8 (and the sample check says where it breaks).
  if (clean.length === 0 && isMostlyAscii(sample)) return [{ encoding: 'utf-8', confidence: 50 }, ...rest];
  const out = [...clean, ...rest];
  return out.length > 0 ? out : [{ encoding: 'gb18030', confidence: 0 }];
}

function cjkGuesses(sample: Buffer): EncodingGuess[] {
  const out: EncodingGuess[] = [];
  for (const m of chardet.analyse(sample.subarray(0, 64 * 1024))) {
    const name = CHARDET_NAMES[m.name];
    if (name === 'gb18030' || name === 'big5') {
      if (!out.some((g) => g.encoding === name)) out.push({ encoding: name, confidence: m.confidence });
    }
  }
  for (const name of ['gb18030', 'big5'] as const) if (!out.some((g) => g.encoding === name)) out.push({ encoding: name, confidence: 0 });
  return out;
}

/** Decodes byte chunks as `encoding` (the BOM removed); bytes that do not decode come out as U+FFFD. */
export async function* decodeChunks(chunks: AsyncIterable<Buffer>, encoding: TextEncodingName): AsyncGenerator<string> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  for await (const buf of chunks) {
    const text = decoder.write(buf);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest !== undefined && rest.length > 0) yield rest;
}
