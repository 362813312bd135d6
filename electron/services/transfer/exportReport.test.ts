import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelReport } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { renderReportExport, reportRows, writeReportExport, type ReportExportInput } from './exportReport';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-report-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const report: ModelReport = {
  version: 3,
  createdAt: Date.UTC(2026, 10, 24, 8, 30, 0),
  examples: 420,
  intents: 3,
  accuracy: 0.9123,
  macroF1: 0.8765,
  ece: 0.0321,
  trainSeconds: 4.5,
  dataHash: 'abc123',
  outOfScopeThreshold: 0.35,
  folds: 5,
  perIntent: [
    { intentId: 'i-1', precision: 0.95, recall: 0.9, f1: 0.924, support: 200 },
    { intentId: 'i-2', precision: 0.7, recall: 0.6, f1: 0.646, support: 20 },
    { intentId: 'i-3', precision: 1, recall: 0.8, f1: 0.889, support: 200 },
  ],
  confusedPairs: [],
  reliability: [],
};
const names: Record<string, string> = { 'i-1': '查询话费', 'i-2': '否定/拒绝', 'i-3': 'cancel plan' };
const input: ReportExportInput = { report, nameOf: (id) => names[id] ?? id, workspace: '催收回访' };

async function sheetValues(workbook: ExcelJS.Workbook, name: string): Promise<unknown[][]> {
  const sheet = workbook.getWorksheet(name)!;
  const rows: unknown[][] = [];
  sheet.eachRow((r) => void rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

describe('model report export', () => {
  it('lists one row per intent, weakest F1 first', () => {
    expect(reportRows(report, input.nameOf).map((r) => r.intent)).toEqual(['否定/拒绝', 'cancel plan', '查询话费']);
  });

  it('writes xlsx with a summary sheet and one per-intent row per intent, numbers as numbers', async () => {
    const path = join(dir, 'report.xlsx');
    expect(await writeReportExport(path, 'xlsx', input)).toEqual({ rows: 3 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['summary', 'per_intent']);
    expect(await sheetValues(workbook, 'per_intent')).toEqual([
      ['intent', 'intent_id', 'precision', 'recall', 'f1', 'support'],
      ['否定/拒绝', 'i-2', 0.7, 0.6, 0.646, 20],
      ['cancel plan', 'i-3', 1, 0.8, 0.889, 200],
      ['查询话费', 'i-1', 0.95, 0.9, 0.924, 200],
    ]);
    const perIntent = workbook.getWorksheet('per_intent')!;
    expect(perIntent.getCell('C2').numFmt).toBe('0.0%');
    expect(perIntent.getRow(1).font?.bold).toBe(true);
    expect(perIntent.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const summary = new Map((await sheetValues(workbook, 'summary')).map(([k, v]) => [k, v]));
    expect(summary.get('version')).toBe(3);
    expect(summary.get('created_at')).toBe('2026-11-24T08:30:00.000Z');
    expect(summary.get('accuracy')).toBe(0.9123);
    expect(summary.get('macro_f1')).toBe(0.8765);
    expect(summary.get('workspace')).toBe('催收回访');
    expect(workbook.getWorksheet('summary')!.getCell('B5').numFmt).toBe('0.0%');
    expect(await readdir(dir)).toEqual(['report.xlsx']);
  });

  it('writes CSV with a BOM: the per-intent table', async () => {
    const path = join(dir, 'report.csv');
    expect(await writeReportExport(path, 'csv', input)).toEqual({ rows: 3 });
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parseCsv(bytes, { bom: true, columns: true, cast: true }) as Array<Record<string, unknown>>;
    expect(records).toEqual([
      { intent: '否定/拒绝', intent_id: 'i-2', precision: 0.7, recall: 0.6, f1: 0.646, support: 20 },
      { intent: 'cancel plan', intent_id: 'i-3', precision: 1, recall: 0.8, f1: 0.889, support: 200 },
      { intent: '查询话费', intent_id: 'i-1', precision: 0.95, recall: 0.9, f1: 0.924, support: 200 },
    ]);
    const rendered = await renderReportExport('csv', input);
    expect('text' in rendered && rendered.text).toBe(bytes.toString('utf8'));
  });

  it('renders the xlsx in memory with the same sheets', async () => {
    const rendered = await renderReportExport('xlsx', input);
    if (!('bytes' in rendered)) throw new Error('expected bytes');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(rendered.bytes as unknown as ArrayBuffer);
    expect((await sheetValues(workbook, 'per_intent')).length).toBe(4);
  });

  it('fails with io and leaves nothing behind when the folder does not exist', async () => {
    const err = await writeReportExport(join(dir, 'missing', 'report.xlsx'), 'xlsx', input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('io');
    expect(await readdir(dir)).toEqual([]);
  });
});
