import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowError } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { chooseEncoding } from './encoding';
import { readImportBytes, readImportFile, type ImportedCall, type ImportOptions } from './importRecords';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-formats-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function importBytes(name: string, content: Buffer, options?: ImportOptions) {
  const path = join(dir, name);
  await writeFile(path, content);
  const calls: ImportedCall[] = [];
  const errors: RowError[] = [];
  const summary = await readImportFile(path, { onCall: (rec) => void calls.push(rec), onError: (err) => void errors.push(err) }, options);
  return { calls, errors, summary };
}

async function refusalOf(promise: Promise<unknown>): Promise<ContractError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContractError);
  return err as ContractError;
}

const CHINESE_CSV = ['通话ID,客户话术,意图,机器人话术,轮次', 'k1,我想查一下话费,查询话费,您好请问有什么可以帮您,1', 'k1,没事了,none,还有别的吗,3', 'k2,帮我把套餐退订了,退订,,'].join('\r\n') + '\r\n';

function expectChineseCalls(calls: ImportedCall[]): void {
  expect(calls.map((c) => c.call.id)).toEqual(['k1', 'k2']);
  expect(calls[0]?.call.turns).toEqual([
    { speaker: 'bot', text: '您好请问有什么可以帮您' },
    { speaker: 'user', text: '我想查一下话费' },
    { speaker: 'bot', text: '还有别的吗' },
    { speaker: 'user', text: '没事了' },
  ]);
  expect(calls[0]?.labels).toEqual([
    { turnIndex: 1, target: { kind: 'intent', intentName: '查询话费' } },
    { turnIndex: 3, target: { kind: 'none' } },
  ]);
  expect(calls[1]?.labels).toEqual([{ turnIndex: 0, target: { kind: 'intent', intentName: '退订' } }]);
}

describe('encodings', () => {
  it('imports a GB18030 CSV with Chinese headers: the encoding is detected and the columns mapped by their names', async () => {
    const { calls, errors, summary } = await importBytes('客户.csv', iconv.encode(CHINESE_CSV, 'gb18030'));
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ format: 'csv', encoding: 'gb18030', rows: 3 });
    expect(summary.header?.mapping).toEqual({ 通话ID: 'callId', 客户话术: 'text', 意图: 'intent', 机器人话术: 'botText', 轮次: 'turnIndex' });
    expectChineseCalls(calls);
  });

  it('imports GBK bytes (a subset of GB18030) and Big5', async () => {
    const gbk = await importBytes('gbk.csv', iconv.encode(CHINESE_CSV, 'gbk'));
    expectChineseCalls(gbk.calls);
    const big5Text = ['會話ID,用戶說,意圖', 'b1,我想查詢話費餘額，謝謝您的幫忙,查詢話費', 'b2,幫我把這個套餐退訂了吧,退訂'].join('\n');
    const chosen = chooseEncoding(iconv.encode(big5Text.repeat(20), 'big5'));
    expect(chosen.encoding).toBe('big5');
    const big5 = await importBytes('big5.csv', iconv.encode(big5Text, 'big5'));
    expect(big5.errors).toEqual([]);
    expect(big5.summary.encoding).toBe('big5');
    expect(big5.calls.map((c) => c.call.turns[0]?.text)).toEqual(['我想查詢話費餘額，謝謝您的幫忙', '幫我把這個套餐退訂了吧']);
  });

  it('refuses GBK bytes forced to be read as UTF-8, naming the line and the encoding, and imports nothing', async () => {
    const calls: ImportedCall[] = [];
    const path = join(dir, 'forced.csv');
    await writeFile(path, iconv.encode('text,intent\nhello,a\n我想查话费,b\n', 'gbk'));
    const err = await refusalOf(readImportFile(path, { onCall: (c) => void calls.push(c), onError: () => undefined }, { encoding: 'utf-8' }));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('line 3');
    expect(err.message).toContain('utf-8');
    expect(err.details).toMatchObject({ line: 3, issue: { code: 'decode_failed', params: { line: 3, encoding: 'utf-8' } } });
    expect(calls).toEqual([]);
  });

  it('reads UTF-16 LE and BE, with and without a BOM', async () => {
    const text = 'call_id\ttext\tintent\nu1\t我想查一下话费\t查询话费\nu2\thello there\tgreet\n';
    for (const enc of ['utf-16le', 'utf-16be'] as const) {
      for (const bom of [true, false]) {
        const body = iconv.encode(text, enc, { addBOM: bom });
        const { calls, errors, summary } = await importBytes(`u16-${enc}-${bom}.tsv`, body);
        expect(errors, `${enc} bom=${bom}`).toEqual([]);
        expect(summary.encoding).toBe(enc);
        expect(calls.map((c) => c.call.turns[0]?.text)).toEqual(['我想查一下话费', 'hello there']);
      }
    }
  });

  it('refuses text in an encoding it does not read (Windows-1252) instead of importing it as hanzi', async () => {
    const text = 'text,intent\n' + ['Café crème brûlée à la carte', 'Où est la gare, s’il vous plaît', 'Ça coûte très cher, déjà payé'].map((t) => `${t},a`).join('\n');
    const path = join(dir, 'latin.csv');
    await writeFile(path, iconv.encode(text.repeat(5), 'win1252'));
    const err = await refusalOf(readImportFile(path, { onCall: () => undefined, onError: () => undefined }));
    expect(err.details?.issue).toMatchObject({ code: 'decode_failed', params: { line: 2 } });
    // These bytes even decode without an error as Big5 / GBK, into rare characters: still refused.
    const clean = 'text,intent\n' + ['Détente réelle générale', 'économie préférée', 'célèbre école'].map((t) => `${t},a`).join('\n') + '\n';
    await writeFile(path, iconv.encode(clean.repeat(5), 'win1252'));
    const err2 = await refusalOf(readImportFile(path, { onCall: () => undefined, onError: () => undefined }));
    expect(err2.details?.issue).toMatchObject({ code: 'decode_failed', params: { line: 2 } });
  });

  it('refuses a binary file clearly', async () => {
    const bin = Buffer.alloc(4096);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    const path = join(dir, 'photo.csv');
    await writeFile(path, bin);
    const err = await refusalOf(readImportFile(path, { onCall: () => undefined, onError: () => undefined }));
    expect(err.details?.issue?.code).toBe('binary_file');
    expect(err.message).toContain('not a text file');
  });

  it('skips a row that does not decode later in a file, naming its line and encoding, and keeps the others', async () => {
    const good = 'text,intent\n' + Array.from({ length: 40_000 }, (_, i) => `row ${i},a`).join('\n') + '\n';
    const bytes = Buffer.concat([Buffer.from(good), Buffer.from([0x62, 0xff, 0xfe, 0x2c, 0x61, 0x0a]), Buffer.from('last,b\n')]);
    const { calls, errors } = await importBytes('late.csv', bytes);
    expect(calls).toHaveLength(40_001);
    expect(errors).toEqual([expect.objectContaining({ line: 40_002, code: 'decode_failed', params: { line: 40_002, encoding: 'utf-8' } })]);
  });
});

