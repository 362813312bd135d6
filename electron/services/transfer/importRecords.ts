import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { RowError } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import type { ImportedCall } from './callAssembler';
import { readDelimited } from './csvImport';
import type { ImportRun } from './importRun';
import { readJsonLines } from './jsonlImport';
import { fileTextSource, stringTextSource, type TextSource } from './textSource';

export type { ImportedCall, ImportedLabel } from './callAssembler';
export type { ImportedLabelTarget } from './importFields';

/** Receives what an import finds, in file order. */
export interface ImportHandlers {
  /** One valid call; return a promise to make the reader wait (backpressure). */
  onCall(rec: ImportedCall): void | Promise<void>;
  /** One bad row or field; the row (or turn) was skipped and the import goes on. */
  onError(err: RowError): void;
}

export interface ImportOptions {
  /** Cancels the import; the returned promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called now and then with the bytes read so far. */
  onProgress?(bytesRead: number, totalBytes: number): void;
  /** startedAt of calls whose file does not say; defaults to the file's modification time (or now, for content). */
  readonly defaultStartedAt?: number;
}

/** Counts of one import: non-blank rows, calls and user turns delivered, errors reported. */
export interface ImportSummary {
  readonly rows: number;
  readonly calls: number;
  readonly utterances: number;
  readonly errors: number;
}

type ImportFormat = 'jsonl' | 'csv' | 'tsv';

const FORMAT_BY_EXTENSION: Readonly<Record<string, ImportFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
};

/** The format of an import file, chosen by its extension; throws ContractError 'bad_input' for others. */
export function importFormatOf(fileName: string): ImportFormat {
  const format = FORMAT_BY_EXTENSION[extname(fileName).toLowerCase()];
  if (format === undefined) {
    throw new ContractError(
      'bad_input',
      `Cannot import "${basename(fileName)}": use a .jsonl, .ndjson, .json, .csv or .tsv file.`,
      { file: fileName },
    );
  }
  return format;
}

function fileStemOf(fileName: string): string {
  const name = basename(fileName.replace(/\\/g, '/'));
  const ext = extname(name);
  return ext === '' ? name : name.slice(0, -ext.length);
}

function ioError(path: string, err: unknown): ContractError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ContractError('io', `Cannot read "${path}": ${reason}`, { file: path });
}

async function runImport(
  fileName: string,
  format: ImportFormat,
  source: TextSource,
  defaultStartedAt: number,
  handlers: ImportHandlers,
  options: ImportOptions,
): Promise<ImportSummary> {
  const counts = { rows: 0, calls: 0, utterances: 0, errors: 0 };
  const { signal, onProgress } = options;
  let lastProgress = -1;
  const run: ImportRun = {
    source,
    fileStem: fileStemOf(fileName),
    defaults: { startedAt: defaultStartedAt, campaign: fileStemOf(fileName) },
    emit: (rec) => {
      counts.calls += 1;
      for (const t of rec.call.turns) if (t.speaker === 'user') counts.utterances += 1;
      return handlers.onCall(rec);
    },
    report: (err) => {
      counts.errors += 1;
      handlers.onError(err);
    },
    countRow: () => {
      counts.rows += 1;
    },
    checkpoint: () => {
      signal?.throwIfAborted();
      const read = source.bytesRead();
      if (onProgress !== undefined && read !== lastProgress) {
        lastProgress = read;
        onProgress(read, source.totalBytes);
      }
    },
  };
  signal?.throwIfAborted();
  if (format === 'jsonl') await readJsonLines(run);
  else await readDelimited(run, format === 'tsv' ? '\t' : ',');
  signal?.throwIfAborted();
  onProgress?.(source.totalBytes, source.totalBytes);
  return counts;
}

function isContractError(err: unknown): boolean {
  return err instanceof ContractError || (err instanceof Error && err.name === 'AbortError');
}

/**
 * Streams an import file (JSON Lines, CSV or TSV, chosen by extension) and delivers each valid call
 * to `onCall` in file order, awaiting it when it returns a promise. Bad rows go to `onError` with
 * their 1-based line and are skipped. Throws ContractError 'bad_input' for an unknown extension and
 * 'io' when the file cannot be read; rejects with the signal's reason when cancelled.
 */
export async function readImportFile(path: string, handlers: ImportHandlers, options: ImportOptions = {}): Promise<ImportSummary> {
  const format = importFormatOf(path);
  let size: number;
  let mtime: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
    mtime = Math.round(info.mtimeMs);
  } catch (err) {
    throw ioError(path, err);
  }
  try {
    return await runImport(path, format, fileTextSource(path, size), options.defaultStartedAt ?? mtime, handlers, options);
  } catch (err) {
    if (isContractError(err) || options.signal?.aborted === true) throw err;
    if (err instanceof Error && 'syscall' in err) throw ioError(path, err);
    throw err;
  }
}

/**
 * Same as readImportFile for text already in memory (a browser upload); `fileName` chooses the
 * format and names one-turn calls and the default campaign.
 */
export async function readImportContent(fileName: string, content: string, handlers: ImportHandlers, options: ImportOptions = {}): Promise<ImportSummary> {
  const format = importFormatOf(fileName);
  return runImport(fileName, format, stringTextSource(content), options.defaultStartedAt ?? Date.now(), handlers, options);
}
