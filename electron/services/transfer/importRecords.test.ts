import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowError } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { readImportContent, readImportFile, type ImportedCall, type ImportOptions } from './importRecords';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-import-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function importText(name: string, content: string | Buffer, options?: ImportOptions) {
  const path = join(dir, name);
  await writeFile(path, content);
  const calls: ImportedCall[] = [];
  const errors: RowError[] = [];
  const summary = await readImportFile(path, { onCall: (rec) => void calls.push(rec), onError: (err) => void errors.push(err) }, options);
  return { calls, errors: errors.map(plain), coded: errors, summary };
}

/** An error without its code and params, as the older tests state them. */
function plain(e: RowError): { line: number; field?: string; reason: string } {
  return e.field === undefined ? { line: e.line, reason: e.reason } : { line: e.line, field: e.field, reason: e.reason };
}

const jsonl = (...objs: unknown[]): string => objs.map((o) => JSON.stringify(o)).join('\n') + '\n';

describe('readImportFile: JSONL calls', () => {
  it('reads dialogues with predictions, labels and call fields', async () => {
    const { calls, errors, summary } = await importText(
      'calls.jsonl',
      jsonl(
        {
          id: 'c1',
          startedAt: '2025-03-01T08:00:00Z',
          campaign: 'renewals',
          language: 'zh',
          turns: [
            { speaker: 'bot', text: '您好，请问有什么可以帮您？' },
            { speaker: 'user', text: '我想查一下话费', asrConfidence: 0.92, predictedIntent: 'check_balance', predictedConfidence: 0.81, intent: 'check_balance' },
            { speaker: 'bot', text: '好的' },
            { speaker: 'user', text: '没事了', predictedIntent: null, intent: 'NONE' },
          ],
        },
        { id: 'c2', startedAt: 1_700_000_000_000, turns: [{ speaker: 'user', text: 'hello', intent: 'bad_transcript' }] },
      ),
    );
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ rows: 2, calls: 2, utterances: 3, errors: 0 });
    expect(calls[0]?.call).toEqual({
      id: 'c1',
      startedAt: Date.parse('2025-03-01T08:00:00Z'),
      campaign: 'renewals',
      language: 'zh',
      turns: [
        { speaker: 'bot', text: '您好，请问有什么可以帮您？' },
        { speaker: 'user', text: '我想查一下话费', asrConfidence: 0.92, predictedIntent: 'check_balance', predictedConfidence: 0.81 },
        { speaker: 'bot', text: '好的' },
        { speaker: 'user', text: '没事了', predictedIntent: null },
      ],
    });
    expect(calls[0]?.labels).toEqual([
      { turnIndex: 1, target: { kind: 'intent', intentName: 'check_balance' } },
      { turnIndex: 3, target: { kind: 'none' } },
    ]);
    expect(calls[1]?.call.startedAt).toBe(1_700_000_000_000);
    expect(calls[1]?.call.campaign).toBe('calls');
    expect(calls[1]?.labels).toEqual([{ turnIndex: 0, target: { kind: 'badTranscript' } }]);
  });

  it('reads SGD-shaped dialogues where only user turns carry an intent', async () => {
    const { calls, errors } = await importText(
      'sgd_dialogues.jsonl',
      jsonl({
        id: 'train/1_00000',
        turns: [
          { speaker: 'user', text: 'I would like to find a place to eat.', intent: 'FindRestaurants' },
          { speaker: 'bot', text: 'Which city?' },
          { speaker: 'user', text: 'Thanks, that is all.', intent: 'NONE' },
        ],
      }),
      { defaultStartedAt: 42 },
    );
    expect(errors).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.call.id).toBe('train/1_00000');
    expect(calls[0]?.call.startedAt).toBe(42);
    expect(calls[0]?.call.campaign).toBe('sgd_dialogues');
    expect(calls[0]?.labels.map((l) => [l.turnIndex, l.target.kind])).toEqual([
      [0, 'intent'],
      [2, 'none'],
    ]);
  });

  it('drops a bad turn but keeps the call while it still has a user turn', async () => {
    const { calls, errors } = await importText(
      'c.jsonl',
      jsonl(
        { id: 'a', turns: [{ speaker: 'bot', text: 'hi' }, { speaker: 'caller', text: 'x' }, { speaker: 'user', text: 'ok', intent: 'yes' }] },
        { id: 'b', turns: [{ speaker: 'bot', text: 'hi' }, { speaker: 'user', text: 'x', predictedConfidence: 1.5 }] },
      ),
    );
    expect(errors).toEqual([
      { line: 1, field: 'turns[1].speaker', reason: 'speaker must be "user" or "bot", got "caller"' },
      { line: 2, field: 'turns[1].predictedConfidence', reason: 'predictedConfidence must be a number in [0,1], got 1.5' },
    ]);
    expect(calls.map((c) => c.call.id)).toEqual(['a']);
    expect(calls[0]?.call.turns.map((t) => t.text)).toEqual(['hi', 'ok']);
    expect(calls[0]?.labels).toEqual([{ turnIndex: 1, target: { kind: 'intent', intentName: 'yes' } }]);
  });
});

