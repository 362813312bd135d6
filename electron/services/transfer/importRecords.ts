import { stat } from 'node:fs/promises';
import { IdSet } from './idSet';
import iconv from 'iconv-lite';
import { basename, extname } from 'node:path';
import type { ImportFormat, ImportMapping, RowError, TextEncodingName } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { sentence, errorName } from '../../../shared/contract/errorWords';
import { bufferByteSource, fileByteSource, type ByteSource } from './byteSource';
import type { ImportedCall } from './callAssembler';
import { autoMapping } from './columnMapping';
import { sepLineOf, sniffDelimiter, type Delimiter } from './csvReader';
import { commonHanziShare } from './commonHanzi';
import { chooseEncoding, findDecodeFailure, isZip, looksBinary, SAMPLE_BYTES, type DecodeFailure, type EncodingChoice } from './encoding';
import type { ImportRun } from './importRun';
import { readJsonLines } from './jsonlImport';
import { csvTable, readTable, refusal, xlsxTable, type MappingResolver, type TableHeader, type TableSource } from './tableImport';
import { byteTextSource, stringTextSource, type TextSource } from './textSource';

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
  /** The text encoding; detected when absent. */
  readonly encoding?: TextEncodingName;
  /** The sheet of an xlsx workbook; the first when absent. */
  readonly sheet?: string;
  /** The CSV cell separator; from a `sep=` line or sniffed when absent. */
  readonly delimiter?: Delimiter;
  /** Header → field for tables, over the automatic mapping (`resolveMapping` decides when absent). */
  readonly mapping?: ImportMapping;
  /** Chooses the mapping of a table's headers; default: `mapping` over the automatic one. */
  readonly resolveMapping?: MappingResolver;
}

/** Counts of one import: non-blank rows, calls and user turns delivered, errors reported; and how it was read. */
export interface ImportSummary {
  readonly rows: number;
  readonly calls: number;
  readonly utterances: number;
  readonly errors: number;
  readonly format: ImportFormat;
  readonly encoding: TextEncodingName | null;
  /** The header row and mapping of a table (null for JSON Lines or an empty table). */
  readonly header: TableHeader | null;
}

const FORMAT_BY_EXTENSION: Readonly<Record<string, ImportFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.txt': 'csv',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
};

