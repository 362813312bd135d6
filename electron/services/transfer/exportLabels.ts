import type { Writable } from 'node:stream';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { stringify as stringifyYaml } from 'yaml';
import type { ExportFormat } from '../../../shared/contract/dto';
import { collectBytes, writeChunk, writeFileWhole, writeXlsx, type SheetCell, type SheetSpec } from './exportWriter';

/** One labeled utterance as exported. `label` is the intent name, 'none_of_these' or 'bad_transcript'. */
export interface ExportRow {
  readonly utteranceId: string;
  readonly callId: string;
  readonly turnIndex: number;
  readonly text: string;
  readonly label: string;
  readonly intentId: string | null;
  readonly annotator: string;
  readonly labeledAt: number;
  readonly source: string;
  readonly campaign: string;
  /** The bot turn right before the utterance, if any (written as `bot_text` / `botText`, which import reads back). */
  readonly botText?: string | null;
  /** That bot turn's flow node, if the platform or an import named one (`node`). */
  readonly node?: string | null;
}

/** Label names of the two targets that are not intents. */
export const NONE_OF_THESE_LABEL = 'none_of_these';
export const BAD_TRANSCRIPT_LABEL = 'bad_transcript';

/** Version of Rasa's training data format written by the 'rasa' export. */
export const RASA_DATA_VERSION = '3.1';

const CSV_COLUMNS = ['utterance_id', 'call_id', 'turn_index', 'text', 'intent', 'intent_id', 'annotator', 'labeled_at', 'source', 'campaign', 'bot_text', 'node'] as const;
const BATCH_ROWS = 2_000;
/** Starts every CSV export, so spreadsheet apps read the file as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/**
 * Renders one row as a JSON line (without the newline); `intent` holds the label name. The bot prompt and its node
 * are written when the utterance has a prompt, so importing the file back gives the utterance the same context.
 */
export function toJsonLine(row: ExportRow): string {
  return JSON.stringify({
    text: row.text,
    intent: row.label,
    intentId: row.intentId,
    utteranceId: row.utteranceId,
    callId: row.callId,
    turnIndex: row.turnIndex,
    annotator: row.annotator,
    labeledAt: row.labeledAt,
    source: row.source,
    campaign: row.campaign,
    ...(row.botText ? { botText: row.botText } : {}),
    ...(row.botText && row.node ? { node: row.node } : {}),
  });
}

function toCsvRecord(row: ExportRow): string[] {
  return [
    row.utteranceId,
    row.callId,
    String(row.turnIndex),
    row.text,
    row.label,
    row.intentId ?? '',
    row.annotator,
    new Date(row.labeledAt).toISOString(),
    row.source,
    row.campaign,
    row.botText ?? '',
    row.botText ? (row.node ?? '') : '',
  ];
}

function renderCsv(records: string[][], withHeader: boolean): string {
  return stringifyCsv(records, { header: withHeader, columns: [...CSV_COLUMNS] });
}

/** Control characters, DEL and the Unicode line separators: anything that would break a YAML line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_BREAKERS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

function oneLine(text: string): string {
  return text.replace(LINE_BREAKERS, ' ').replace(/\s+/g, ' ').trim();
}

/** Characters a Rasa intent name keeps: letters (any script), combining marks, digits, `_` and `-`. */
const RASA_NAME_RUN = /[\p{L}\p{M}\p{N}_-]+/gu;

/**
 * Maps intent names to names Rasa accepts, one to one and deterministically. A name keeps its runs of letters (any
 * script, so Chinese stays), digits, `_` and `-`; every other run (`/`, which Rasa reads as its retrieval-intent
 * separator, `+`, whitespace, punctuation) becomes one `_`, and such runs at either end are dropped
 * (`否定/拒绝` → `否定_拒绝`, `cancel plan` → `cancel_plan`); a name left empty becomes `intent`. Names that are already
 * valid keep themselves; the others, in sorted order, take the first of `name`, `name_2`, `name_3`, … still free.
 */
export function mapRasaIntentNames(names: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(names)].sort(compareCodeUnits);
  const mapping = new Map<string, string>();
  const taken = new Set<string>();
  const candidates = sorted.map((name) => [name, toRasaIntentName(name)] as const);
  for (const [name, candidate] of candidates) {
    if (candidate !== name) continue;
    mapping.set(name, name);
    taken.add(name);
  }
  for (const [name, candidate] of candidates) {
    if (mapping.has(name)) continue;
    let chosen = candidate;
    for (let n = 2; taken.has(chosen); n += 1) chosen = `${candidate}_${n}`;
    mapping.set(name, chosen);
    taken.add(chosen);
  }
  return mapping;
}

