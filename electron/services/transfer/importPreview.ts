import type { ImportField, ImportIssue, ImportMapping, ImportPreview, PreviewRow, RowError, TextEncodingName } from '../../../shared/contract/dto';
import { textEncodingNames } from '../../../shared/contract/schemas';
import { IdSet } from './idSet';
import type { ContractError } from '../../../shared/contract/errors';
import { CallAssembler } from './callAssembler';
import { columnsOf } from './columnMapping';
import { describeJsonError } from './jsonlImport';
import { decodeError, type ImportRun } from './importRun';
import { SNAKE_KEYS, parseTurnRow, type RowKey } from './rowParsers';
import { tableOf, type PreparedImport } from './importRecords';
import { LineSplitter } from './textSource';

/** How the preview decides a table's mapping: the source it reports with it. */
export type PreviewMappingResolver = (headers: readonly string[]) => Promise<{ mapping: ImportMapping; source: ImportPreview['mappingSource'] }>;

const REQUIRED: readonly ImportField[] = ['text'];
const MAX_ISSUES = 100;

function issueOf(e: RowError): ImportIssue {
  return { code: e.code, ...(e.params ? { params: e.params } : {}), reason: e.reason, line: e.line };
}

/** A preview of a file refused as a whole: what is known, and the refusal as its one issue. */
export function refusedPreview(file: string, totalBytes: number, err: ContractError, prep: PreparedImport | null): ImportPreview {
  const issue = err.details?.issue;
  const tried = issue?.params?.encoding;
  const encoding = prep?.encoding?.encoding ?? ((textEncodingNames as readonly unknown[]).includes(tried) ? (tried as TextEncodingName) : null);
  return {
    ...basePreview(prep, file, totalBytes),
    encoding,
    issues: [
      {
        code: (issue?.code ?? 'unknown_format') as ImportIssue['code'],
        ...(issue?.params ? { params: issue.params } : {}),
        reason: err.message,
        ...(err.details?.line !== undefined ? { line: err.details.line } : {}),
      },
    ],
    importable: false,
  };
}

function basePreview(prep: PreparedImport | null, file: string, totalBytes: number): Omit<ImportPreview, 'issues' | 'importable'> {
  return {
    file,
    format: prep?.format ?? 'csv',
    encoding: prep?.encoding?.encoding ?? null,
    encodingSource: prep?.encoding?.source ?? null,
    encodingAlternatives: prep?.encoding?.alternatives ?? [],
    delimiter: prep?.delimiter ?? null,
    hasHeader: prep !== null && prep.format !== 'jsonl',
    sheets: [],
    sheet: null,
    headers: [],
    mapping: {},
    mappingSource: 'auto',
    unmappedHeaders: [],
    missingFields: [],
    rows: [],
    totalBytes,
  };
}

function collectingRun(prep: PreparedImport, issues: ImportIssue[]): ImportRun {
  return {
    source: prep.text!,
    encoding: prep.encoding?.encoding ?? null,
    fileStem: 'preview',
    defaults: { startedAt: 0, campaign: 'preview' },
    seenCallIds: new IdSet(),
    emit: () => undefined,
    report: (e) => {
      if (issues.length < MAX_ISSUES) issues.push(issueOf(e));
    },
    countRow: () => undefined,
    checkpoint: () => undefined,
  };
}