/** The format of an import file by its extension; throws ContractError 'bad_input' for others. */
export function importFormatOf(fileName: string): ImportFormat {
  const ext = extname(fileName).toLowerCase();
  const format = FORMAT_BY_EXTENSION[ext];
  if (format === undefined) {
    const old = ext === '.xls' ? ' Old .xls workbooks cannot be read: save it as .xlsx or CSV.' : '';
    throw refusal(
      fileName,
      'unknown_format',
      `Cannot import "${basename(fileName)}": use a .jsonl, .ndjson, .json, .csv, .tsv, .txt or .xlsx file.${old}`,
      { file: basename(fileName), extension: ext },
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
  return new ContractError('io', sentence('cannot_read', { file: path, detail: errorName(err) }), { file: path }, `Cannot read "${path}": ${reason}`);
}

/** What an import reads: bytes (a file or an upload in any encoding), or text already decoded. */
export type ImportInput = { readonly fileName: string; readonly bytes: ByteSource } | { readonly fileName: string; readonly text: string };

/** How a file will be read, decided from its name, its first bytes and the options, before any row is read. */
export interface PreparedImport {
  readonly fileName: string;
  readonly format: ImportFormat;
  readonly encoding: EncodingChoice | null;
  readonly delimiter: Delimiter | null;
  readonly skipSepLine: boolean;
  readonly text: TextSource | null;
  readonly bytes: ByteSource | null;
  readonly totalBytes: number;
}

/**
 * Decides format, encoding and delimiter. Refuses (ContractError 'bad_input' with `details.issue`) a file of an
 * unknown kind, a binary file, and one whose first 256 KiB do not decode cleanly in the chosen encoding (naming the
 * line and encoding): mojibake is never imported.
 */
export async function prepareImport(input: ImportInput, options: Pick<ImportOptions, 'encoding' | 'delimiter'>): Promise<PreparedImport> {
  const file = basename(input.fileName);
  let format = importFormatOf(input.fileName);
  if ('text' in input) {
    if (format === 'xlsx') throw refusal(file, 'unreadable_workbook', `Cannot import "${file}" as text: upload a workbook as bytes (dataBase64).`, {});
    const text = stringTextSource(input.text);
    const head = input.text.slice(0, SAMPLE_BYTES);
    const bad = head.indexOf('\uFFFD');
    if (bad >= 0) {
      const line = head.slice(0, bad).split(/\r\n|\r|\n/).length;
      throw refusal(file, 'decode_failed', `Cannot import "${file}": line ${line} has characters that were not decoded (U+FFFD); upload the file as bytes or save it as UTF-8.`, { line, encoding: 'utf-8' }, line);
    }
    const delimiter = format === 'jsonl' ? null : (options.delimiter ?? sepLineOf(head) ?? sniffDelimiter(head, format === 'tsv' ? '\t' : ','));
    const encoding: EncodingChoice = { encoding: 'utf-8', source: 'given', alternatives: [] };
    return { fileName: file, format, encoding, delimiter, skipSepLine: format !== 'jsonl' && sepLineOf(head) !== null, text, bytes: null, totalBytes: text.totalBytes };
  }
  const bytes = input.bytes;
  const sample = await bytes.sample(SAMPLE_BYTES);
  if (isZip(sample)) format = 'xlsx';
  else if (format === 'xlsx') {
    throw refusal(file, 'unreadable_workbook', `Cannot import "${file}": it is not an Excel workbook (.xlsx). A CSV file needs the .csv extension.`, {});
  }
  if (format === 'xlsx') return { fileName: file, format, encoding: null, delimiter: null, skipSepLine: false, text: null, bytes, totalBytes: bytes.totalBytes };
  const encoding = chooseEncoding(sample, options.encoding);
  if (!encoding.encoding.startsWith('utf-16') && looksBinary(sample)) {
    throw refusal(file, 'binary_file', `Cannot import "${file}": it is not a text file (it holds binary data). Import JSON Lines, CSV, TSV or .xlsx.`, {});
  }
  const failure = findDecodeFailure(sample, encoding.encoding) ?? implausibleText(sample, encoding);
  if (failure !== null) {
    const others = encoding.alternatives.map((a) => a.encoding).join(', ');
    throw refusal(
      file,
      'decode_failed',
      `Cannot import "${file}": line ${failure.line} does not decode as ${failure.encoding}${others ? ` (other likely encodings: ${others})` : ''}; nothing was imported. Choose the file's encoding and import again.`,
      { line: failure.line, encoding: failure.encoding, alternatives: others },
      failure.line,
    );
  }
  const text = byteTextSource(bytes, encoding.encoding);
  let delimiter: Delimiter | null = null;
  let skipSepLine = false;
  if (format !== 'jsonl') {
    const head = iconv.decode(sample, encoding.encoding);
    const sep = sepLineOf(head);
    skipSepLine = sep !== null;
    delimiter = options.delimiter ?? sep ?? sniffDelimiter(head, format === 'tsv' ? '\t' : ',');
    if (format === 'csv' && delimiter === '\t') format = 'tsv';
  }
  return { fileName: file, format, encoding, delimiter, skipSepLine, text, bytes, totalBytes: bytes.totalBytes };
}

/**
 * A detected CJK encoding that decodes the sample cleanly but into rare characters: the bytes are in an encoding we
 * do not read (Windows-1252 read as GBK, say), so the file is refused rather than imported as mojibake.
 */
function implausibleText(sample: Buffer, choice: EncodingChoice): DecodeFailure | null {
  if (choice.source !== 'detected' || (choice.encoding !== 'gb18030' && choice.encoding !== 'big5')) return null;
  const text = iconv.decode(sample, choice.encoding);
  const share = commonHanziShare(text);
  if (share === null || share >= 0.25) return null;
  let firstNonAscii = 0;
  while (firstNonAscii < text.length && text.charCodeAt(firstNonAscii) < 0x80) firstNonAscii++;
  return { line: text.slice(0, Math.max(0, firstNonAscii)).split(/\r\n|\r|\n/).length, encoding: choice.encoding };
}

/** The table of a prepared CSV, TSV or xlsx import. */
export function tableOf(prep: PreparedImport, sheet: string | undefined, stopAfter?: number): TableSource & { sheets?: string[]; sheet?: () => string | null } {
  if (prep.format === 'xlsx') return xlsxTable(prep.bytes!, prep.fileName, sheet, stopAfter);
  return csvTable(prep.text!, prep.delimiter ?? ',', prep.skipSepLine);
}

/** The default mapping of headers: the automatic one, with `given` over it. */
export function mappingWith(headers: readonly string[], given: ImportMapping | undefined): ImportMapping {
  const auto = autoMapping(headers);
  if (given === undefined) return auto;
  const out: Record<string, ImportMapping[string]> = {};
  for (const h of headers) out[h] = h in given ? (given[h] ?? null) : (auto[h] ?? null);
  return out;
}

async function runImport(prep: PreparedImport, defaultStartedAt: number, handlers: ImportHandlers, options: ImportOptions): Promise<ImportSummary> {
  const counts = { rows: 0, calls: 0, utterances: 0, errors: 0 };
  const { signal, onProgress } = options;
  let lastProgress = -1;
  const progressOf = (): number => (prep.text !== null ? prep.text.bytesRead() : (prep.bytes?.bytesRead() ?? 0));
  const run: ImportRun = {
    source: prep.text ?? stringTextSource(''),
    encoding: prep.encoding?.encoding ?? null,
    fileStem: fileStemOf(prep.fileName),
    defaults: { startedAt: defaultStartedAt, campaign: fileStemOf(prep.fileName) },
    seenCallIds: new IdSet(),
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
      const read = progressOf();
      if (onProgress !== undefined && read !== lastProgress) {
        lastProgress = read;
        onProgress(read, prep.totalBytes);
      }
    },
  };
  signal?.throwIfAborted();
  let header: TableHeader | null = null;
  if (prep.format === 'jsonl') await readJsonLines(run);
  else {
    const resolve = options.resolveMapping ?? ((headers) => Promise.resolve(mappingWith(headers, options.mapping)));
    header = await readTable(run, tableOf(prep, options.sheet), resolve, prep.fileName, prep.format !== 'xlsx');
    if (header === null) run.report({ line: 1, reason: 'the file has no header row', code: 'no_header', params: { line: 1 } });
  }
  signal?.throwIfAborted();
  onProgress?.(prep.totalBytes, prep.totalBytes);
  return { ...counts, format: prep.format, encoding: prep.encoding?.encoding ?? null, header };
}

function isContractError(err: unknown): boolean {
  return err instanceof ContractError || (err instanceof Error && err.name === 'AbortError');
}

/** The size and modification time of a file to import; ContractError 'io' when it is not a readable file. */
export async function importFileInfo(path: string): Promise<{ size: number; mtime: number }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    return { size: info.size, mtime: Math.round(info.mtimeMs) };
  } catch (err) {
    throw ioError(path, err);
  }
}