describe('CSV that survives Excel and people', () => {
  it('keeps every row after an unclosed quote on line 2 of a many-row file and reports line 2', async () => {
    const lines = ['call_id,text,intent', 'c1,"unclosed quote,a'];
    for (let i = 2; i <= 5000; i++) lines.push(`c${i},utterance ${i},b`);
    const { calls, errors, summary } = await importBytes('broken.csv', Buffer.from(lines.join('\n') + '\n'));
    expect(errors).toEqual([expect.objectContaining({ line: 2, code: 'unclosed_quote', params: { line: 2 } })]);
    expect(calls).toHaveLength(4999);
    expect(calls[0]?.call.id).toBe('c2');
    expect(summary.rows).toBe(5000);
  });

  it('reads lone-CR line ends as separate rows', async () => {
    const { calls, errors } = await importBytes('mac.csv', Buffer.from('text,intent\rone,a\rtwo,b\r"three\rlines",c\r'));
    expect(errors).toEqual([]);
    expect(calls.map((c) => [c.line, c.call.turns[0]?.text])).toEqual([
      [2, 'one'],
      [3, 'two'],
      [4, 'three\rlines'],
    ]);
  });

  it('reads semicolon CSV with a sep= line, as Excel writes it in many locales', async () => {
    const { calls, errors } = await importBytes('excel.csv', Buffer.from('sep=;\r\nText;Intent\r\n"hello, world";a\r\n'));
    expect(errors).toEqual([]);
    expect(calls[0]?.call.turns[0]?.text).toBe('hello, world');
    expect(calls[0]?.line).toBe(3);
  });

  it('reports repeated call ids by line instead of keeping the first silently', async () => {
    const csv = ['id,text', 'a,one', 'b,two', 'a,three'].join('\n');
    const { calls, errors } = await importBytes('dupes.csv', Buffer.from(csv));
    expect(calls.map((c) => c.call.id)).toEqual(['a', 'b']);
    expect(errors).toEqual([expect.objectContaining({ line: 4, code: 'duplicate_call_id', params: { line: 4, callId: 'a' } })]);
    const jsonl = ['{"id":"x","turns":[{"text":"hi"}]}', '{"id":"x","turns":[{"text":"again"}]}'].join('\n');
    const j = await importBytes('dupes.jsonl', Buffer.from(jsonl));
    expect(j.calls).toHaveLength(1);
    expect(j.errors).toEqual([expect.objectContaining({ line: 2, code: 'duplicate_call_id' })]);
    const turns = ['call_id,turn_index,text', 'a,0,one', 'a,0,two'].join('\n');
    const t = await importBytes('turns.csv', Buffer.from(turns));
    expect(t.errors).toEqual([expect.objectContaining({ line: 3, code: 'duplicate_turn_index', params: { line: 3, callId: 'a', turnIndex: 0 } })]);
  });

  it('applies an explicit mapping over the automatic one', async () => {
    const { calls, summary } = await importBytes('m.csv', Buffer.from('问题,答案,意图\n怎么退订,回复T,退订\n'), { mapping: { 问题: 'text', 答案: 'botText' } });
    expect(summary.header?.mapping).toEqual({ 问题: 'text', 答案: 'botText', 意图: 'intent' });
    expect(calls[0]?.call.turns.map((t) => t.speaker)).toEqual(['bot', 'user']);
  });
});

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('xlsx', () => {
  const sheets = {
    说明: [['这个表是导出的通话'], ['不要导入']],
    数据: [
      ['通话ID', '客户话术', '意图', '开始时间', '置信度'],
      ['x1', { richText: [{ text: '我想' }, { text: '查话费' }] }, '查询话费', new Date(Date.UTC(2025, 0, 2, 3, 4, 5)), 0.75],
      [12345, { formula: '"退"&"订"', result: '退订' }, null, null, null],
    ],
  };

  it('reads the chosen sheet: rich text joined, formulas by their result, numbers and dates as text', async () => {
    const { calls, errors, summary } = await importBytes('calls.xlsx', await workbook(sheets), { sheet: '数据' });
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ format: 'xlsx', encoding: null, rows: 2 });
    expect(calls.map((c) => c.call.id)).toEqual(['x1', '12345']);
    expect(calls[0]?.call.turns).toEqual([{ speaker: 'user', text: '我想查话费', predictedConfidence: 0.75 }]);
    expect(calls[0]?.call.startedAt).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(calls[1]?.call.turns[0]?.text).toBe('退订');
  });

  it('reads the first sheet by default and refuses a sheet that does not exist, listing the sheets', async () => {
    const first = await importBytes('first.xlsx', await workbook({ A: [['text'], ['from A']], B: [['text'], ['from B']] }));
    expect(first.calls.map((c) => c.call.turns[0]?.text)).toEqual(['from A']);
    const path = join(dir, 'first.xlsx');
    const err = await refusalOf(readImportFile(path, { onCall: () => undefined, onError: () => undefined }, { sheet: 'C' }));
    expect(err.details?.issue).toEqual({ code: 'sheet_not_found', params: { sheet: 'C', sheets: 'A, B' } });
  });

  it('keeps Chinese whole where the zip stream cuts a character (shared strings and inline strings)', async () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `第${i}句：我想查一下这个月的话费为什么这么多`);
    const shared = await workbook({ 数据: [['客户话术'], ...texts.map((t) => [t])] });
    const a = await importBytes('shared.xlsx', shared);
    expect(a.errors).toEqual([]);
    expect(a.calls.map((c) => c.call.turns[0]?.text)).toEqual(texts);
    const path = join(dir, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
    const ws = writer.addWorksheet('通话');
    ws.addRow(['客户话术']).commit();
    for (const t of texts) ws.addRow([t]).commit();
    ws.commit();
    await writer.commit();
    const calls: ImportedCall[] = [];
    const errors: RowError[] = [];
    await readImportFile(path, { onCall: (c) => void calls.push(c), onError: (e) => void errors.push(e) });
    expect(errors).toEqual([]);
    expect(calls.map((c) => c.call.turns[0]?.text)).toEqual(texts);
  });

  it('reads a two-sheet workbook written with its workbook part last, the same every time (file and upload)', async () => {
    // exceljs stores xl/workbook.xml after the sheets; read front to back, the sheets' names were not known yet when
    // they streamed by, and the read now and then hung or lost the names (exceljs #3064).
    const bytes = await workbook({ 说明: [['不要导入']], 通话明细: [['会话ID', '用户说'], ['w1', '不是我本人操作的'], ['w2', '我明天去网点办']] });
    const path = join(dir, 'two.xlsx');
    await writeFile(path, bytes);
    for (let i = 0; i < 20; i++) {
      const calls: ImportedCall[] = [];
      const summary = await readImportFile(path, { onCall: (c) => void calls.push(c), onError: () => undefined }, { sheet: '通话明细' });
      expect([summary.rows, calls.map((c) => c.call.turns[0]?.text)]).toEqual([2, ['不是我本人操作的', '我明天去网点办']]);
      const uploaded: ImportedCall[] = [];
      await readImportBytes('two.xlsx', bytes, { onCall: (c) => void uploaded.push(c), onError: () => undefined }, { sheet: '通话明细' });
      expect(uploaded.map((c) => c.call.id)).toEqual(['w1', 'w2']);
    }
  });

  it('imports an uploaded workbook from its bytes', async () => {
    const calls: ImportedCall[] = [];
    await readImportBytes('up.xlsx', await workbook(sheets), { onCall: (c) => void calls.push(c), onError: () => undefined }, { sheet: '数据' });
    expect(calls).toHaveLength(2);
  });
});

