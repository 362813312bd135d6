import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** The bytes of an import: a file streamed from disk, or an upload held in memory. */
export interface ByteSource {
  readonly totalBytes: number;
  /** Bytes handed out by `chunks` so far. */
  bytesRead(): number;
  /** The first `n` bytes (fewer when the file is shorter). */
  sample(n: number): Promise<Buffer>;
  /** Every byte, in chunks of about 256 KiB. */
  chunks(): AsyncIterable<Buffer>;
  /** A readable stream of every byte. */
  stream(): Readable;
  /** A readable stream of the bytes from `offset`, `length` of them or to the end (the xlsx reader's random access). */
  range(offset: number, length?: number): Readable;
}

const CHUNK_BYTES = 256 * 1024;

/** Streams the file at `path` (of `totalBytes` bytes). */
export function fileByteSource(path: string, totalBytes: number): ByteSource {
  let read = 0;
  return {
    totalBytes,
    bytesRead: () => read,
    async sample(n) {
      const handle = await open(path, 'r');
      try {
        const buf = Buffer.alloc(Math.min(n, totalBytes));
        const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    async *chunks() {
      const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
      try {
        for await (const buf of stream as AsyncIterable<Buffer>) {
          read += buf.length;
          yield buf;
        }
      } finally {
        stream.destroy();
      }
    },
    stream() {
      const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
      stream.on('data', (buf: Buffer | string) => (read += buf.length));
      return stream;
    },
    range(offset, length) {
      const end = length === undefined ? undefined : Math.max(offset, offset + length - 1);
      const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, start: offset, ...(end === undefined ? {} : { end }) });
      stream.on('data', (buf: Buffer | string) => (read = Math.min(totalBytes, read + buf.length)));
      return stream;
    },
  };
}

/** Serves bytes already in memory (a browser upload). */
export function bufferByteSource(data: Buffer): ByteSource {
  let read = 0;
  return {
    totalBytes: data.length,
    bytesRead: () => read,
    sample: (n) => Promise.resolve(data.subarray(0, n)),
    async *chunks() {
      for (let at = 0; at < data.length; at += CHUNK_BYTES) {
        const chunk = data.subarray(at, at + CHUNK_BYTES);
        read += chunk.length;
        yield chunk;
      }
    },
    stream() {
      read = data.length;
      return Readable.from([data]);
    },
    range(offset, length) {
      const part = data.subarray(offset, length === undefined ? undefined : offset + length);
      read = Math.min(data.length, read + part.length);
      return Readable.from([part]);
    },
  };
}
