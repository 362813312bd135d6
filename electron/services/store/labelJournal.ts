import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecoveryNotice } from '../../../shared/contract/dto';
import type { RecoverySentence } from '../../../shared/contract/recovery';
import { recoveryNotice } from './recoveryNotice';
import { parseJournalRecord, utteranceOfDamagedLine, type JournalRecord } from './labelCodec';
import { AppendOnlyFile, type AppendFileOpener } from '../../../lib/durable/appendOnlyFile';
import { syncDirectory } from '../../../lib/durable/durableFile';
import { GroupCommit } from '../../../lib/durable/groupCommit';
import type { RecoveryFolder } from './recoveryFolder';

const SEGMENT_PATTERN = /^journal-(\d{6})\.jsonl$/;
const READ_CHUNK = 1 << 20;

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

interface RawLine {
  readonly text: string;
  /** Byte offsets of the line in the file; `end` includes its newline. */
  readonly start: number;
  readonly end: number;
  readonly complete: boolean;
}

/** The lines of a file with their byte offsets, read in chunks (a segment can be tens of megabytes). */
async function* readLines(handle: FileHandle): AsyncGenerator<RawLine> {
  const decoder = new TextDecoder('utf-8');
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = 0;
  let position = 0;
  const chunk = Buffer.alloc(READ_CHUNK);
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let from = 0;
    for (let nl = data.indexOf(0x0a, from); nl >= 0; nl = data.indexOf(0x0a, from)) {
      yield { text: decoder.decode(data.subarray(from, nl)), start: carryStart + from, end: carryStart + nl + 1, complete: true };
      from = nl + 1;
    }
    carryStart += from;
    data = data.subarray(from);
    carry = Buffer.from(data);
  }
  if (carry.length > 0) yield { text: decoder.decode(carry), start: carryStart, end: carryStart + carry.length, complete: false };
}

/** How readSegment treats problems: report them, and (for the segment that is written next) cut a torn tail off. */
export interface SegmentReadOptions {
  readonly notices?: RecoveryNotice[];
  /** Cut an incomplete tail off the file, saving the cut bytes here first. */
  readonly repairTail?: RecoveryFolder;
}

/**
 * Reads the committed records of one segment in order. A record marked `x` belongs to a multi-record action and is
 * delivered only together with the rest of its action, once the action's commit record is read: an action cut short
 * (by a crash mid-write, or by damage) is never half applied. Damaged lines in the middle are skipped and reported;
 * an incomplete tail is reported and, with `repairTail`, saved to the recovery folder and cut off so appends
 * continue after the last whole record. Returns the byte length of the whole records.
 */
export async function readSegment(dir: string, n: number, onRecord: (record: JournalRecord) => void, options: SegmentReadOptions = {}): Promise<number> {
  const path = join(dir, segmentName(n));
  const file = `labels/${segmentName(n)}`;
  const notices = options.notices ?? [];
  const handle = await open(path, options.repairTail ? 'r+' : 'r');
  try {
    let lineNo = 0;
    let goodBytes = 0;
    let pendingBad: { line: number; text: string; start: number } | null = null;
    let action: { act: string; records: JournalRecord[]; firstLine: number; start: number } | null = null;
    const dropAction = (why: 'interrupted' | 'commit') => {
      if (!action) return;
      notices.push(
        recoveryNotice(
          file,
          why === 'interrupted'
            ? { key: 'journal_action_interrupted', params: { from: action.firstLine, to: lineNo - 1, file, changes: action.records.length } }
            : { key: 'journal_action_mismatch', params: { from: action.firstLine, to: lineNo, file } },
        ),
      );
      action = null;
    };
    for await (const raw of readLines(handle)) {
      lineNo++;
      if (raw.text.length === 0 && raw.complete) {
        if (!action && !pendingBad) goodBytes = raw.end;
        continue;
      }
      const record = raw.complete ? parseJournalRecord(raw.text) : null;
      if (!record) {
        if (pendingBad) reportDamagedLine(notices, file, pendingBad);
        pendingBad = { line: lineNo, text: raw.text, start: raw.start };
        continue;
      }
      if (pendingBad) {
        reportDamagedLine(notices, file, pendingBad);
        pendingBad = null;
      }
      if ('k' in record && record.k === 'commit') {
        if (action && action.act === record.act && action.records.length === record.n) {
          for (const r of action.records) onRecord(r);
          action = null;
        } else dropAction('commit');
        goodBytes = raw.end;
      } else if (record.x === 1) {
        if (action && action.act !== record.act) dropAction('interrupted');
        action ??= { act: record.act, records: [], firstLine: lineNo, start: raw.start };
        action.records.push(record);
      } else {
        dropAction('interrupted');
        onRecord(record);
        goodBytes = raw.end;
      }
    }
    const size = (await handle.stat()).size;
    if (size > goodBytes) {
      const tail = Buffer.alloc(size - goodBytes);
      await handle.read(tail, 0, tail.length, goodBytes);
      const cut = describeTail(file, action, pendingBad, tail.length);
      let moved: RecoverySentence | null = null;
      if (options.repairTail) {
        const saved = await options.repairTail.saveCut(file, `tail-at-${goodBytes}`, tail);
        await handle.truncate(goodBytes);
        await handle.sync();
        moved = { key: 'journal_tail_moved', params: { bytes: tail.length, movedTo: saved } };
      }
      notices.push(recoveryNotice(file, cut.what, ...(moved ? [moved] : []), cut.lost));
    }
    return Math.min(goodBytes, size);
  } finally {
    await handle.close();
  }
}