describe('flow nodes (a node / 节点 / 流程节点 column)', () => {
  const NODE_CSV =
    [
      '通话ID,角色,文本,机器人话术,节点,意图',
      // A call written a turn per row: the node is on the bot rows.
      'n1,bot,请问是张先生本人吗？,,identity_check,',
      'n1,user,不是,,,身份不符',
      'n1,bot,这笔交易是您本人操作的吗？,,confirm_transaction,',
      'n1,user,不是,,,疑似盗刷',
      // A call written a reply per row: the node names the bot words of the same row.
      'n2,user,是的,请问是张先生本人吗？,identity_check,本人确认',
      'n2,user,可以,您能在月底前还款吗？,repay_promise,',
      // A user row without bot words: its node names no bot turn and is ignored.
      'n3,user,嗯,,survey_consent,',
    ].join('\r\n') + '\r\n';

  it('keeps the node of bot rows and of a user row’s bot words in a GBK CSV with Chinese headers', async () => {
    const { calls, errors, summary } = await importBytes('节点.csv', iconv.encode(NODE_CSV, 'gbk'));
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ format: 'csv', encoding: 'gb18030' });
    expect(summary.header?.mapping).toEqual({ 通话ID: 'callId', 角色: 'speaker', 文本: 'text', 机器人话术: 'botText', 节点: 'node', 意图: 'intent' });
    expect(calls.map((c) => c.call.turns)).toEqual([
      [
        { speaker: 'bot', text: '请问是张先生本人吗？', node: 'identity_check' },
        { speaker: 'user', text: '不是' },
        { speaker: 'bot', text: '这笔交易是您本人操作的吗？', node: 'confirm_transaction' },
        { speaker: 'user', text: '不是' },
      ],
      [
        { speaker: 'bot', text: '请问是张先生本人吗？', node: 'identity_check' },
        { speaker: 'user', text: '是的' },
        { speaker: 'bot', text: '您能在月底前还款吗？', node: 'repay_promise' },
        { speaker: 'user', text: '可以' },
      ],
      [{ speaker: 'user', text: '嗯' }],
    ]);
    expect(calls[0]?.labels.map((l) => [l.turnIndex, l.target])).toEqual([
      [1, { kind: 'intent', intentName: '身份不符' }],
      [3, { kind: 'intent', intentName: '疑似盗刷' }],
    ]);
  });

  it('reads a 流程节点 column of a workbook and a node that is too long as a row error', async () => {
    const book = await workbook({
      通话: [
        ['会话ID', '说话人', '用户话术', '流程节点'],
        ['x1', 'bot', 'Is this Mr Zhang?', 'identity_check'],
        ['x1', 'user', 'not me', ''],
        ['x2', 'bot', 'Can you pay by Friday?', 'n'.repeat(201)],
        ['x2', 'user', 'sure', ''],
      ],
    });
    const { calls, errors, summary } = await importBytes('nodes.xlsx', book);
    expect(summary.header?.mapping).toEqual({ 会话ID: 'callId', 说话人: 'speaker', 用户话术: 'text', 流程节点: 'node' });
    expect(calls.map((c) => c.call.turns)).toEqual([
      [
        { speaker: 'bot', text: 'Is this Mr Zhang?', node: 'identity_check' },
        { speaker: 'user', text: 'not me' },
      ],
      [{ speaker: 'user', text: 'sure' }],
    ]);
    expect(errors.map((e) => [e.line, e.field, e.code])).toEqual([[4, '流程节点', 'value_too_long']]);
  });

  it('keeps the node of a JSON Lines utterance row’s bot words', async () => {
    const line = JSON.stringify({ callId: 'j1', text: '不用了', botText: '需要为您办理延期吗？', node: 'offer_extension', intent: '拒绝延期' });
    const { calls, errors } = await importBytes('rows.jsonl', Buffer.from(line + '\n'));
    expect(errors).toEqual([]);
    expect(calls[0]?.call.turns).toEqual([
      { speaker: 'bot', text: '需要为您办理延期吗？', node: 'offer_extension' },
      { speaker: 'user', text: '不用了' },
    ]);
  });
});