/** One name as Rasa accepts it, before collisions are resolved (see mapRasaIntentNames). */
export function toRasaIntentName(name: string): string {
  const runs = name.normalize('NFC').match(RASA_NAME_RUN);
  return runs ? runs.join('_') : 'intent';
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Metadata key on each Rasa intent entry holding the intent's name in Callsift. */
export const RASA_ORIGINAL_NAME_KEY = 'callsift_intent';

/**
 * Renders Rasa NLU training data: one entry per intent (sorted by name), none and bad-transcript labels left out.
 * Intent names go through mapRasaIntentNames; each entry keeps the original in `metadata.callsift_intent`.
 */
export function renderRasa(rows: Iterable<ExportRow>): { content: string; rows: number } {
  const byIntent = new Map<string, Set<string>>();
  let count = 0;
  for (const row of rows) {
    if (row.label === NONE_OF_THESE_LABEL || row.label === BAD_TRANSCRIPT_LABEL) continue;
    const text = oneLine(row.text);
    if (text === '') continue;
    let examples = byIntent.get(row.label);
    if (examples === undefined) {
      examples = new Set();
      byIntent.set(row.label, examples);
    }
    if (!examples.has(text)) {
      examples.add(text);
      count += 1;
    }
  }
  const names = [...byIntent.keys()].sort(compareCodeUnits);
  const rasaNames = mapRasaIntentNames(names);
  const nlu = names.map((name) => ({
    intent: rasaNames.get(name) ?? name,
    metadata: { [RASA_ORIGINAL_NAME_KEY]: name },
    examples: [...(byIntent.get(name) ?? [])].map((t) => `- ${t}\n`).join(''),
  }));
  const content = stringifyYaml({ version: RASA_DATA_VERSION, nlu }, { blockQuote: 'literal', lineWidth: 0 });
  return { content, rows: count };
}

function* batches<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Widths (in characters) of the xlsx columns, index-aligned with CSV_COLUMNS. */
const XLSX_WIDTHS: Record<(typeof CSV_COLUMNS)[number], number> = {
  utterance_id: 18,
  call_id: 14,
  turn_index: 10,
  text: 60,
  intent: 22,
  intent_id: 14,
  annotator: 12,
  labeled_at: 25,
  source: 10,
  campaign: 18,
  bot_text: 40,
  node: 18,
};

function toXlsxCells(row: ExportRow): SheetCell[] {
  const cells: SheetCell[] = toCsvRecord(row);
  cells[2] = row.turnIndex;
  return cells;
}

/** The sheet of an xlsx label export: the CSV columns and values, `turn_index` as a number. */
function labelSheet(rows: Iterable<ExportRow>): SheetSpec {
  return {
    name: 'labels',
    columns: CSV_COLUMNS.map((header) => ({ header, width: XLSX_WIDTHS[header] })),
    rows: (function* () {
      for (const row of rows) yield toXlsxCells(row);
    })(),
  };
}

/** Text formats of the label export; 'xlsx' is binary. */
export type TextExportFormat = Exclude<ExportFormat, 'xlsx'>;

/** Renders rows as `format` text, for a browser download. CSV starts with a UTF-8 BOM so spreadsheet apps read Chinese right. */
export function renderLabelExport(format: TextExportFormat, rows: Iterable<ExportRow>): string {
  if (format === 'rasa') return renderRasa(rows).content;
  if (format === 'csv') return UTF8_BOM + renderCsv([...rows].map(toCsvRecord), true);
  let out = '';
  for (const row of rows) out += toJsonLine(row) + '\n';
  return out;
}

/** Renders rows as an .xlsx workbook (one sheet, `labels`), for a browser download; streamed into memory. */
export async function renderLabelXlsx(rows: Iterable<ExportRow>): Promise<{ bytes: Buffer; rows: number }> {
  let count = 0;
  const bytes = await collectBytes(async (stream) => {
    count = await writeXlsx(stream, [labelSheet(rows)]);
  });
  return { bytes, rows: count };
}

async function writeStreamed(stream: Writable, format: 'jsonl' | 'csv', rows: Iterable<ExportRow>): Promise<number> {
  let count = 0;
  if (format === 'csv') await writeChunk(stream, UTF8_BOM + renderCsv([], true));
  for (const batch of batches(rows, BATCH_ROWS)) {
    const text = format === 'csv' ? renderCsv(batch.map(toCsvRecord), false) : batch.map((r) => toJsonLine(r) + '\n').join('');
    count += batch.length;
    const pending = writeChunk(stream, text);
    if (pending !== undefined) await pending;
  }
  return count;
}

/**
 * Writes labels to `path` as JSON Lines, CSV, Rasa `nlu.yml` or an .xlsx workbook. JSONL, CSV and xlsx are streamed;
 * the file appears whole or not at all (temp file + rename). Returns the number of rows (Rasa: examples) written.
 * Throws ContractError 'io' when the file cannot be written.
 */
export async function writeLabelExport(path: string, format: ExportFormat, rows: Iterable<ExportRow>): Promise<{ rows: number }> {
  const count = await writeFileWhole(path, async (stream) => {
    if (format === 'xlsx') return writeXlsx(stream, [labelSheet(rows)]);
    if (format === 'rasa') {
      const rendered = renderRasa(rows);
      await writeChunk(stream, rendered.content);
      return rendered.rows;
    }
    return writeStreamed(stream, format, rows);
  });
  return { rows: count };
}
