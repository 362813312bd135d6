import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createServiceHost, type ServiceHost } from './index';

let dataDir: string;
let host: ServiceHost;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'callsift-demo-export-'));
  host = await createServiceHost({ dataDir, retrainAfterLabels: 0 });
});
afterAll(async () => {
  await host.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('exports of the demo workspace', () => {
  it('gives Rasa intent names without "/" and keeps every labeled intent name in metadata', async () => {
    const { content, rows } = await host.services.transfer.exportContent({ format: 'rasa' });
    const doc = parseYaml(content) as { nlu: Array<{ intent: string; metadata: { callsift_intent: string }; examples: string }> };
    const originals = doc.nlu.map((e) => e.metadata.callsift_intent);
    expect(originals.filter((n) => n.includes('/')).length).toBeGreaterThan(0);
    for (const entry of doc.nlu) {
      expect(entry.intent).toMatch(/^[\p{L}\p{M}\p{N}_-]+$/u);
      if (/^[\p{L}\p{M}\p{N}_-]+$/u.test(entry.metadata.callsift_intent)) expect(entry.intent).toBe(entry.metadata.callsift_intent);
    }
    expect(new Set(doc.nlu.map((e) => e.intent)).size).toBe(doc.nlu.length);
    const names = new Set((await host.services.intent.listIntents({})).map((i) => i.name));
    for (const name of originals) expect(names.has(name), name).toBe(true);
    expect(doc.nlu.reduce((n, e) => n + e.examples.split('\n').filter(Boolean).length, 0)).toBe(rows);
  });

  it('writes an xlsx file with the same rows as the CSV file', async () => {
    const xlsxPath = join(dataDir, 'labels.xlsx');
    const csvPath = join(dataDir, 'labels.csv');
    const xlsx = await host.services.transfer.exportFile({ path: xlsxPath, format: 'xlsx' });
    const csv = await host.services.transfer.exportFile({ path: csvPath, format: 'csv' });
    expect(xlsx.rows).toBe(csv.rows);
    expect(xlsx.rows).toBeGreaterThan(100);
    const csvRows = parseCsv(await readFile(csvPath, 'utf8'), { bom: true }) as string[][];
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxPath);
    const sheet = workbook.getWorksheet('labels')!;
    const sheetRows: string[][] = [];
    const columns = sheet.columnCount;
    sheet.eachRow({ includeEmpty: true }, (r) => {
      const cells: string[] = [];
      for (let c = 1; c <= columns; c += 1) cells.push(String(r.getCell(c).value ?? ''));
      sheetRows.push(cells);
    });
    expect(sheetRows).toEqual(csvRows);
  });
});