describe('readImportFile: flow nodes', () => {
  it('keeps the node of a bot turn, ignores one on a user turn and drops a bot turn whose node is not text', async () => {
    const { calls, errors } = await importText(
      'nodes.jsonl',
      jsonl(
        {
          id: 'a',
          turns: [
            { speaker: 'bot', text: '请问是张先生吗？', node: 'identity_check' },
            { speaker: 'user', text: '不是', node: 'ignored' },
            { speaker: 'bot', text: '这笔交易是您本人操作的吗？', node: 7 },
            { speaker: 'user', text: '不是' },
          ],
        },
      ),
    );
    expect(errors).toEqual([{ line: 1, field: 'turns[2].node', reason: 'node must be text, got 7' }]);
    expect(calls[0]?.call.turns).toEqual([
      { speaker: 'bot', text: '请问是张先生吗？', node: 'identity_check' },
      { speaker: 'user', text: '不是' },
      { speaker: 'user', text: '不是' },
    ]);
  });
});

describe('readImportFile: JSONL utterances', () => {
  it('reads utterance sets in the datasets shape with stable ids and split campaigns', async () => {
    const content = jsonl(
      { text: 'what expression would i use to say i love you', intent: 'translate', split: 'train' },
      { text: 'how many calories are in a banana', intent: 'oos', split: 'test' },
      { text: '打开熊猫看书', intent: 'app', split: 'train' },
      { text: 'I am still waiting on my card?', intent: 'card_arrival', split: 'train', id: 'u-77' },
    );
    const first = await importText('clinc150.jsonl', content);
    expect(first.errors).toEqual([]);
    expect(first.summary).toMatchObject({ rows: 4, calls: 4, utterances: 4, errors: 0 });
    expect(first.calls.map((c) => c.call.id)).toEqual(['clinc150:1', 'clinc150:2', 'clinc150:3', 'u-77']);
    expect(first.calls.map((c) => c.call.campaign)).toEqual(['clinc150/train', 'clinc150/test', 'clinc150/train', 'clinc150/train']);
    expect(first.calls[1]?.labels).toEqual([{ turnIndex: 0, target: { kind: 'none' } }]);
    expect(first.calls[2]?.call.turns).toEqual([{ speaker: 'user', text: '打开熊猫看书' }]);
    const again: ImportedCall[] = [];
    await readImportFile(join(dir, 'clinc150.jsonl'), { onCall: (rec) => void again.push(rec), onError: () => undefined });
    expect(again).toEqual(first.calls);
  });

  it('groups consecutive utterance rows of one callId into a call', async () => {
    const { calls, errors } = await importText(
      'u.jsonl',
      jsonl(
        { callId: 'k1', speaker: 'bot', text: '请问您要办理什么业务？', startedAt: 5 },
        { callId: 'k1', text: '我要退订', intent: '退订', annotator: 'li' },
        { callId: 'k2', text: 'hello', campaign: 'spring' },
      ),
    );
    expect(errors).toEqual([]);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.call).toMatchObject({ id: 'k1', startedAt: 5, campaign: 'u' });
    expect(calls[0]?.labels).toEqual([{ turnIndex: 1, target: { kind: 'intent', intentName: '退订' }, annotator: 'li' }]);
    expect(calls[1]?.call.campaign).toBe('spring');
  });

  it('reports malformed JSON, non-objects, missing text and long text by line and keeps the good rows', async () => {
    const content = [
      JSON.stringify({ text: 'good one', intent: 'a' }),
      '{"text": "broken", "intent": }',
      '[1, 2]',
      JSON.stringify({ intent: 'a' }),
      '{"text": "cut off',
      JSON.stringify({ text: 'x'.repeat(10_001) }),
      JSON.stringify({ text: 'good two', startedAt: 'yesterday' }),
      JSON.stringify({ text: 'good three' }),
    ].join('\n');
    const { calls, errors, summary } = await importText('bad.jsonl', content);
    expect(calls.map((c) => c.call.turns[0]?.text)).toEqual(['good one', 'good three']);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [2, undefined],
      [3, undefined],
      [4, 'text'],
      [5, undefined],
      [6, 'text'],
      [7, 'startedAt'],
    ]);
    expect(errors[0]?.reason).toBe('invalid JSON at column 30: unexpected "}"');
    expect(errors[1]?.reason).toBe('each line must be a JSON object ({…})');
    expect(errors[2]?.reason).toBe('missing "text"');
    expect(errors[3]?.reason).toMatch(/^invalid JSON/);
    expect(errors[4]?.reason).toBe('text too long (10001 > 10000 characters)');
    expect(summary).toMatchObject({ rows: 8, calls: 2, utterances: 2, errors: 6 });
  });

  it('handles a BOM, CRLF line ends and blank lines', async () => {
    const content = '\uFEFF' + [JSON.stringify({ text: '第一句', intent: '查询' }), '', '   ', JSON.stringify({ text: 'second' }), '{bad}', ''].join('\r\n');
    const { calls, errors, summary } = await importText('bom.ndjson', content);
    expect(calls.map((c) => c.call.turns[0]?.text)).toEqual(['第一句', 'second']);
    expect(calls.map((c) => c.call.id)).toEqual(['bom:1', 'bom:4']);
    expect(errors.map((e) => e.line)).toEqual([5]);
    expect(summary.rows).toBe(3);
  });

  it('reports a pretty-printed JSON array once instead of once per line', async () => {
    const { calls, errors } = await importText('array.json', JSON.stringify([{ text: 'a' }, { text: 'b' }], null, 2));
    expect(calls).toEqual([]);
    expect(errors).toEqual([{ line: 1, reason: 'this file is one JSON array; import reads JSON Lines: one JSON object per line' }]);
  });

  it('keeps multi-byte characters whole across chunk boundaries', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ text: `第${i}句：我想查询话费余额😀`, intent: '查询话费' }));
    const { calls, errors } = await importText('big.jsonl', jsonl(...rows));
    expect(errors).toEqual([]);
    expect(calls).toHaveLength(30_000);
    expect(calls.every((c, i) => c.call.turns[0]?.text === `第${i}句：我想查询话费余额😀`)).toBe(true);
  });
});

