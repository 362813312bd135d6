import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { syncDirectory } from '../../lib/durable/durableFile';
import { GroupCommit } from '../../lib/durable/groupCommit';

/** A record as stored: a JSON object whose first key is its sequence number. */
export interface SequencedRecord {
  readonly seq: number;
}

/** Records after a position, as stored JSON text in order, with where the page ends and where the log ends. */
export interface RecordPage {
  readonly json: readonly string[];
  /** Sequence number of the last record in the page, or the requested position when the page is empty. */
  readonly lastSeq: number;
  /** Sequence number of the newest committed record. */
  readonly headSeq: number;
}

export interface AppendLogOptions {
  /** File name prefix of the segments: `<prefix>-000001.jsonl`. */
  readonly prefix: string;
  /** Records per segment; every segment but the last holds exactly this many. */
  readonly segmentRecords: number;
}

/** What opening a log found: the records, handed to `onRecord` in order, and what was repaired. */
export interface AppendLogRecovery {
  /** Bytes of a torn last line (a write cut short by a crash, never acknowledged) that were cut off. */
  readonly tornBytes: number;
}

interface PendingLine {
  readonly seq: number;
  readonly line: string;
}

/**
 * An append-only, segmented JSONL log of records numbered 1, 2, 3, … with no gaps.
 * Appends are group-committed and fsynced; a record becomes readable (`committedSeq`) only once it is
 * on disk, so a number once served is never reused for another record, even after a crash.
 */
