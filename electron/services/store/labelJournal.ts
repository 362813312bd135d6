import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RecoveryNotice } from '../../../shared/contract/dto';
import { parseJournalLine, type JournalEntry } from './labelCodec';
import { syncDirectory } from './durableFile';
import { GroupCommit } from './groupCommit';

const SEGMENT_PATTERN = /^journal-(\d{6})\.jsonl$/;

/** Name of journal segment number `n`. */
export function segmentName(n: number): string {
  return `journal-${String(n).padStart(6, '0')}.jsonl`;
}

/** Segment numbers present in `dir`, ascending. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Reads every entry of one segment in order. A torn last line (a write cut short by a crash,
 * never acknowledged) is cut off the file when `repairTail` is set; other bad lines are skipped and reported.
 */
export async function readSegment(
  dir: string,
  n: number,
  onEntry: (entry: JournalEntry) => void,
  notices: RecoveryNotice[],
  repairTail: boolean,
): Promise<void> {
  const path = join(dir, segmentName(n));
  const file = `labels/${segmentName(n)}`;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let goodBytes = 0;
  let pendingBad: { line: number; bytes: number } | null = null;
  for await (const line of lines) {
    lineNo++;
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (line.length === 0) {
      goodBytes += bytes;
      continue;
    }
    const entry = parseJournalLine(line);
    if (pendingBad) {
      notices.push({ file, message: `Line ${pendingBad.line} is damaged and was skipped.` });
      goodBytes += pendingBad.bytes;
      pendingBad = null;
    }
    if (entry) {
      onEntry(entry);
      goodBytes += bytes;
    } else {
      pendingBad = { line: lineNo, bytes };
    }
  }
  if (pendingBad) {
    notices.push({
      file,
      message: `The last line (${pendingBad.line}) was cut short by a crash before it was saved; it was discarded. No saved label was lost.`,
    });
    if (repairTail) await truncate(path, goodBytes);
  } else if (repairTail) {
    const size = (await stat(path)).size;
    if (size > goodBytes) await truncate(path, goodBytes);
  }
}

/**
 * The append-only label journal. `append` resolves only once the entries are fsynced;
 * appends that arrive while a flush is running are written together by the next flush (group commit).
 */
export class LabelJournal {
  private handle: FileHandle | null = null;
  private readonly commits = new GroupCommit<string>((lines) => this.writeLines(lines));
  private entriesInSegment = 0;

  private constructor(
    readonly dir: string,
    private segment: number,
  ) {}

  /** Opens the journal for appending to segment `segment` (created if missing). */
  static async open(dir: string, segment: number, entriesInSegment: number): Promise<LabelJournal> {
    await mkdir(dir, { recursive: true });
    const journal = new LabelJournal(dir, segment);
    const path = join(dir, segmentName(segment));
    journal.handle = await open(path, 'a+');
    const size = (await journal.handle.stat()).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await journal.handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await journal.handle.write('\n');
    }
    journal.entriesInSegment = entriesInSegment;
    await syncDirectory(dir);
    return journal;
  }

  get currentSegment(): number {
    return this.segment;
  }

  /** Entries written to the current segment so far. */
  get segmentEntries(): number {
    return this.entriesInSegment;
  }

  /** Appends entries; resolves when they are on disk. */
  append(entries: readonly JournalEntry[]): Promise<void> {
    this.entriesInSegment += entries.length;
    return this.commits.push(entries.map((e) => JSON.stringify(e)));
  }

  private async writeLines(lines: readonly string[]): Promise<void> {
    if (!this.handle) throw new Error('the label journal is closed');
    await this.handle.write(lines.join('\n') + '\n');
    await this.handle.datasync();
  }

  /** Waits for every append made so far to be on disk. */
  drain(): Promise<void> {
    return this.commits.drain();
  }

  /** Starts a new segment (after a snapshot covered the current one); old segments stay as history. */
  async roll(): Promise<void> {
    await this.drain();
    await this.handle?.close();
    this.segment += 1;
    this.entriesInSegment = 0;
    this.handle = await open(join(this.dir, segmentName(this.segment)), 'a');
    await syncDirectory(this.dir);
  }

  async close(): Promise<void> {
    await this.drain();
    await this.handle?.close();
    this.handle = null;
  }
}
