import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppendLog } from './appendLog';

interface Item {
  readonly seq: number;
  readonly text: string;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-appendlog-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { prefix: 'items', segmentRecords: 3 };

async function openLog(): Promise<{ log: AppendLog<Item>; seen: Item[]; tornBytes: number }> {
  const seen: Item[] = [];
  const { log, recovery } = await AppendLog.open<Item>(dir, options, (item) => seen.push(item));
  return { log, seen, tornBytes: recovery.tornBytes };
}

describe('AppendLog', () => {
  it('numbers records without gaps across segments, group-commits concurrent appends and reads any range back', async () => {
    const { log } = await openLog();
    const [a, b] = await Promise.all([log.append(4, (seq) => ({ text: `a${seq}` })), log.append(3, (seq) => ({ text: `多字节${seq}` }))]);
    expect(a).toEqual({ firstSeq: 1, lastSeq: 4 });
    expect(b).toEqual({ firstSeq: 5, lastSeq: 7 });
    expect(log.committedSeq).toBe(7);
    const all = (await log.readRange(1, 100)).map((line) => JSON.parse(line) as Item);
    expect(all.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all[5]!.text).toBe('多字节6');
    expect((await log.readRange(3, 5)).map((l) => (JSON.parse(l) as Item).seq)).toEqual([3, 4, 5]);
    expect(await log.readRange(8, 10)).toEqual([]);
    await log.close();
    expect((await readFile(join(dir, 'items-000003.jsonl'), 'utf8')).split('\n')).toHaveLength(2);
  });

  it('reopens with the same numbering, cuts a torn last line and continues after it', async () => {
    const first = await openLog();
    await first.log.append(5, (seq) => ({ text: `t${seq}` }));
    await first.log.close();
    await appendFile(join(dir, 'items-000002.jsonl'), '{"seq":6,"text":"cut sho');

    const second = await openLog();
    expect(second.seen.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(second.tornBytes).toBe('{"seq":6,"text":"cut sho'.length);
    expect(second.log.nextSeq).toBe(6);
    await second.log.append(2, (seq) => ({ text: `after${seq}` }));
    expect((await second.log.readRange(5, 7)).map((l) => JSON.parse(l) as Item)).toEqual([
      { seq: 5, text: 't5' },
      { seq: 6, text: 'after6' },
      { seq: 7, text: 'after7' },
    ]);
    await second.log.close();
  });

  it('refuses to open a log whose numbering is broken', async () => {
    await writeFile(join(dir, 'items-000001.jsonl'), '{"seq":1,"text":"a"}\n{"seq":3,"text":"b"}\n{"seq":4,"text":"c"}\n');
    await expect(openLog()).rejects.toThrow(/seq 3 where 2 was expected/);
  });
});
