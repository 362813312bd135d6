import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseYaml } from 'yaml';
import type { RowError } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { mapRasaIntentNames, renderLabelExport, renderLabelXlsx, renderRasa, toRasaIntentName, writeLabelExport, type ExportRow } from './exportLabels';
import { readImportFile, type ImportedCall } from './importRecords';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-export-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function row(callId: string, turnIndex: number, text: string, label: string, intentId: string | null = null): ExportRow {
  return {
    utteranceId: `${callId}#${turnIndex}`,
    callId,
    turnIndex,
    text,
    label,
    intentId,
    annotator: 'wang',
    labeledAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    source: 'manual',
    campaign: '续费',
  };
}

const rows: ExportRow[] = [
  row('c1', 1, '我想查一下话费，谢谢', '查询话费', 'i-1'),
  row('c1', 3, 'no, "not" that\nsecond line', 'none_of_these'),
  row('c2', 1, 'check my balance, please', '查询话费', 'i-1'),
  row('c2', 3, '嗯…呃', 'bad_transcript'),
  row('c3', 1, 'cancel: my plan', 'cancel plan', 'i-2'),
  row('c3', 3, '  check my balance, please  ', '查询话费', 'i-1'),
];

async function importBack(path: string): Promise<{ calls: ImportedCall[]; errors: RowError[] }> {
  const calls: ImportedCall[] = [];
  const errors: RowError[] = [];
  await readImportFile(path, { onCall: (rec) => void calls.push(rec), onError: (err) => void errors.push(err) });
  return { calls, errors };
}

function labelOf(name: string): string {
  if (name === 'none_of_these') return 'none';
  if (name === 'bad_transcript') return 'badTranscript';
  return name;
}

function textsAndLabels(calls: readonly ImportedCall[]): Array<[string, string, string]> {
  return calls.flatMap((c) =>
    c.labels.map((l): [string, string, string] => [
      c.call.id,
      c.call.turns[l.turnIndex]?.text ?? '',
      l.target.kind === 'intent' ? l.target.intentName : l.target.kind,
    ]),
  );
}

