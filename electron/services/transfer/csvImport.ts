import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import type { RowError } from '../../../shared/contract/dto';
import { CallAssembler } from './callAssembler';
import type { ImportRun } from './importRun';
import { parseTurnRow, SNAKE_KEYS, type RawRow, type RowKey } from './rowParsers';

const CHECKPOINT_EVERY = 1_000;

interface ParsedRecord {
  readonly record: string[];
  readonly raw: string;
  readonly endLine: number;
}

function toParsedRecord(value: unknown): ParsedRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { record?: unknown; raw?: unknown; info?: { lines?: unknown } };
  if (!Array.isArray(v.record) || typeof v.raw !== 'string' || typeof v.info?.lines !== 'number') return null;
  return { record: v.record.map((cell) => String(cell)), raw: v.raw, endLine: v.info.lines };
}

/** First physical line of a record, from the line it ended on and the newlines inside it. */
function startLine(rec: ParsedRecord): number {
  let raw = rec.raw;
  let lead = 0;
  while (lead < raw.length && raw.charCodeAt(lead) === 10) lead += 1;
  raw = raw.slice(lead);
  let inner = 0;
  for (let i = 0; i < raw.length; i += 1) if (raw.charCodeAt(i) === 10) inner += 1;
  if (raw.endsWith('\n')) inner -= 1;
  return rec.endLine - Math.max(inner, 0);
}

function describeCsvError(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is not closed before the end of the file';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters; put the whole field in quotes and double the quotes inside it';
    default:
      return `cannot read this row: ${err.message}`;
  }
}

function headerIndex(header: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (key !== '' && !index.has(key)) index.set(key, i);
  });
  return index;
}

function csvRow(cells: readonly string[], columns: ReadonlyMap<string, number>): RawRow {
  return {
    get: (key: RowKey) => {
      const i = columns.get(SNAKE_KEYS[key]);
      return i === undefined ? undefined : cells[i];
    },
    field: (key: RowKey) => SNAKE_KEYS[key],
  };
}

/**
 * Reads CSV (or TSV with `delimiter: '\t'`) with a header row; columns are matched case-insensitively.
 * Rows of one call must be consecutive.
 */
export async function readDelimited(run: ImportRun, delimiter: ',' | '\t'): Promise<void> {
  const pendingErrors: RowError[] = [];
  const parser = parse({
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    raw: true,
    on_skip: (err) => {
      if (err !== undefined) pendingErrors.push({ line: typeof err.lines === 'number' ? err.lines : 1, reason: describeCsvError(err) });
      return undefined;
    },
  });
  const input = Readable.from(run.source.chunks());
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  const flushErrorsBefore = (line: number): void => {
    while (pendingErrors.length > 0 && (pendingErrors[0]?.line ?? Infinity) < line) {
      const e = pendingErrors.shift();
      if (e !== undefined) {
        run.countRow();
        run.report(e);
      }
    }
  };

  const assembler = new CallAssembler(run.emit, run.report, run.defaults);
  let columns: Map<string, number> | null = null;
  let width = 0;
  let seen = 0;
  try {
    for await (const value of parser as AsyncIterable<unknown>) {
      const rec = toParsedRecord(value);
      if (rec === null) continue;
      const line = startLine(rec);
      flushErrorsBefore(line);
      if (rec.record.every((cell) => cell.trim() === '')) continue;
      if (columns === null) {
        columns = headerIndex(rec.record);
        width = rec.record.length;
        if (!columns.has('text')) {
          run.report({ line, field: 'text', reason: 'the header row has no "text" column; nothing was imported' });
          return;
        }
        continue;
      }
      run.countRow();
      seen += 1;
      if (seen % CHECKPOINT_EVERY === 0) run.checkpoint();
      if (rec.record.length !== width) {
        run.report({ line, reason: `wrong number of columns: the header has ${width}, this row has ${rec.record.length}` });
        continue;
      }
      const { row, reader } = parseTurnRow(csvRow(rec.record, columns), line, true, run.fileStem);
      for (const e of reader.errors) run.report(e);
      const pending = assembler.add(row);
      if (pending !== undefined) await pending;
    }
  } finally {
    input.destroy();
    parser.destroy();
  }
  flushErrorsBefore(Infinity);
  if (columns === null) run.report({ line: 1, reason: 'the file has no header row' });
  const pending = assembler.finish();
  if (pending !== undefined) await pending;
}
