import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportPreview, ImportReport } from '../../shared/contract/dto';
import { dispatch } from '../../shared/contract/dispatch';
import type { Envelope } from '../../shared/contract/errors';
import { createServiceHost, type ServiceHost } from './index';
import { closeTestHost, openTestHost } from './testServiceHost';
import { WorkspaceStore } from './store/workspaceStore';

let root: string;
let host: ServiceHost;

beforeEach(async () => {
  ({ root, host } = await openTestHost('callsift-importsvc-', [], []));
});

afterEach(() => closeTestHost(host, root));

async function call<T>(method: string, arg: unknown): Promise<T> {
  const res = (await dispatch(host.services, method, arg)) as Envelope<T>;
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res.value;
}

const GBK_CSV = iconv.encode(['通话ID,客户话术,意图,备注', 'k1,我想查一下话费,查询话费,老客户', 'k2,帮我退订套餐,退订,', 'k3,你们是哪里,,'].join('\r\n'), 'gbk');

describe('transfer.previewImport', () => {
  it('previews a GBK file by path: encoding, delimiter, headers, mapping, unmapped headers and rows after mapping; imports nothing', async () => {
    const path = join(root, 'calls.csv');
    await writeFile(path, GBK_CSV);
    const preview = await call<ImportPreview>('transfer.previewImport', { path });
    expect(preview).toMatchObject({
      file: 'calls.csv',
      format: 'csv',
      encoding: 'gb18030',
      encodingSource: 'detected',
      delimiter: ',',
      hasHeader: true,
      headers: ['通话ID', '客户话术', '意图', '备注'],
      mapping: { 通话ID: 'callId', 客户话术: 'text', 意图: 'intent', 备注: null },
      mappingSource: 'auto',
      unmappedHeaders: ['备注'],
      missingFields: [],
      issues: [],
      importable: true,
    });
    expect(preview.rows[0]).toEqual({ line: 2, cells: ['k1', '我想查一下话费', '查询话费', '老客户'], fields: { callId: 'k1', text: '我想查一下话费', intent: '查询话费' } });
    expect(preview.rows).toHaveLength(3);
    const info = await host.services.workspace.getInfo({});
    expect(info).toMatchObject({ calls: 0 });
  });

  it('previews uploaded bytes (dataBase64) the same way, and an upload whose text column is missing as not importable', async () => {
    const preview = await call<ImportPreview>('transfer.previewImport', { fileName: 'calls.csv', dataBase64: GBK_CSV.toString('base64'), rows: 1 });
    expect(preview).toMatchObject({ encoding: 'gb18030', importable: true, headers: ['通话ID', '客户话术', '意图', '备注'] });
    expect(preview.rows).toHaveLength(1);
    const bad = await call<ImportPreview>('transfer.previewImport', { fileName: 'x.csv', content: 'a,b\n1,2\n' });
    expect(bad).toMatchObject({ importable: false, missingFields: ['text'], unmappedHeaders: ['a', 'b'] });
  });

  it('answers a file it would refuse with the refusal as an issue, naming line and encoding', async () => {
    const preview = await call<ImportPreview>('transfer.previewImport', { fileName: 'calls.csv', dataBase64: GBK_CSV.toString('base64'), encoding: 'utf-8' });
    expect(preview.importable).toBe(false);
    expect(preview.encoding).toBe('utf-8');
    expect(preview.issues).toEqual([expect.objectContaining({ code: 'decode_failed', line: 1, params: expect.objectContaining({ line: 1, encoding: 'utf-8' }) })]);
  });

  it('previews a workbook: every sheet, the one read, and its rows after mapping', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['只是说明']);
    const data = wb.addWorksheet('数据');
    data.addRow(['会话ID', '用户说', '标签']);
    data.addRow(['w1', '我要转人工', '转人工']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const preview = await call<ImportPreview>('transfer.previewImport', { fileName: 'book.xlsx', dataBase64: bytes.toString('base64'), sheet: '数据' });
    expect(preview).toMatchObject({ format: 'xlsx', encoding: null, sheets: ['说明', '数据'], sheet: '数据', headers: ['会话ID', '用户说', '标签'], importable: true });
    expect(preview.rows).toEqual([{ line: 2, cells: ['w1', '我要转人工', '转人工'], fields: { callId: 'w1', text: '我要转人工', intent: '转人工' } }]);
    const jsonl = await call<ImportPreview>('transfer.previewImport', { fileName: 'u.jsonl', content: '{"text":"hi","intent":"greet","split":"train"}\n' });
    expect(jsonl).toMatchObject({ format: 'jsonl', hasHeader: false, headers: ['text', 'intent', 'split'], unmappedHeaders: [], importable: true });
    expect(jsonl.rows[0]?.fields).toEqual({ text: 'hi', intent: 'greet', split: 'train' });
  });

  it('validates its argument: a path, or a file name with content or dataBase64', async () => {
    const res = await dispatch(host.services, 'transfer.previewImport', { fileName: 'a.csv' });
    expect(res.ok).toBe(false);
    const both = await dispatch(host.services, 'transfer.previewImport', { fileName: 'a.csv', content: 'x', dataBase64: 'eA==' });
    expect(both.ok).toBe(false);
    const wrong = await dispatch(host.services, 'transfer.importContent', { fileName: 'a.csv', dataBase64: 'not base64!' });
    expect(wrong.ok).toBe(false);
  });
});

