import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { RowError } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { renderLabelExport, writeLabelExport, type ExportRow } from './exportLabels';
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
    const raw = await readFile(path, 'utf8');
    expect(raw.startsWith('\uFEFFutterance_id,call_id,turn_index,text,intent,intent_id,annotator,labeled_at,source,campaign\n')).toBe(true);
    const records = parseCsv(raw, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.text)).toEqual(rows.map((r) => r.text));
    expect(records[0]).toMatchObject({ intent: '查询话费', intent_id: 'i-1', labeled_at: '2025-01-02T03:04:05.000Z', campaign: '续费' });
    const { calls, errors } = await importBack(path);
    expect(errors).toEqual([]);
    expect(textsAndLabels(calls)).toEqual(rows.map((r) => [r.callId, r.text, labelOf(r.label)]));
  });

  it('writes Rasa nlu.yml that parses back, without none and bad-transcript labels', async () => {
    const path = join(dir, 'nlu.yml');
    expect(await writeLabelExport(path, 'rasa', rows)).toEqual({ rows: 3 });
    const text = await readFile(path, 'utf8');
    expect(text).toContain('examples: |');
    const doc = parseYaml(text) as { version: string; nlu: Array<{ intent: string; examples: string }> };
    expect(doc.version).toBe('3.1');
    expect(doc.nlu).toEqual([
      { intent: 'cancel plan', examples: '- cancel: my plan\n' },
      { intent: '查询话费', examples: '- 我想查一下话费，谢谢\n- check my balance, please\n' },
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

describe('renderLabelExport', () => {
  it('renders the same content the file export writes', async () => {
    for (const format of ['jsonl', 'csv', 'rasa'] as const) {
      const path = join(dir, `out.${format}`);
      await writeLabelExport(path, format, rows);
      expect(renderLabelExport(format, rows)).toBe(await readFile(path, 'utf8'));
    }
  });
});
