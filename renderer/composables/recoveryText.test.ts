import { describe, expect, it } from 'vitest';
import type { RecoveryNotice } from '../../shared/contract/dto';
import { RECOVERY_SENTENCES_EN, RECOVERY_TERMS_EN, recoveryMessageEn, type RecoverySentence } from '../../shared/contract/recovery';
import { RECOVERY_SENTENCES_ZH, RECOVERY_TERMS_ZH } from '../i18n/recovery.zh-CN';
import { recoveryText } from './recoveryText';
import { expectSameKeysAndPlaceholders } from './wordingParity.testing';

function notice(...sentences: RecoverySentence[]): RecoveryNotice {
  return { file: 'labels/journal-000001.jsonl', sentences, message: recoveryMessageEn(sentences) };
}

describe('recovery notices in the UI language', () => {
  it('has a Chinese sentence and term for every English one, with the same placeholders', () => {
    expectSameKeysAndPlaceholders(RECOVERY_SENTENCES_ZH, RECOVERY_SENTENCES_EN);
    expectSameKeysAndPlaceholders(RECOVERY_TERMS_ZH, RECOVERY_TERMS_EN);
  });

  it('words a torn journal tail in Chinese with every number, file and translated term filled in', () => {
    const n = notice(
      { key: 'journal_tail_line', params: { file: 'labels/journal-000001.jsonl', line: 3 } },
      { key: 'journal_tail_moved', params: { bytes: 41, movedTo: 'recovery/x/labels/journal-000001.jsonl.tail-at-90' } },
      { key: 'journal_tail_change_lost_utterance', params: { utterance: 'c1#3' } },
    );
    const zh = recoveryText(n, 'zh-CN');
    expect(zh).toBe(
      'labels/journal-000001.jsonl 末尾是一行不完整的记录（第 3 行）：保存途中崩溃或文件损坏会留下这种情况。它未被应用。' +
        '这 41 字节已移到 recovery/x/labels/journal-000001.jsonl.tail-at-90。' +
        '因崩溃而未写完的保存从未显示为已保存；但如果是文件损坏所致，其中的更改（话语 c1#3）已丢失。',
    );
    expect(recoveryText(n, 'en')).toBe(n.message);
    expect(n.message).toContain('ends in an incomplete line (line 3)');
  });

  it('translates terms inside sentences, with their own parameters', () => {
    const n = notice({ key: 'shard_damaged', params: { shard: 'calls/shard-000001.json', calls: 6, problem: { term: 'wrong_size', params: { size: 10, expected: 99 } } } });
    expect(recoveryText(n, 'zh-CN')).toContain('calls/shard-000001.json 已损坏（10 字节，应为 99 字节）：其中 6 个通话');
    expect(recoveryText(n, 'en')).toContain('calls/shard-000001.json is damaged (10 bytes instead of 99): the transcripts of its 6 calls');
    const lock = notice({ key: 'lock_not_running', params: { mode: { term: 'mode_browser' }, pid: 42, started: '2026-12-04 10:00:00', host: 'lap' } });
    expect(recoveryText(lock, 'zh-CN')).toContain('（浏览器模式，pid 42，2026-12-04 10:00:00 在主机 lap 上启动）');
  });

  it('says in the UI language that it cannot describe a sentence it does not know (a newer server), never the English', () => {
    const odd = { file: 'x', sentences: [{ key: 'from_the_future' }], message: 'Something new happened.' } as unknown as RecoveryNotice;
    expect(recoveryText(odd, 'zh-CN')).toBe('此版本的界面无法说明这个错误（代码 from_the_future）。');
    expect(recoveryText(odd, 'en')).toBe('This version of Callsift cannot describe this error (code from_the_future).');
  });
});
