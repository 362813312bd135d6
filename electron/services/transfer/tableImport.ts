import { PassThrough, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { Open as openZip } from 'unzipper';
import type { ImportField, ImportIssueCode, ImportMapping, RowError } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import type { ByteSource } from './byteSource';
import { CallAssembler } from './callAssembler';
import { columnsOf } from './columnMapping';
import { CsvRecordReader, MAX_QUOTED_CHARS, MAX_QUOTED_LINES, MAX_RECORD_CHARS, type Delimiter } from './csvReader';
import { decodeError, type ImportRun } from './importRun';
import { parseTurnRow, SNAKE_KEYS, type RawRow } from './rowParsers';
import type { TextSource } from './textSource';

const CHECKPOINT_EVERY = 1_000;

/** A row of a table (CSV, TSV, sheet), or a problem that made the reader skip text. */
export type TableEvent =
  | { readonly kind: 'record'; readonly cells: string[]; readonly line: number }
  | { readonly kind: 'error'; readonly error: RowError };

/** Where a table's rows come from, and how it is told the header's width (CSV uses it to catch broken quotes). */
export interface TableSource {
  events(): AsyncIterable<TableEvent>;
  setWidth(width: number): void;
}

const CSV_REASONS: Readonly<Record<'unclosed_quote' | 'bad_closing_quote' | 'row_too_long', (line: number) => string>> = {
  unclosed_quote: (line) =>
    `a quoted field starting on line ${line} is not closed (within ${MAX_QUOTED_LINES} lines or ${MAX_QUOTED_CHARS / 1024} KiB, or before a row with the wrong number of cells); the row was skipped and reading went on at the next line`,
  bad_closing_quote: () => 'a closing quote is followed by other characters; put the whole field in quotes and double the quotes inside it',
  row_too_long: () => `row longer than ${MAX_RECORD_CHARS / 1024 / 1024} M characters without a line end; skipped`,
};

/** The CSV (or TSV) records of a text, with the problems the reader recovered from. */
export function csvTable(source: TextSource, delimiter: Delimiter, skipSepLine: boolean): TableSource {
  const reader = new CsvRecordReader(delimiter);
  return {
    setWidth: (width) => (reader.expectedWidth = width),
    async *events() {
      let first = skipSepLine;
      const convert = function* (events: ReturnType<CsvRecordReader['push']>): Generator<TableEvent> {
        for (const e of events) {
          if (e.kind === 'record') {
            if (first) {
              first = false;
              continue;
            }
            yield e;
          } else {
            const code: ImportIssueCode = e.code;
            yield { kind: 'error', error: { line: e.line, reason: CSV_REASONS[e.code](e.line), code, params: { line: e.line } } };
          }
        }
      };
      for await (const chunk of source.chunks()) yield* convert(reader.push(chunk));
      yield* convert(reader.end());
    },
  };
}

/** A cell of a sheet as text: numbers as written, dates as ISO 8601, rich text joined, formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: unknown }[]; result?: unknown; formula?: unknown; sharedFormula?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellText(v.result);
    if (typeof v.text === 'string' || (typeof v.text === 'object' && v.text !== null)) return cellText(v.text);
    if (v.error !== undefined) return '';
  }
  return '';
}

/** exceljs's streaming reader methods that read an entry's XML (not in its type declarations). */
interface ReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

/** What the streaming reader keeps of the parts it has read (exceljs internals). */
interface ReaderState {
  sharedStrings?: unknown[];
  workbookRels?: unknown[];
  model?: unknown;
}

/** A stream of the entry's text, decoded as UTF-8 across chunk boundaries. */
function utf8Stream(entry: Readable): PassThrough {
  const out = new PassThrough();
  out.setEncoding('utf8');
  entry.on('error', (err) => out.destroy(err));
  entry.pipe(out);
  return out;
}

async function* utf8Chunks(iterator: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of iterator) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}

const baseReader = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;

/** Reads an entry to its end, for nothing. */
async function drain(entry: Readable): Promise<void> {
  for await (const chunk of entry as AsyncIterable<unknown>) void chunk;
}

async function* drainEvents(entry: Readable): AsyncGenerator<never> {
  await drain(entry);
  yield* [];
}

/**
 * exceljs 4.4's streaming reader decodes each zip chunk on its own, so a Chinese character cut by a chunk boundary
 * turns into U+FFFD (in shared strings, sheet names and inline cells). This reader hands it text decoded across
 * chunk boundaries instead.
 */
