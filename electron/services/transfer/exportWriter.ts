import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ContractError } from '../../../shared/contract/errors';
import { sentence, errorName } from '../../../shared/contract/errorWords';

/** MIME type of an .xlsx workbook. */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv;charset=utf-8';

/** A name for a downloaded file made from a workspace name: characters no file system takes become "_". */
export function safeFileStem(name: string, fallback: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '_') || fallback;
}

const YIELD_EVERY_ROWS = 2_000;

/** A value of one spreadsheet cell, optionally with its own number format. Strings are written as text, never as formulas. */
export type SheetCell = string | number | null | { readonly value: number; readonly numFmt: string };

/** One column of a sheet: its header, width in characters and, for numbers, an Excel number format. */
export interface SheetColumn {
  readonly header: string;
  readonly width: number;
  readonly numFmt?: string;
}

/** One worksheet: a bold, frozen header row, then `rows` (each index-aligned with `columns`). */
export interface SheetSpec {
  readonly name: string;
  readonly columns: readonly SheetColumn[];
  readonly rows: Iterable<readonly SheetCell[]>;
}

/** Writes bytes to `stream`; resolves when the stream can take more (backpressure). */
export function writeChunk(stream: Writable, chunk: string | Uint8Array): Promise<void> | undefined {
  if (stream.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error): void => {
      stream.off('drain', onDrain);
      reject(err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/**
 * Writes `path` whole or not at all: `write` fills a temp file beside it, which is renamed over `path` when `write`
 * resolves and removed when it fails. Throws ContractError 'io' naming the file when it cannot be written.
 */
export async function writeFileWhole<T>(path: string, write: (stream: Writable) => Promise<T>): Promise<T> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const stream = createWriteStream(temp, { flags: 'wx' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  // A failure after open reaches `write` through its own awaits; this keeps it from being unhandled meanwhile.
  stream.on('error', () => undefined);
  try {
    await opened;
    const result = await write(stream);
    if (!stream.closed) {
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.once('close', () => resolve());
        if (!stream.writableEnded) stream.end();
      });
    }
    await rename(temp, path);
    return result;
  } catch (err) {
    stream.destroy();
    await unlink(temp).catch(() => undefined);
    if (!(err instanceof Error && 'syscall' in err)) throw err;
    throw new ContractError('io', sentence('cannot_write', { file: path, detail: errorName(err) }), { file: path }, `Cannot write "${path}": ${err.message}`);
  }
}

/** Runs `write` against an in-memory stream and returns everything written, for a browser download. */
export async function collectBytes(write: (stream: Writable) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await write(sink);
  if (!sink.writableFinished) await new Promise<void>((resolve) => sink.end(() => resolve()));
  return Buffer.concat(chunks);
}

/**
 * Writes an .xlsx workbook to `stream` with exceljs's streaming writer: rows are committed as they come, so memory
 * stays flat however many there are. Each sheet has a bold header row frozen at the top. Ends the stream.
 */
export async function writeXlsx(stream: Writable, sheets: readonly SheetSpec[]): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Callsift';
  let rows = 0;
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((c, i) => ({ key: `c${i}`, header: c.header, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    for (const values of sheet.rows) {
      const row = worksheet.addRow(values.map((v) => (v !== null && typeof v === 'object' ? v.value : v)));
      values.forEach((v, i) => {
        if (v !== null && typeof v === 'object') row.getCell(i + 1).numFmt = v.numFmt;
      });
      row.commit();
      rows += 1;
      // Lets the zip stream hand what it compressed to the file, so it is not all held in memory.
      if (rows % YIELD_EVERY_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    worksheet.commit();
  }
  await workbook.commit();
  return rows;
}