describe('import: mapping, re-import and counts', () => {
  it('remembers a mapping used for an import and offers it for the next file with the same headers', async () => {
    const csv = '问题,答复,分类\n怎么退订,回复T退订,退订\n';
    const before = await call<ImportPreview>('transfer.previewImport', { fileName: 'faq.csv', content: csv });
    expect(before).toMatchObject({ mappingSource: 'auto', missingFields: ['text'] });
    const mapping = { 问题: 'text', 答复: 'botText', 分类: 'intent' };
    const report = await call<ImportReport>('transfer.importContent', { fileName: 'faq.csv', content: csv, mapping });
    expect(report).toMatchObject({ callsImported: 1, labelsImported: 1, errors: [] });
    const after = await call<ImportPreview>('transfer.previewImport', { fileName: 'faq2.csv', content: '分类,问题,答复\n' });
    expect(after).toMatchObject({ mappingSource: 'remembered', mapping: { 问题: 'text', 答复: 'botText', 分类: 'intent' }, importable: true });
    const saved = JSON.parse(await readFile(join(host.dataDir, 'import-mappings.json'), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(saved.entries)).toHaveLength(1);
    const again = await call<ImportReport>('transfer.importContent', { fileName: 'faq3.csv', content: '问题,答复,分类\n怎么开通,回复K,开通\n' });
    expect(again).toMatchObject({ callsImported: 1, errors: [] });
  });

  it('counts re-imported rows as new, updated, unchanged or skipped', async () => {
    const first = ['call_id,text,intent', 'a,one,x', 'b,two,', 'c,three,'].join('\n');
    const r1 = await call<ImportReport>('transfer.importContent', { fileName: 'calls.csv', content: first });
    expect(r1).toMatchObject({ rows: 3, rowsNew: 3, rowsUpdated: 0, rowsUnchanged: 0, rowsSkipped: 0, callsNew: 3, format: 'csv', encoding: 'utf-8' });
    const second = ['call_id,text,intent', 'a,one,x', 'b,two,y', 'c,changed,', 'd,four,', 'e,,', 'd,dup,'].join('\n');
    const r2 = await call<ImportReport>('transfer.importContent', { fileName: 'calls.csv', content: second });
    expect(r2).toMatchObject({
      rows: 6,
      rowsNew: 1,
      rowsUpdated: 1,
      rowsUnchanged: 1,
      rowsSkipped: 3,
      callsNew: 1,
      callsUpdated: 1,
      callsUnchanged: 1,
      labelsImported: 1,
    });
    expect(r2.errors.map((e) => [e.line, e.code])).toEqual([
      [6, 'missing_field'],
      [7, 'call_not_consecutive'],
      [4, 'call_differs'],
    ]);
  });

  it('refuses mojibake as a whole with bad_input and an issue code, importing nothing', async () => {
    const res = await dispatch(host.services, 'transfer.importContent', { fileName: 'calls.csv', dataBase64: GBK_CSV.toString('base64'), encoding: 'utf-8' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error).toMatchObject({ code: 'bad_input', details: { line: 1, issue: { code: 'decode_failed' } } });
    const info = await host.services.workspace.getInfo({});
    expect(info).toMatchObject({ calls: 0 });
  });
});

describe('import and export keep the flow node', () => {
  it('maps a 节点 column in the preview, gives the next user turn its node in the index, and exports it back', async () => {
    const csv = iconv.encode(
      ['通话ID,说话人,客户话术,节点,意图', 'f1,bot,请问是张先生本人吗？,identity_check,', 'f1,user,不是,,身份不符', 'f1,bot,这笔交易是您本人操作的吗？,confirm_transaction,', 'f1,user,不是,,疑似盗刷', 'f1,user,我没买过,,'].join('\r\n'),
      'gbk',
    );
    const preview = await call<ImportPreview>('transfer.previewImport', { fileName: '外呼.csv', dataBase64: csv.toString('base64') });
    expect(preview).toMatchObject({ encoding: 'gb18030', mapping: { 通话ID: 'callId', 说话人: 'speaker', 客户话术: 'text', 节点: 'node', 意图: 'intent' }, unmappedHeaders: [], importable: true });
    expect(preview.rows[0]?.fields).toEqual({ callId: 'f1', speaker: 'bot', text: '请问是张先生本人吗？', node: 'identity_check' });
    const report = await call<ImportReport>('transfer.importContent', { fileName: '外呼.csv', dataBase64: csv.toString('base64') });
    expect(report).toMatchObject({ callsImported: 1, utterancesImported: 3, labelsImported: 2, errors: [] });

    const exported = await call<{ content: string }>('transfer.exportContent', { format: 'csv' });
    const lines = exported.content.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('utterance_id,call_id,turn_index,text,intent,intent_id,annotator,labeled_at,source,campaign,bot_text,node');
    expect(lines.slice(1).map((l) => l.split(',').slice(-2))).toEqual([
      ['请问是张先生本人吗？', 'identity_check'],
      ['这笔交易是您本人操作的吗？', 'confirm_transaction'],
    ]);

    await host.close();
    const store = await WorkspaceStore.open(join(root, 'ws'));
    try {
      expect(Array.from({ length: store.calls.utteranceCount }, (_, idx) => store.calls.contextOf(idx))).toEqual([
        { prompt: '请问是张先生本人吗？', node: 'identity_check', previous: '' },
        { prompt: '这笔交易是您本人操作的吗？', node: 'confirm_transaction', previous: '不是' },
        { prompt: '', node: '', previous: '不是' },
      ]);
    } finally {
      await store.close();
    }
    host = await createServiceHost({ dataDir: join(root, 'data'), workspaceFolder: join(root, 'ws') });
  });
});