class Utf8WorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  constructor(private readonly bytes: ByteSource, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) {
    // The stream is opened when the pass starts (`_getStream`): opened now, its bytes would flow by unread meanwhile.
    super(Readable.from([]), options);
  }

  _getStream(): Readable {
    return this.bytes.stream();
  }

  /**
   * The worksheets, in the order the zip stores them, each streamed row by row. exceljs's own pass reads the zip front
   * to back; a workbook written with its workbook part and shared strings after the sheets (exceljs writes them so)
   * sent the sheets through temporary files until those parts came by, a path that now and then hung or lost the
   * sheet names (exceljs #3064). So those small parts are read first, through the zip's central directory, and the
   * pass then parses every sheet as it streams by.
   */
  async *sheetsInOrder(): AsyncGenerator<ExcelJS.stream.xlsx.WorksheetReader & { name?: string }> {
    const zip = await openZip.custom({ size: () => Promise.resolve(this.bytes.totalBytes), stream: (offset, length) => this.bytes.range(offset, length) });
    const part = (path: string) => zip.files.find((f) => f.path === path && f.type === 'File');
    const rels = part('xl/_rels/workbook.xml.rels');
    if (rels) await this._parseRels(rels.stream());
    const workbook = part('xl/workbook.xml');
    if (workbook) await this._parseWorkbook(workbook.stream());
    const strings = part('xl/sharedStrings.xml');
    if (strings) for await (const event of this._parseSharedStrings(strings.stream())) void event;
    // Number formats (which cells are dates) come with the styles.
    const styles = part('xl/styles.xml');
    if (styles) await this._parseStyles(styles.stream());
    this.stylesRead = true;
    // exceljs parses a sheet as it streams by once both of these are known.
    const state = this as unknown as ReaderState;
    state.sharedStrings ??= [];
    state.workbookRels ??= [];
    for await (const ws of this as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name?: string }>) yield ws;
  }

  private stylesRead = false;

  /** Parts already read before the pass are passed over when it meets them. */
  _parseStyles(entry: Readable): Promise<void> {
    return this.stylesRead ? drain(entry) : baseReader._parseStyles.call(this, entry);
  }

  _parseRels(entry: Readable): Promise<void> {
    return (this as unknown as ReaderState).workbookRels ? drain(entry) : baseReader._parseRels.call(this, entry);
  }

  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown> {
    return (this as unknown as ReaderState).sharedStrings ? drainEvents(entry) : baseReader._parseSharedStrings.call(this, utf8Stream(entry));
  }

  _parseWorkbook(entry: Readable): Promise<void> {
    return (this as unknown as ReaderState).model ? drain(entry) : baseReader._parseWorkbook.call(this, utf8Stream(entry));
  }

  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown> {
    return baseReader._parseWorksheet.call(this, utf8Chunks(iterator), sheetNo);
  }
}

/** The sheets of a workbook, in order, as they are streamed. */
export interface XlsxTable extends TableSource {
  /** Every sheet name seen so far (all of them once `events` finished). */
  readonly sheets: string[];
  /** The sheet read (null until it is found). */
  readonly sheet: () => string | null;
}

/**
 * The rows of one sheet of an xlsx workbook (`sheet`, else the first), streamed with exceljs's WorkbookReader: shared
 * strings are cached, rows are never held. The row number is the line. Throws ContractError 'bad_input' when the
 * sheet does not exist or the file is not a workbook.
 */
export function xlsxTable(bytes: ByteSource, fileName: string, sheet: string | undefined, stopAfter = Infinity): XlsxTable {
  const sheets: string[] = [];
  let chosen: string | null = null;
  return {
    sheets,
    sheet: () => chosen,
    setWidth: () => undefined,
    async *events() {
      const reader = new Utf8WorkbookReader(bytes, {
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        styles: 'cache',
        worksheets: 'emit',
        entries: 'ignore',
      });
      let index = 0;
      let taken = 0;
      try {
        for await (const ws of reader.sheetsInOrder()) {
          index++;
          const name = ws.name ?? `Sheet${index}`;
          sheets.push(name);
          const wanted = chosen === null && (sheet === undefined ? index === 1 : name === sheet);
          if (wanted) chosen = name;
          for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
            if (!wanted || taken >= stopAfter) continue;
            const values = Array.isArray(row.values) ? row.values : [];
            const cells: string[] = [];
            for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
            taken++;
            yield { kind: 'record', cells, line: row.number };
          }
        }
      } catch (err) {
        if (err instanceof ContractError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        throw refusal(fileName, 'unreadable_workbook', `Cannot read "${fileName}" as an Excel workbook (.xlsx): ${reason}`, {});
      }
      if (chosen === null) {
        const reason = `Cannot import "${fileName}": it has no sheet named "${sheet ?? ''}" (sheets: ${sheets.join(', ')}).`;
        throw refusal(fileName, 'sheet_not_found', reason, { sheet: sheet ?? '', sheets: sheets.join(', ') });
      }
    },
  };
}

