import { mkdtempSync } from 'node:fs';
import { appendFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from '../electron/services/store/testCalls';
import { startHarness, type Harness } from './harness';

/** A workspace whose journal ends in a torn write opens with a notice worded in the UI's language. */
const root = mkdtempSync(join(tmpdir(), 'callsift-e2e-recovery-'));
const ws = join(root, 'ws');
let h: Harness;

beforeAll(async () => {
  await createTestWorkspace(ws, makeTestIntents([{ id: 'confirm', name: '确认本人' }]), makeTestCalls(20));
  await appendFile(join(ws, 'labels', 'journal-000001.jsonl'), '{"s":1,"u":"c0#1","t"');
  h = await startHarness({ workspace: ws });
});

afterAll(async () => {
  await h?.close();
  await rm(root, { recursive: true, force: true });
});

describe('recovery notice', () => {
  it('says in Chinese what was cut from the journal and where it was moved', async () => {
    await h.page.goto(`${h.url}/#/inbox`);
    const notice = h.page.locator('.recovery-notice').first();
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    const [stamp] = await readdir(join(ws, 'recovery'));
    expect(text).toMatch(/labels\/journal-000001\.jsonl 末尾是一行不完整的记录（第 \d+ 行）：保存途中崩溃或文件损坏会留下这种情况。它未被应用。/);
    expect(text).toMatch(new RegExp(`这 21 字节已移到 recovery/${stamp}/labels/journal-000001\\.jsonl\\.tail-at-\\d+。`));
    expect(text).toContain('因崩溃而未写完的保存从未显示为已保存');
    expect(text).not.toMatch(/[A-Za-z]{6,} [a-z]{3,} /);
    await h.shot('recovery-01-torn-tail-zh');
  });
});