export class AppendLog<T extends SequencedRecord> {
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly readers = new Map<number, Promise<FileHandle>>();
  private writer: FileHandle | null = null;
  private writerSegment = 0;
  private writerSize = 0;
  private readonly commits = new GroupCommit<PendingLine>((lines) => this.writeLines(lines), true);
  private assigned = 0;
  private committed = 0;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly options: AppendLogOptions,
  ) {}

  /**
   * Opens (or creates) the log in `dir`, handing every stored record to `onRecord` in order.
   * A torn last line is cut off; any other damage is an error, since numbering must stay gap-free.
   */
  static async open<T extends SequencedRecord>(
    dir: string,
    options: AppendLogOptions,
    onRecord: (record: T) => void,
  ): Promise<{ log: AppendLog<T>; recovery: AppendLogRecovery }> {
    await mkdir(dir, { recursive: true });
    const log = new AppendLog<T>(dir, options);
    const segments = await listSegments(dir, options.prefix);
    let tornBytes = 0;
    for (const [i, n] of segments.entries()) {
      if (n !== i + 1) throw new Error(`${join(dir, log.segmentName(i + 1))} is missing; the log cannot be read past it.`);
      const last = i === segments.length - 1;
      const size = await log.scanSegment(n, last, onRecord);
      if (last) tornBytes = size.torn;
      if (!last && size.records !== options.segmentRecords) {
        throw new Error(`${join(dir, log.segmentName(n))} holds ${size.records} records instead of ${options.segmentRecords}.`);
      }
    }
    log.committed = log.starts.length;
    log.assigned = log.committed;
    return { log, recovery: { tornBytes } };
  }

  /** The highest sequence number that is on disk and readable; 0 when the log is empty. */
  get committedSeq(): number {
    return this.committed;
  }

  /** The sequence number the next appended record will get. */
  get nextSeq(): number {
    return this.assigned + 1;
  }

  /**
   * Appends `count` records, built by `build(seq)` with their sequence numbers (assigned now, in order);
   * resolves with the first and last number once they are fsynced.
   */
  append(count: number, build: (seq: number) => Omit<T, 'seq'>): Promise<{ firstSeq: number; lastSeq: number }> {
    if (this.closed) return Promise.reject(new Error('the log is closed'));
    const failure = this.commits.failure;
    if (failure) return Promise.reject(new Error(`the log stopped after a failed write: ${failure.message}`));
    const firstSeq = this.assigned + 1;
    const lines: PendingLine[] = [];
    for (let i = 0; i < count; i++) {
      const seq = ++this.assigned;
      lines.push({ seq, line: JSON.stringify({ seq, ...build(seq) }) });
    }
    const lastSeq = this.assigned;
    return this.commits.push(lines).then(() => ({ firstSeq, lastSeq }));
  }

  /** Up to `limit` committed records after position `afterSeq`. */
  async readPage(afterSeq: number, limit: number): Promise<RecordPage> {
    const headSeq = this.committed;
    const json = await this.readRange(afterSeq + 1, Math.min(headSeq, afterSeq + limit));
    return { json, lastSeq: afterSeq + json.length, headSeq };
  }

  /**
   * The stored JSON text of records `fromSeq`..`toSeq` (inclusive, clamped to what is committed),
   * one string per record, in order.
   */
  async readRange(fromSeq: number, toSeq: number): Promise<string[]> {
    const from = Math.max(1, fromSeq);
    const to = Math.min(this.committed, toSeq);
    const out: string[] = [];
    let seq = from;
    while (seq <= to) {
      const segment = this.segmentOf(seq);
      const segmentEnd = Math.min(to, segment * this.options.segmentRecords);
      const start = this.starts[seq - 1]!;
      const end = this.starts[segmentEnd - 1]! + this.lengths[segmentEnd - 1]!;
      const buffer = Buffer.allocUnsafe(end - start);
      const handle = await this.reader(segment);
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
        if (bytesRead === 0) throw new Error(`${this.segmentName(segment)} ended early`);
        read += bytesRead;
      }
      let offset = 0;
      for (let s = seq; s <= segmentEnd; s++) {
        const length = this.lengths[s - 1]!;
        out.push(buffer.toString('utf8', offset, offset + length - 1));
        offset += length;
      }
      seq = segmentEnd + 1;
    }
    return out;
  }

  /** Waits for every append made so far to be on disk. */
  drain(): Promise<void> {
    return this.commits.drain();
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    await this.writer?.close();
    this.writer = null;
    for (const reader of this.readers.values()) await (await reader).close().catch(() => undefined);
    this.readers.clear();
  }

  private segmentName(n: number): string {
    return `${this.options.prefix}-${String(n).padStart(6, '0')}.jsonl`;
  }

  private segmentOf(seq: number): number {
    return Math.floor((seq - 1) / this.options.segmentRecords) + 1;
  }

  private reader(segment: number): Promise<FileHandle> {
    let handle = this.readers.get(segment);
    if (!handle) {
      handle = open(join(this.dir, this.segmentName(segment)), 'r');
      this.readers.set(segment, handle);
    }
    return handle;
  }

  private async scanSegment(n: number, last: boolean, onRecord: (record: T) => void): Promise<{ records: number; torn: number }> {
    const path = join(this.dir, this.segmentName(n));
    const size = (await stat(path)).size;
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let offset = 0;
    let records = 0;
    let bad: { offset: number; lineNo: number; reason: string } | null = null;
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (bad) throw new Error(`${path} line ${bad.lineNo} is damaged (${bad.reason}); the log cannot be read past it.`);
      const bytes = Buffer.byteLength(line, 'utf8') + 1;
      const record = parseRecord<T>(line);
      const expected = this.starts.length + 1;
      if (!record || record.seq !== expected || offset + bytes > size) {
        bad = { offset, lineNo, reason: !record ? 'not a JSON record' : record.seq !== expected ? `seq ${record.seq} where ${expected} was expected` : 'no line end' };
        continue;
      }
      this.starts.push(offset);
      this.lengths.push(bytes);
      onRecord(record);
      offset += bytes;
      records++;
    }
    if (bad && !last) throw new Error(`${path} line ${bad.lineNo} is damaged (${bad.reason}).`);
    const torn = size - offset;
    if (torn > 0) {
      if (!last) throw new Error(`${path} has ${torn} stray bytes at its end.`);
      await truncate(path, offset);
    }
    this.writerSegment = n;
    this.writerSize = offset;
    return { records, torn };
  }

  private async writeLines(lines: readonly PendingLine[]): Promise<void> {
    let i = 0;
    while (i < lines.length) {
      const segment = this.segmentOf(lines[i]!.seq);
      const handle = await this.writerFor(segment);
      const chunk: string[] = [];
      const starts: number[] = [];
      const lengths: number[] = [];
      let size = this.writerSize;
      while (i < lines.length && this.segmentOf(lines[i]!.seq) === segment) {
        const text = lines[i]!.line + '\n';
        const bytes = Buffer.byteLength(text, 'utf8');
        chunk.push(text);
        starts.push(size);
        lengths.push(bytes);
        size += bytes;
        i++;
      }
      await handle.write(chunk.join(''));
      await handle.datasync();
      this.writerSize = size;
      for (let k = 0; k < starts.length; k++) {
        this.starts.push(starts[k]!);
        this.lengths.push(lengths[k]!);
      }
      this.committed += starts.length;
    }
  }

  private async writerFor(segment: number): Promise<FileHandle> {
    if (this.writer && this.writerSegment === segment) return this.writer;
    await this.writer?.close();
    this.writer = await open(join(this.dir, this.segmentName(segment)), 'a');
    if (segment !== this.writerSegment) this.writerSize = 0;
    this.writerSegment = segment;
    await syncDirectory(this.dir);
    return this.writer;
  }
}

function parseRecord<T extends SequencedRecord>(line: string): T | null {
  if (!line.startsWith('{"seq":')) return null;
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && Number.isSafeInteger((value as { seq?: unknown }).seq) ? (value as T) : null;
  } catch {
    return null;
  }
}

async function listSegments(dir: string, prefix: string): Promise<number[]> {
  const pattern = new RegExp(`^${prefix}-(\\d{6})\\.jsonl$`);
  const names = await readdir(dir);
  return names
    .map((name) => pattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