/** Reads the first `limit` rows of a prepared import the way import would and describes them. */
export async function previewPrepared(prep: PreparedImport, options: { sheet?: string; limit: number; resolve: PreviewMappingResolver }): Promise<ImportPreview> {
  const issues: ImportIssue[] = [];
  const run = collectingRun(prep, issues);
  if (prep.format === 'jsonl') return previewJsonLines(prep, run, issues, options.limit);
  // Rows past the sample are never converted (a workbook is still streamed to its end for its sheet names).
  const table = tableOf(prep, options.sheet, options.limit + 100);
  const assembler = new CallAssembler(run.emit, run.report, run.defaults, run.seenCallIds);
  let headers: string[] | null = null;
  let mapping: ImportMapping = {};
  let source: ImportPreview['mappingSource'] = 'auto';
  let columns = new Map<ImportField, number>();
  const rows: PreviewRow[] = [];
  let done = false;
  for await (const e of table.events()) {
    // An xlsx stream is drained to its end (the sheet names come with it); CSV stops once the sample is read.
    if (done) {
      if (prep.format === 'xlsx') continue;
      break;
    }
    if (e.kind === 'error') {
      run.report(e.error);
      continue;
    }
    if (e.cells.every((c) => c.trim() === '')) continue;
    if (headers === null) {
      headers = e.cells.map((h) => h.trim());
      ({ mapping, source } = await options.resolve(headers));
      columns = columnsOf(headers, mapping);
      table.setWidth(headers.length);
      if (headers.some((h) => h.includes('\uFFFD'))) run.report(decodeError(e.line, run.encoding));
      continue;
    }
    const fields: Partial<Record<ImportField, string>> = {};
    for (const [field, i] of columns) {
      const v = e.cells[i];
      if (v !== undefined && v !== '') fields[field] = v;
    }
    rows.push({ line: e.line, cells: e.cells, fields });
    if (prep.format !== 'xlsx' && e.cells.length !== headers.length) {
      run.report({
        line: e.line,
        reason: `wrong number of columns: the header has ${headers.length}, this row has ${e.cells.length}`,
        code: 'wrong_column_count',
        params: { line: e.line, expected: headers.length, got: e.cells.length },
      });
    } else if (e.cells.some((c) => c.includes('\uFFFD'))) {
      run.report(decodeError(e.line, run.encoding));
    } else {
      const hs = headers;
      const { row, reader } = parseTurnRow(
        {
          get: (key: RowKey) => {
            const i = columns.get(key);
            return i === undefined ? undefined : e.cells[i];
          },
          field: (key: RowKey) => {
            const i = columns.get(key);
            return i === undefined ? SNAKE_KEYS[key] : (hs[i] ?? SNAKE_KEYS[key]);
          },
        },
        e.line,
        true,
        run.fileStem,
      );
      for (const err of reader.errors) run.report(err);
      assembler.add(row);
    }
    if (rows.length >= options.limit) done = true;
  }
  if (!done) assembler.finish();
  const hs = headers ?? [];
  const missingFields = headers === null ? [...REQUIRED] : REQUIRED.filter((f) => !columns.has(f));
  const xlsx = table as { sheets?: string[]; sheet?: () => string | null };
  return {
    ...basePreview(prep, prep.fileName, prep.totalBytes),
    sheets: xlsx.sheets ?? [],
    sheet: xlsx.sheet?.() ?? null,
    headers: hs,
    mapping,
    mappingSource: source,
    unmappedHeaders: hs.filter((h) => h !== '' && mapping[h] == null),
    missingFields,
    rows,
    issues,
    importable: missingFields.length === 0,
  };
}

const JSON_FIELDS: Readonly<Record<string, ImportField>> = Object.fromEntries(
  (Object.keys(SNAKE_KEYS) as RowKey[]).flatMap((k) => [
    [k, k],
    [SNAKE_KEYS[k], k],
  ]),
);

async function previewJsonLines(prep: PreparedImport, run: ImportRun, issues: ImportIssue[], limit: number): Promise<ImportPreview> {
  const splitter = new LineSplitter(8 * 1024 * 1024);
  const rows: PreviewRow[] = [];
  const headers: string[] = [];
  const consider = (text: string | symbol, line: number): void => {
    if (typeof text !== 'string' || text.trim() === '' || rows.length >= limit) return;
    if (text.includes('\uFFFD')) {
      run.report(decodeError(line, run.encoding));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      run.report({ line, reason: describeJsonError(err, text), code: 'invalid_json', params: { line } });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      run.report({ line, reason: 'each line must be a JSON object ({…})', code: 'not_json_object', params: { line } });
      return;
    }
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!headers.includes(k)) headers.push(k);
    const fields: Partial<Record<ImportField, string>> = {};
    for (const [k, v] of Object.entries(obj)) {
      const field = JSON_FIELDS[k];
      if (field !== undefined && (typeof v === 'string' || typeof v === 'number')) fields[field] = String(v);
    }
    if (Array.isArray(obj.turns)) {
      const user = obj.turns.find((t: unknown) => typeof t === 'object' && t !== null && (t as { speaker?: unknown }).speaker !== 'bot') as { text?: unknown } | undefined;
      if (typeof user?.text === 'string') fields.text = user.text;
      if (typeof obj.id === 'string') fields.callId = obj.id;
    }
    rows.push({ line, cells: [text.length > 2000 ? `${text.slice(0, 2000)}…` : text], fields });
  };
  outer: for await (const chunk of prep.text!.chunks()) {
    const first = splitter.nextLine;
    const lines = splitter.push(chunk);
    for (let i = 0; i < lines.length; i++) {
      consider(lines[i]!, first + i);
      if (rows.length >= limit) break outer;
    }
  }
  if (rows.length < limit) {
    const first = splitter.nextLine;
    splitter.end().forEach((text, i) => consider(text, first + i));
  }
  const mapping: Record<string, ImportField | null> = {};
  for (const h of headers) mapping[h] = JSON_FIELDS[h] ?? null;
  return {
    ...basePreview(prep, prep.fileName, prep.totalBytes),
    headers,
    mapping,
    unmappedHeaders: headers.filter((h) => mapping[h] === null && h !== 'turns'),
    rows,
    issues,
    importable: true,
  };
}
