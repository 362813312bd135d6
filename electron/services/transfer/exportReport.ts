import type { Writable } from 'node:stream';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { ModelReport, ReportExportFormat } from '../../../shared/contract/dto';
import { UTF8_BOM } from './exportLabels';
import { collectBytes, writeChunk, writeFileWhole, writeXlsx, type SheetCell, type SheetSpec } from './exportWriter';

/** Columns of the per-intent table, in the CSV and the xlsx `per_intent` sheet. */
export const REPORT_COLUMNS = ['intent', 'intent_id', 'precision', 'recall', 'f1', 'support'] as const;

const PERCENT = '0.0%';

/** One row of the per-intent table: an intent's out-of-fold scores. Scores are in [0, 1]. */
export interface ReportRow {
  readonly intent: string;
  readonly intentId: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** The per-intent rows of `report`, weakest F1 first (as the Models view lists them), then by name. */
export function reportRows(report: ModelReport, nameOf: (intentId: string) => string): ReportRow[] {
  return report.perIntent
    .map((s) => ({ intent: nameOf(s.intentId), intentId: s.intentId, precision: s.precision, recall: s.recall, f1: s.f1, support: s.support }))
    .sort((a, b) => a.f1 - b.f1 || (a.intent < b.intent ? -1 : a.intent > b.intent ? 1 : 0));
}

const pct = (value: number): SheetCell => ({ value, numFmt: PERCENT });

function summarySheet(report: ModelReport, workspace: string): SheetSpec {
  const rows: [string, SheetCell][] = [
    ['workspace', workspace],
    ['version', report.version],
    ['created_at', new Date(report.createdAt).toISOString()],
    ['accuracy', pct(report.accuracy)],
    ['macro_f1', pct(report.macroF1)],
    ['ece', { value: report.ece, numFmt: '0.000' }],
    ['examples', report.examples],
    ['intents', report.intents],
    ['folds', report.folds],
    ['out_of_scope_threshold', { value: report.outOfScopeThreshold, numFmt: '0.00' }],
    ['train_seconds', { value: report.trainSeconds, numFmt: '0.0' }],
    ['data_hash', report.dataHash],
  ];
  return { name: 'summary', columns: [{ header: 'field', width: 26 }, { header: 'value', width: 40 }], rows };
}

function perIntentSheet(rows: readonly ReportRow[]): SheetSpec {
  return {
    name: 'per_intent',
    columns: [
      { header: 'intent', width: 30 },
      { header: 'intent_id', width: 18 },
      { header: 'precision', width: 11, numFmt: PERCENT },
      { header: 'recall', width: 11, numFmt: PERCENT },
      { header: 'f1', width: 11, numFmt: PERCENT },
      { header: 'support', width: 10 },
    ],
    rows: rows.map((r) => [r.intent, r.intentId, r.precision, r.recall, r.f1, r.support]),
  };
}

function renderReportCsv(rows: readonly ReportRow[]): string {
  const records = rows.map((r) => [r.intent, r.intentId, String(r.precision), String(r.recall), String(r.f1), String(r.support)]);
  return UTF8_BOM + stringifyCsv(records, { header: true, columns: [...REPORT_COLUMNS] });
}

/** What an exported report holds: the report, intent names for its ids, and the workspace it belongs to. */
export interface ReportExportInput {
  readonly report: ModelReport;
  readonly nameOf: (intentId: string) => string;
  readonly workspace: string;
}

async function writeReport(stream: Writable, format: ReportExportFormat, input: ReportExportInput, rows: readonly ReportRow[]): Promise<void> {
  if (format === 'xlsx') await writeXlsx(stream, [summarySheet(input.report, input.workspace), perIntentSheet(rows)]);
  else await writeChunk(stream, renderReportCsv(rows));
}

/**
 * Writes a model report to `path`: xlsx with a `summary` sheet (version, date, accuracy, macro F1, …) and a
 * `per_intent` sheet, or CSV (UTF-8 with a BOM) with the per-intent table. Returns the number of per-intent rows.
 * The file appears whole or not at all; throws ContractError 'io' when it cannot be written.
 */
export async function writeReportExport(path: string, format: ReportExportFormat, input: ReportExportInput): Promise<{ rows: number }> {
  const rows = reportRows(input.report, input.nameOf);
  await writeFileWhole(path, (stream) => writeReport(stream, format, input, rows));
  return { rows: rows.length };
}

/** The same export as writeReportExport, in memory for a browser download: CSV as text, xlsx as bytes. */
export async function renderReportExport(
  format: ReportExportFormat,
  input: ReportExportInput,
): Promise<{ readonly rows: number; readonly text: string } | { readonly rows: number; readonly bytes: Buffer }> {
  const rows = reportRows(input.report, input.nameOf);
  if (format === 'csv') return { rows: rows.length, text: renderReportCsv(rows) };
  const bytes = await collectBytes((stream) => writeReport(stream, format, input, rows));
  return { rows: rows.length, bytes };
}