describe('writeLabelExport', () => {
  it('round-trips JSONL through the importer with the same texts and labels', async () => {
    const path = join(dir, 'labels.jsonl');
    expect(await writeLabelExport(path, 'jsonl', rows)).toEqual({ rows: 6 });
    const { calls, errors } = await importBack(path);
    expect(errors).toEqual([]);
    expect(textsAndLabels(calls)).toEqual(rows.map((r) => [r.callId, r.text, labelOf(r.label)]));
    expect(calls.every((c) => c.call.campaign === '续费')).toBe(true);
    expect(calls[0]?.labels[0]).toMatchObject({ annotator: 'wang', labeledAt: Date.UTC(2025, 0, 2, 3, 4, 5) });
  });

  it('writes CSV with a BOM and quoting that the importer and csv-parse read back', async () => {
    const path = join(dir, 'labels.csv');
    await writeLabelExport(path, 'csv', rows);
    expect([...(await readFile(path)).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const raw = await readFile(path, 'utf8');
    expect(raw.startsWith('\uFEFFutterance_id,call_id,turn_index,text,intent,intent_id,annotator,labeled_at,source,campaign,bot_text,node\n')).toBe(true);
    const records = parseCsv(raw, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.text)).toEqual(rows.map((r) => r.text));
    expect(records[0]).toMatchObject({ intent: '查询话费', intent_id: 'i-1', labeled_at: '2025-01-02T03:04:05.000Z', campaign: '续费' });
    const { calls, errors } = await importBack(path);
    expect(errors).toEqual([]);
    expect(textsAndLabels(calls)).toEqual(rows.map((r) => [r.callId, r.text, labelOf(r.label)]));
  });

  it('writes the bot prompt and its node, so every format round-trips the context of the utterance', async () => {
    const withContext: ExportRow[] = [
      { ...row('p1', 1, '不是', '身份不符'), botText: '请问是张先生本人吗？', node: 'identity_check' },
      { ...row('p1', 3, '不是', '疑似盗刷'), botText: '这笔交易是您本人操作的吗？', node: 'confirm_transaction' },
      { ...row('p2', 1, '可以', '承诺还款'), botText: '您能在月底前还款吗？', node: null },
      { ...row('p3', 0, '我想查话费', '查询话费'), botText: null, node: null },
    ];
    const expected = [
      [
        { speaker: 'bot', text: '请问是张先生本人吗？', node: 'identity_check' },
        { speaker: 'user', text: '不是' },
        { speaker: 'bot', text: '这笔交易是您本人操作的吗？', node: 'confirm_transaction' },
        { speaker: 'user', text: '不是' },
      ],
      [
        { speaker: 'bot', text: '您能在月底前还款吗？' },
        { speaker: 'user', text: '可以' },
      ],
      [{ speaker: 'user', text: '我想查话费' }],
    ];
    for (const format of ['csv', 'jsonl', 'xlsx'] as const) {
      const path = join(dir, `context.${format}`);
      await writeLabelExport(path, format, withContext);
      const { calls, errors } = await importBack(path);
      expect(errors, format).toEqual([]);
      expect(calls.map((c) => c.call.turns), format).toEqual(expected);
      expect(textsAndLabels(calls), format).toEqual(withContext.map((r) => [r.callId, r.text, r.label]));
    }
    const csv = parseCsv(renderLabelExport('csv', withContext), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(csv.map((r) => [r.bot_text, r.node])).toEqual([
      ['请问是张先生本人吗？', 'identity_check'],
      ['这笔交易是您本人操作的吗？', 'confirm_transaction'],
      ['您能在月底前还款吗？', ''],
      ['', ''],
    ]);
  });

  it('writes Rasa nlu.yml that parses back, without none and bad-transcript labels', async () => {
    const path = join(dir, 'nlu.yml');
    expect(await writeLabelExport(path, 'rasa', rows)).toEqual({ rows: 3 });
    const text = await readFile(path, 'utf8');
    expect(text).toContain('examples: |');
    const doc = parseYaml(text) as { version: string; nlu: Array<{ intent: string; examples: string }> };
    expect(doc.version).toBe('3.1');
    expect(doc.nlu).toEqual([
      { intent: 'cancel_plan', metadata: { callsift_intent: 'cancel plan' }, examples: '- cancel: my plan\n' },
      { intent: '查询话费', metadata: { callsift_intent: '查询话费' }, examples: '- 我想查一下话费，谢谢\n- check my balance, please\n' },
    ]);
  });

  it('leaves no file and no temp file behind when the folder does not exist', async () => {
    const path = join(dir, 'missing', 'labels.jsonl');
    const err = await writeLabelExport(path, 'jsonl', rows).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('io');
    expect(await readdir(dir)).toEqual([]);
  });

  it('replaces an existing file whole and leaves no temp file', async () => {
    const path = join(dir, 'labels.jsonl');
    await writeLabelExport(path, 'jsonl', rows);
    await writeLabelExport(path, 'jsonl', rows.slice(0, 1));
    expect(await readdir(dir)).toEqual(['labels.jsonl']);
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('streams a large export in batches', async () => {
    const path = join(dir, 'big.csv');
    const many = function* (): Generator<ExportRow> {
      for (let i = 0; i < 25_000; i += 1) yield row(`call-${i}`, 1, `第${i}句, "quoted"`, 'x');
    };
    expect(await writeLabelExport(path, 'csv', many())).toEqual({ rows: 25_000 });
    const records = parseCsv(await readFile(path, 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(25_000);
    expect(records[24_999]?.text).toBe('第24999句, "quoted"');
  });
});

/** Every sheet row of an xlsx file as plain values (row 1 = header), Dates as ISO text, numbers as numbers. */
async function readXlsx(source: string | Buffer): Promise<{ rows: Array<Array<string | number | null>>; sheet: ExcelJS.Worksheet; names: string[] }> {
  const workbook = new ExcelJS.Workbook();
  if (typeof source === 'string') await workbook.xlsx.readFile(source);
  else await workbook.xlsx.load(source as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: Array<Array<string | number | null>> = [];
  const columns = sheet.columnCount;
  sheet.eachRow({ includeEmpty: true }, (r) => {
    const cells: Array<string | number | null> = [];
    for (let c = 1; c <= columns; c += 1) {
      const v = r.getCell(c).value;
      cells.push(v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : String(v));
    }
    rows.push(cells);
  });
  return { rows, sheet, names: workbook.worksheets.map((w) => w.name) };
}

describe('xlsx label export', () => {
  it('holds the same rows as the CSV export, Chinese intact, with a bold frozen header and set widths', async () => {
    const tricky = [...rows, row('c4', 1, '=SUM(A1:A2) 他说，"好的"', '否定/拒绝', 'i-3'), row('c4', 3, '', '查询话费', 'i-1')];
    const xlsxPath = join(dir, 'labels.xlsx');
    const csvPath = join(dir, 'labels.csv');
    expect(await writeLabelExport(xlsxPath, 'xlsx', tricky)).toEqual({ rows: tricky.length });
    await writeLabelExport(csvPath, 'csv', tricky);
    const csv = parseCsv(await readFile(csvPath, 'utf8'), { bom: true }) as string[][];
    const { rows: sheetRows, sheet, names } = await readXlsx(xlsxPath);
    expect(names).toEqual(['labels']);
    expect(sheetRows.map((r) => r.map((v) => (v === null ? '' : String(v))))).toEqual(csv);
    expect(sheetRows[1]).toEqual(['c1#1', 'c1', 1, '我想查一下话费，谢谢', '查询话费', 'i-1', 'wang', '2025-01-02T03:04:05.000Z', 'manual', '续费', null, null]);
    expect(sheet.getCell('D8').value).toBe('=SUM(A1:A2) 他说，"好的"');
    expect(sheet.getCell('D8').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(4).width).toBe(60);
    expect(await readdir(dir)).toEqual(['labels.csv', 'labels.xlsx']);
  });

  it('renders the same rows in memory for a browser download', async () => {
    const { bytes, rows: count } = await renderLabelXlsx(rows);
    expect(count).toBe(rows.length);
    expect([...bytes.subarray(0, 2)]).toEqual([0x50, 0x4b]);
    const fromMemory = await readXlsx(bytes);
    const path = join(dir, 'labels.xlsx');
    await writeLabelExport(path, 'xlsx', rows);
    expect(fromMemory.rows).toEqual((await readXlsx(path)).rows);
  });

  it('streams 100,000 rows', async () => {
    const path = join(dir, 'big.xlsx');
    const many = function* (): Generator<ExportRow> {
      for (let i = 0; i < 100_000; i += 1) yield row(`call-${i}`, 1, `第${i}句，否定/拒绝`, '否定/拒绝');
    };
    expect(await writeLabelExport(path, 'xlsx', many())).toEqual({ rows: 100_000 });
    let count = 0;
    let last: unknown;
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(path, {})) {
      for await (const sheetRow of sheet) {
        count += 1;
        last = (sheetRow as ExcelJS.Row).getCell(4).value;
      }
    }
    expect(count).toBe(100_001);
    expect(last).toBe('第99999句，否定/拒绝');
  });

  it('leaves no file and no temp file behind when the folder does not exist', async () => {
    const err = await writeLabelExport(join(dir, 'missing', 'labels.xlsx'), 'xlsx', rows).catch((e: unknown) => e);
    expect((err as ContractError).code).toBe('io');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('renderLabelExport', () => {
  it('renders the same content the file export writes', async () => {
    for (const format of ['jsonl', 'csv', 'rasa'] as const) {
      const path = join(dir, `out.${format}`);
      await writeLabelExport(path, format, rows);
      expect(renderLabelExport(format, rows)).toBe(await readFile(path, 'utf8'));
    }
  });
});

describe('Rasa intent names', () => {
  /** Names like the demo and library intents, several with "/" (Rasa's retrieval-intent separator). */
  const demoLike = ['否定/拒绝', '肯定/同意', '否认交易/疑似盗刷', '询问/咨询费用', '确认本人', '查询话费', 'Pay in installments', 'cancel+plan', '退保'];
  /** What Rasa reads in an intent name: "/" splits a retrieval intent, "+" a multi-intent, and whitespace or a leading or trailing "_" is easy to get wrong. */
  const validRasaName = /^[\p{L}\p{M}\p{N}-](?:[\p{L}\p{M}\p{N}_-]*[\p{L}\p{M}\p{N}-])?$/u;

  it.each([
    ['否定/拒绝', '否定_拒绝'],
    ['Pay in installments', 'Pay_in_installments'],
    ['cancel+plan', 'cancel_plan'],
    [' （旧）退保 / 取消 ', '旧_退保_取消'],
    ['查询话费', '查询话费'],
    ['snake_case-name2', 'snake_case-name2'],
    ['///', 'intent'],
  ])('replaces "/", "+", whitespace and punctuation with "_" and keeps Chinese: %j → %j', (name, rasa) => {
    expect(toRasaIntentName(name)).toBe(rasa);
  });

  it('gives every demo-like name a name Rasa reads as one plain intent', () => {
    const mapping = mapRasaIntentNames(demoLike);
    for (const name of demoLike) expect(mapping.get(name)).toMatch(validRasaName);
  });

  it('disambiguates collisions deterministically; names already valid keep themselves', () => {
    const names = ['a/b', 'a b', 'a_b', 'a+b', 'a_b_2', '否定/拒绝', '否定 拒绝'];
    const mapping = mapRasaIntentNames(names);
    expect(Object.fromEntries(mapping)).toEqual({
      a_b: 'a_b',
      a_b_2: 'a_b_2',
      'a b': 'a_b_3',
      'a+b': 'a_b_4',
      'a/b': 'a_b_5',
      '否定 拒绝': '否定_拒绝',
      '否定/拒绝': '否定_拒绝_2',
    });
    expect(new Set(mapping.values()).size).toBe(names.length);
    expect(mapRasaIntentNames([...names].reverse())).toEqual(mapping);
  });

  it('writes nlu.yml that parses, with valid unique names and every original name in metadata', () => {
    const names = [...demoLike, '否定 拒绝', '否定_拒绝'];
    const many = names.map((name, i) => row(`k${i}`, 1, `例句 ${i}`, name, `i-${i}`));
    const { content, rows: examples } = renderRasa(many);
    expect(examples).toBe(names.length);
    const doc = parseYaml(content) as { nlu: Array<{ intent: string; metadata: { callsift_intent: string }; examples: string }> };
    expect(doc.nlu).toHaveLength(names.length);
    for (const entry of doc.nlu) expect(entry.intent).toMatch(validRasaName);
    expect(new Set(doc.nlu.map((e) => e.intent)).size).toBe(names.length);
    const recovered = new Map(doc.nlu.map((e) => [e.intent, e.metadata.callsift_intent]));
    expect([...recovered.values()].sort()).toEqual([...names].sort());
    for (const [i, name] of names.entries()) {
      const entry = doc.nlu.find((e) => e.metadata.callsift_intent === name);
      expect(entry?.examples).toBe(`- 例句 ${i}\n`);
    }
    expect(doc.nlu.find((e) => e.metadata.callsift_intent === '否定_拒绝')?.intent).toBe('否定_拒绝');
    expect(content).not.toMatch(/^\s*- intent: .*\//m);
  });
});