describe('readImportFile: CSV and TSV', () => {
  it('reads quoted commas, quotes, newlines and Chinese with case-insensitive columns', async () => {
    const csv = [
      'Call_ID,Turn_Index,SPEAKER,Text,Intent,Predicted_Intent,Predicted_Confidence,ASR_Confidence,Started_At,Campaign,Language',
      'c1,0,bot,"您好，这里是客服中心, 请问有什么可以帮您？",,,,,2025-01-02T03:04:05Z,售后,zh',
      'c1,1,user,"我要退货，""马上""",退货,退货,0.9,0.8,,,',
      'c1,2,user,"first line',
      'second line",none_of_these,,,,,,',
      'c2,,,"plain, with comma",greeting,,,,,,',
    ].join('\n');
    const { calls, errors, summary } = await importText('calls.csv', csv);
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ rows: 4, calls: 2, utterances: 3, errors: 0 });
    expect(calls[0]?.call).toEqual({
      id: 'c1',
      startedAt: Date.parse('2025-01-02T03:04:05Z'),
      campaign: '售后',
      language: 'zh',
      turns: [
        { speaker: 'bot', text: '您好，这里是客服中心, 请问有什么可以帮您？' },
        { speaker: 'user', text: '我要退货，"马上"', predictedIntent: '退货', predictedConfidence: 0.9, asrConfidence: 0.8 },
        { speaker: 'user', text: 'first line\nsecond line' },
      ],
    });
    expect(calls[0]?.labels).toEqual([
      { turnIndex: 1, target: { kind: 'intent', intentName: '退货' } },
      { turnIndex: 2, target: { kind: 'none' } },
    ]);
    expect(calls[1]?.call.turns).toEqual([{ speaker: 'user', text: 'plain, with comma' }]);
  });

  it('reports exactly the 3 bad rows with their physical line numbers and imports the rest', async () => {
    const csv = [
      'text,intent,speaker,asr_confidence',
      'good one,a,,',
      '"good two, quoted',
      'over two lines",b,user,0.5',
      'bad speaker,a,caller,',
      'good three,c,,',
      'bad confidence,a,,high',
      'too,many,columns,here,!',
      'good four,,,',
    ].join('\r\n');
    const { calls, errors, summary } = await importText('rows.csv', csv);
    expect(errors).toEqual([
      { line: 5, field: 'speaker', reason: 'speaker must be "user" or "bot", got "caller"' },
      { line: 7, field: 'asr_confidence', reason: 'asr_confidence must be a number in [0,1], got "high"' },
      { line: 8, reason: 'wrong number of columns: the header has 4, this row has 5' },
    ]);
    expect(calls.map((c) => c.call.turns[0]?.text)).toEqual(['good one', 'good two, quoted\nover two lines', 'good three', 'good four']);
    expect(calls.map((c) => c.call.id)).toEqual(['rows:2', 'rows:3', 'rows:6', 'rows:9']);
    expect(summary).toMatchObject({ rows: 7, calls: 4, utterances: 4, errors: 3 });
  });

  it('reports a call_id that comes back after another call started', async () => {
    const csv = ['call_id,speaker,text', 'a,user,one', 'a,bot,two', 'b,user,three', 'a,user,four', 'c,user,five'].join('\n');
    const { calls, errors } = await importText('split.csv', csv);
    expect(calls.map((c) => [c.call.id, c.call.turns.length])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 5, field: 'call_id' });
    expect(errors[0]?.reason).toContain('consecutive');
  });

  it('orders turns by turn_index and skips a call whose user turns are all bad', async () => {
    const csv = ['call_id,turn_index,speaker,text', 'a,2,user,later', 'a,0,user,first', 'a,1,bot,middle', 'b,0,bot,hello', 'b,1,user,'].join('\n');
    const { calls, errors } = await importText('order.csv', csv);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.call.turns.map((t) => t.text)).toEqual(['first', 'middle', 'later']);
    expect(errors).toEqual([{ line: 6, field: 'text', reason: 'missing "text"' }]);
  });

  it('reads TSV with a BOM, where quotes inside text stay as they are', async () => {
    const tsv = '\uFEFFtext\tintent\tcall_id\r\n他说"好的"\t确认\t\r\nsecond\t\tx\r\n';
    const { calls, errors } = await importText('sheet.tsv', tsv);
    expect(errors).toEqual([]);
    expect(calls.map((c) => c.call.turns[0]?.text)).toEqual(['他说"好的"', 'second']);
    expect(calls[0]?.labels[0]?.target).toEqual({ kind: 'intent', intentName: '确认' });
    expect(calls[1]?.call.id).toBe('x');
  });

  it('refuses a header without a text column as a whole, naming the headers, with a code for the UI', async () => {
    const err = await importText('nohead.csv', 'words,intent\nhi,a\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('bad_input');
    expect((err as ContractError).message).toContain('"words", "intent"');
    expect((err as ContractError).details).toMatchObject({ line: 1, issue: { code: 'missing_columns', params: { fields: 'text' } } });
  });
});