/** A whole-file refusal: `bad_input` with the issue's code and params for the UI. */
export function refusal(file: string, code: ImportIssueCode, reason: string, params: Readonly<Record<string, string | number>>, line?: number): ContractError {
  return new ContractError('bad_input', sentence('import_refused', { file }), { file, ...(line !== undefined ? { line } : {}), issue: { code, params } }, reason);
}

function tableRow(cells: readonly string[], columns: ReadonlyMap<ImportField, number>, headers: readonly string[]): RawRow {
  return {
    get: (key) => {
      const i = columns.get(key);
      return i === undefined ? undefined : cells[i];
    },
    field: (key) => {
      const i = columns.get(key);
      return i === undefined ? SNAKE_KEYS[key] : (headers[i] ?? SNAKE_KEYS[key]);
    },
  };
}

/** What a table's header row says and how its columns were mapped. */
export interface TableHeader {
  readonly headers: readonly string[];
  readonly mapping: ImportMapping;
}

/** Chooses the mapping of a table's headers (the option, a remembered one, or by name). */
export type MappingResolver = (headers: readonly string[]) => Promise<ImportMapping>;

/** Refuses a table whose mapping leaves out `text`. */
export function checkHeader(file: string, headers: readonly string[], mapping: ImportMapping, line: number): void {
  const columns = columnsOf(headers, mapping);
  if (columns.has('text')) return;
  const shown = headers.map((h) => `"${h}"`).join(', ');
  throw refusal(
    file,
    'missing_columns',
    `Cannot import "${file}": no column holds the utterance text (a "text" column, or 文本 / 客户话术 / 用户话术 …; the header row has ${shown}). Map a column to text and import again.`,
    { fields: 'text', headers: headers.join(', ') },
    line,
  );
}

/**
 * Reads a table (CSV, TSV or a sheet) whose first non-blank row is the header: maps the columns, then reads each row
 * as a turn; rows of one call must be consecutive. Returns the header (null when the table is empty).
 */
export async function readTable(run: ImportRun, table: TableSource, resolve: MappingResolver, file: string, checkWidth: boolean): Promise<TableHeader | null> {
  const assembler = new CallAssembler(run.emit, run.report, run.defaults, run.seenCallIds);
  let header: TableHeader | null = null;
  let columns: Map<ImportField, number> = new Map();
  let seen = 0;
  for await (const e of table.events()) {
    if (e.kind === 'error') {
      run.countRow();
      run.report(e.error);
      continue;
    }
    if (e.cells.every((cell) => cell.trim() === '')) continue;
    if (header === null) {
      const headers = e.cells.map((h) => h.trim());
      if (headers.some((h) => h.includes('\uFFFD'))) {
        const bad = decodeError(e.line, run.encoding);
        throw refusal(file, 'decode_failed', `Cannot import "${file}": the header row (line ${e.line}) does not decode as ${run.encoding ?? 'utf-8'}. Choose the file's encoding and import again.`, bad.params ?? {}, e.line);
      }
      const mapping = await resolve(headers);
      checkHeader(file, headers, mapping, e.line);
      header = { headers, mapping };
      columns = columnsOf(headers, mapping);
      table.setWidth(headers.length);
      continue;
    }
    run.countRow();
    seen += 1;
    if (seen % CHECKPOINT_EVERY === 0) run.checkpoint();
    const width = header.headers.length;
    if (checkWidth && e.cells.length !== width) {
      run.report({
        line: e.line,
        reason: `wrong number of columns: the header has ${width}, this row has ${e.cells.length}`,
        code: 'wrong_column_count',
        params: { line: e.line, expected: width, got: e.cells.length },
      });
      continue;
    }
    if (e.cells.some((cell) => cell.includes('\uFFFD'))) {
      run.report(decodeError(e.line, run.encoding));
      continue;
    }
    const { row, reader } = parseTurnRow(tableRow(e.cells, columns, header.headers), e.line, true, run.fileStem);
    for (const err of reader.errors) run.report(err);
    const pending = assembler.add(row);
    if (pending !== undefined) await pending;
  }
  const pending = assembler.finish();
  if (pending !== undefined) await pending;
  return header;
}