function reportDamagedLine(notices: RecoveryNotice[], file: string, bad: { line: number; text: string }): void {
  const utterance = utteranceOfDamagedLine(bad.text);
  notices.push(
    recoveryNotice(
      file,
      utterance
        ? { key: 'journal_line_damaged_utterance', params: { line: bad.line, file, utterance } }
        : { key: 'journal_line_damaged', params: { line: bad.line, file } },
    ),
  );
}

function describeTail(
  file: string,
  action: { records: JournalRecord[]; firstLine: number } | null,
  bad: { line: number; text: string } | null,
  bytes: number,
): { what: RecoverySentence; lost: RecoverySentence } {
  if (action) {
    const changes = action.records.length + (bad ? 1 : 0);
    return { what: { key: 'journal_tail_action', params: { file, changes, from: action.firstLine } }, lost: { key: 'journal_tail_action_lost' } };
  }
  const utterance = bad ? utteranceOfDamagedLine(bad.text) : null;
  return {
    what: bad ? { key: 'journal_tail_line', params: { file, line: bad.line } } : { key: 'journal_tail_bytes', params: { file, bytes } },
    lost: utterance ? { key: 'journal_tail_change_lost_utterance', params: { utterance } } : { key: 'journal_tail_change_lost' },
  };
}

export interface JournalOptions {
  /** Opens a segment for reading and writing, creating it; for tests that inject failing writes. */
  readonly openFile?: AppendFileOpener;
}

/**
 * The append-only journal. `append` resolves only once the lines are written whole (every byte checked) and fsynced;
 * appends that arrive while a flush is running are written together by the next flush (group commit). A failed or
 * short write is never acknowledged: the bytes it left are cut off again before anything else is appended.
 */
export class LabelJournal {
  private file: AppendOnlyFile | null = null;
  private readonly commits = new GroupCommit<string>((lines) => this.writeLines(lines));
  private entriesInSegment = 0;

  private constructor(
    readonly dir: string,
    private segment: number,
    private readonly options: JournalOptions,
  ) {}

  /**
   * Opens the journal for appending to segment `segment` (created if missing) after its first `goodBytes` bytes
   * (readSegment's answer: anything after them was cut off already, or is cut before the first append).
   */
  static async open(dir: string, segment: number, entriesInSegment: number, goodBytes: number, options: JournalOptions = {}): Promise<LabelJournal> {
    await mkdir(dir, { recursive: true });
    const journal = new LabelJournal(dir, segment, options);
    journal.file = await journal.openSegment(segment, goodBytes);
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

  /** Appends lines (one record each); resolves when they are on disk, rejects (writing nothing) when they cannot be. */
  append(lines: readonly string[]): Promise<void> {
    const done = this.commits.push(lines);
    this.entriesInSegment += lines.length;
    done.catch(() => {
      this.entriesInSegment -= lines.length;
    });
    return done;
  }

  private async writeLines(lines: readonly string[]): Promise<void> {
    if (!this.file) throw new Error('the label journal is closed');
    await this.file.append(Buffer.from(lines.join('\n') + '\n', 'utf8'));
  }

  /** Waits for every append made so far to be on disk. */
  drain(): Promise<void> {
    return this.commits.drain();
  }

  /** Starts a new segment (after a snapshot covered the current one); old segments stay as history. */
  async roll(): Promise<void> {
    await this.drain();
    const next = await this.openSegment(this.segment + 1, 0);
    await this.file?.close();
    this.file = next;
    this.segment += 1;
    this.entriesInSegment = 0;
    await syncDirectory(this.dir);
  }

  /** Closes the file without waiting for or finishing anything (crash tests). */
  async abandon(): Promise<void> {
    const file = this.file;
    this.file = null;
    await file?.abandon();
  }

  async close(): Promise<void> {
    await this.drain();
    const file = this.file;
    this.file = null;
    await file?.close();
  }

  private openSegment(n: number, goodBytes: number): Promise<AppendOnlyFile> {
    return AppendOnlyFile.open(join(this.dir, segmentName(n)), goodBytes, this.options.openFile);
  }
}
