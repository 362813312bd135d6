import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceHost } from '../services';
import { EXIT, runCli } from './main';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-cli-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', join(root, 'data')], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const calls = [
  { id: 'n1', campaign: '还款提醒', turns: [{ speaker: 'bot', text: '您好，提醒您还款。' }, { speaker: 'user', text: '我想改一下还款日', intent: '申请延期' }] },
  { id: 'n2', turns: [{ speaker: 'user', text: '已经还了', intent: '已还款' }, { speaker: 'user', text: '嗯' }] },
  { id: 'n3', turns: [{ speaker: 'user', text: 'please call me later', intent: 'call_back' }] },
];

describe('npm run cli (electron/cli)', () => {
  it('imports a file into a new workspace and exports its labels as JSONL that match', async () => {
    const file = join(root, 'nightly.jsonl');
    await writeFile(file, calls.map((c) => JSON.stringify(c)).join('\n'), 'utf8');
    const ws = join(root, 'ws');
    const imported = await cli('import', file, '--workspace', ws);
    expect(imported.code).toBe(EXIT.ok);
    expect(imported.out).toEqual([
      'nightly.jsonl: 3 rows read; 3 calls, 4 utterances and 3 labels imported.',
      'nightly.jsonl: rows 3 new, 0 updated, 0 unchanged, 0 skipped (jsonl, utf-8).',
    ]);
    expect(imported.err.at(-1)).toMatch(/^nightly\.jsonl: 100% \(3 rows\)$/);

    const out = join(root, 'labels.jsonl');
    const exported = await cli('export', '--workspace', ws, '--format', 'jsonl', '--out', out);
    expect(exported.code).toBe(EXIT.ok);
    const rows = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { text: string; intent: string; callId: string });
    expect(rows.map((r) => [r.callId, r.text, r.intent]).sort()).toEqual([
      ['n1', '我想改一下还款日', '申请延期'],
      ['n2', '已经还了', '已还款'],
      ['n3', 'please call me later', 'call_back'],
    ]);

    const again = await cli('import', file, '--workspace', ws);
    expect(again.code).toBe(EXIT.ok);
    expect(again.out[0]).toMatch(/0 calls, 0 utterances/);
    expect(again.out[1]).toBe('nightly.jsonl: rows 0 new, 0 updated, 3 unchanged, 0 skipped (jsonl, utf-8).');
  });

  it('names each bad row by line and exits 2 when the rest was imported', async () => {
    const file = join(root, 'mixed.jsonl');
    await writeFile(file, `${JSON.stringify(calls[0])}\n{"id": "broken"\n${JSON.stringify(calls[2])}\n`, 'utf8');
    const run = await cli('import', file, '--workspace', join(root, 'ws'));
    expect(run.code).toBe(EXIT.partial);
    expect(run.out[0]).toBe('mixed.jsonl: 3 rows read; 2 calls, 2 utterances and 2 labels imported.');
    expect(run.out[2]).toMatch(/^mixed\.jsonl:2: /);
  });

  it('imports a GB18030 CSV with Chinese headers (--encoding, --mapping) and exports JSONL that reads back the Chinese text and intents', async () => {
    const csv = ['通话ID,客户话术,意图,机器人话术,备注', 'g1,我想查一下话费,查询话费,您好请问有什么可以帮您,', 'g1,帮我把套餐退订了,退订,还有别的吗,', 'g2,你们是哪家公司,询问身份,,老客户'].join('\r\n');
    const file = join(root, '外呼记录.csv');
    await writeFile(file, iconv.encode(csv, 'gb18030'));
    const mappingFile = join(root, 'mapping.json');
    await writeFile(mappingFile, JSON.stringify({ 备注: null }));
    const ws = join(root, 'ws');
    const imported = await cli('import', file, '--workspace', ws, '--encoding', 'gb18030', '--mapping', mappingFile);
    expect(imported.err.join('\n')).not.toContain('Cannot');
    expect(imported.code).toBe(EXIT.ok);
    expect(imported.out).toEqual([
      '外呼记录.csv: 3 rows read; 2 calls, 3 utterances and 3 labels imported.',
      '外呼记录.csv: rows 3 new, 0 updated, 0 unchanged, 0 skipped (csv, gb18030).',
    ]);
    const out = join(root, 'labels.jsonl');
    expect((await cli('export', '--workspace', ws, '--format', 'jsonl', '--out', out)).code).toBe(EXIT.ok);
    const rows = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { text: string; intent: string; callId: string; turnIndex: number });
    expect(rows.map((r) => [r.callId, r.turnIndex, r.text, r.intent]).sort()).toEqual([
      ['g1', 1, '我想查一下话费', '查询话费'],
      ['g1', 3, '帮我把套餐退订了', '退订'],
      ['g2', 0, '你们是哪家公司', '询问身份'],
    ]);
    // The same bytes forced as UTF-8 are refused whole, naming the line and the encoding.
    const forced = await cli('import', file, '--workspace', join(root, 'ws2'), '--encoding', 'utf-8');
    expect(forced.code).toBe(EXIT.failed);
    expect(forced.err.join('\n')).toMatch(/line 1 does not decode as utf-8/);
    expect((await cli('import', file, '--workspace', ws, '--encoding', 'latin9')).code).toBe(EXIT.usage);
  });

  it('exits 1 naming the problem when the file cannot be read or the workspace is in use, 64 on wrong usage', async () => {
    const ws = join(root, 'ws');
    const missing = await cli('import', join(root, 'nope.csv'), '--workspace', ws);
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.err.join('\n')).toContain('nope.csv');

    const app = await createServiceHost({ dataDir: join(root, 'app-data'), workspaceFolder: ws, mode: 'desktop', retrainAfterLabels: 0 });
    try {
      const held = await cli('export', '--workspace', ws, '--format', 'csv', '--out', join(root, 'x.csv'));
      expect(held.code).toBe(EXIT.failed);
      expect(held.err.join('\n')).toMatch(/desktop/);
    } finally {
      await app.close();
    }

    expect((await cli('export', '--workspace', ws, '--format', 'xml', '--out', 'x')).code).toBe(EXIT.usage);
    expect((await cli('import', '--workspace', ws)).code).toBe(EXIT.usage);
    expect((await cli('frobnicate', '--workspace', ws)).code).toBe(EXIT.usage);
    expect((await cli('import', 'a.csv')).err[0]).toContain('--workspace');
  });
});