/**
 * Streams an import file (JSON Lines, CSV, TSV or xlsx; chosen by extension, a workbook also by its bytes) and
 * delivers each valid call to `onCall` in file order, awaiting it when it returns a promise. Bad rows go to `onError`
 * with their 1-based line and are skipped. Throws ContractError 'bad_input' for a file it refuses as a whole (unknown
 * kind, binary, wrong encoding, no text column) and 'io' when the file cannot be read; rejects with the signal's
 * reason when cancelled.
 */
export async function readImportFile(path: string, handlers: ImportHandlers, options: ImportOptions = {}): Promise<ImportSummary> {
  importFormatOf(path);
  const { size, mtime } = await importFileInfo(path);
  try {
    const prep = await prepareImport({ fileName: path, bytes: fileByteSource(path, size) }, options);
    return await runImport(prep, options.defaultStartedAt ?? mtime, handlers, options);
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
  const prep = await prepareImport({ fileName, text: content }, options);
  return runImport(prep, options.defaultStartedAt ?? Date.now(), handlers, options);
}

/** Same as readImportFile for an upload's bytes in any encoding. */
export async function readImportBytes(fileName: string, data: Buffer, handlers: ImportHandlers, options: ImportOptions = {}): Promise<ImportSummary> {
  const prep = await prepareImport({ fileName, bytes: bufferByteSource(data) }, options);
  return runImport(prep, options.defaultStartedAt ?? Date.now(), handlers, options);
}