describe('readImportFile: files, cancel, progress', () => {
  it('rejects an unknown extension with bad_input naming the file', async () => {
    await writeFile(join(dir, 'notes.docx'), 'x');
    const err = await readImportFile(join(dir, 'notes.docx'), { onCall: () => undefined, onError: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('bad_input');
    expect((err as ContractError).message).toContain('notes.docx');
    expect((err as ContractError).details?.issue?.code).toBe('unknown_format');
  });

  it('throws io naming the path for a missing file', async () => {
    const path = join(dir, 'missing.jsonl');
    const err = await readImportFile(path, { onCall: () => undefined, onError: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('io');
    expect((err as ContractError).message).toContain(path);
  });

  it('waits for onCall promises and stops when the signal aborts', async () => {
    const path = join(dir, 'many.jsonl');
    await writeFile(path, jsonl(...Array.from({ length: 50_000 }, (_, i) => ({ text: `row ${i}` }))));
    const controller = new AbortController();
    let inFlight = 0;
    let maxInFlight = 0;
    let delivered = 0;
    const progress: number[] = [];
    const run = readImportFile(
      path,
      {
        onCall: async () => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          inFlight -= 1;
          delivered += 1;
          if (delivered === 20_000) controller.abort();
        },
        onError: () => undefined,
      },
      { signal: controller.signal, onProgress: (read) => progress.push(read) },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(maxInFlight).toBe(1);
    expect(delivered).toBeGreaterThanOrEqual(20_000);
    expect(delivered).toBeLessThan(50_000);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('imports uploaded content the same way as a file', async () => {
    const content = 'text,intent\n"a, b",x\n';
    const calls: ImportedCall[] = [];
    const summary = await readImportContent('upload.csv', content, { onCall: (r) => void calls.push(r), onError: () => undefined }, { defaultStartedAt: 7 });
    expect(summary.calls).toBe(1);
    expect(calls[0]?.call).toEqual({ id: 'upload:2', startedAt: 7, campaign: 'upload', turns: [{ speaker: 'user', text: 'a, b' }] });
  });
});
