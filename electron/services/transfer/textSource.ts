import type { TextEncodingName } from '../../../shared/contract/dto';
import type { ByteSource } from './byteSource';
import { decodeChunks } from './encoding';

/** Text of an import, read chunk by chunk, with a count of the bytes read so far. */
export interface TextSource {
  readonly totalBytes: number;
  bytesRead(): number;
  /** The decoded text with the BOM removed and CRLF turned into LF. */
  chunks(): AsyncIterable<string>;
}

const CHUNK_CHARS = 128 * 1024;

async function* normalize(raw: AsyncIterable<string>): AsyncGenerator<string> {
  let first = true;
  let carryCr = false;
  for await (let chunk of raw) {
    if (chunk.length === 0) continue;
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    if (carryCr) chunk = '\r' + chunk;
    carryCr = chunk.endsWith('\r');
    if (carryCr) chunk = chunk.slice(0, -1);
    if (chunk.includes('\r\n')) chunk = chunk.replace(/\r\n/g, '\n');
    if (chunk.length > 0) yield chunk;
  }
  if (carryCr) yield '\r';
}

/** Decodes a byte source in `encoding`; bytes that do not decode become U+FFFD (the readers skip such rows). */
export function byteTextSource(bytes: ByteSource, encoding: TextEncodingName): TextSource {
  return { totalBytes: bytes.totalBytes, bytesRead: () => bytes.bytesRead(), chunks: () => normalize(decodeChunks(bytes.chunks(), encoding)) };
}

/** Serves text already in memory (a browser upload) in chunks, counting UTF-8 bytes. */
export function stringTextSource(content: string): TextSource {
  let read = 0;
  async function* slice(): AsyncGenerator<string> {
    let at = 0;
    while (at < content.length) {
      let end = Math.min(at + CHUNK_CHARS, content.length);
      const last = content.charCodeAt(end - 1);
      if (end < content.length && last >= 0xd800 && last <= 0xdbff) end += 1;
      const chunk = content.slice(at, end);
      at = end;
      read += Buffer.byteLength(chunk);
      yield chunk;
    }
  }
  return { totalBytes: Buffer.byteLength(content), bytesRead: () => read, chunks: () => normalize(slice()) };
}

/** Marks a line longer than the splitter accepts; its text was dropped. */
export const OVERLONG_LINE = Symbol('overlong line');

/** Splits LF-separated text into lines, numbering them from 1; a line beyond `maxChars` is dropped. */
export class LineSplitter {
  private rest = '';
  private overlong = false;
  private next = 1;

  constructor(private readonly maxChars: number) {}

  /** Number of the first line `push` or `end` will return next. */
  get nextLine(): number {
    return this.next;
  }

  /** Returns the lines completed by `chunk`, in order. */
  push(chunk: string): Array<string | typeof OVERLONG_LINE> {
    const out: Array<string | typeof OVERLONG_LINE> = [];
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl !== -1) {
      if (this.overlong) {
        out.push(OVERLONG_LINE);
        this.overlong = false;
      } else {
        out.push(start === 0 && this.rest !== '' ? this.rest + chunk.slice(0, nl) : chunk.slice(start, nl));
      }
      this.rest = '';
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (!this.overlong && start < chunk.length) {
      this.rest = start === 0 ? this.rest + chunk : chunk.slice(start);
      if (this.rest.length > this.maxChars) {
        this.overlong = true;
        this.rest = '';
      }
    }
    this.next += out.length;
    return out;
  }

  /** Returns the last line when the text did not end with a newline. */
  end(): Array<string | typeof OVERLONG_LINE> {
    const out: Array<string | typeof OVERLONG_LINE> = this.overlong ? [OVERLONG_LINE] : this.rest !== '' ? [this.rest] : [];
    this.rest = '';
    this.overlong = false;
    this.next += out.length;
    return out;
  }
}
