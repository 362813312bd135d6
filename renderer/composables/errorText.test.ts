import { describe, expect, it } from 'vitest';
import { describeInvalidArgument, toErrorData } from '../../shared/contract/dispatch';
import type { ImportIssueCode } from '../../shared/contract/dto';
import { ContractError, type ContractErrorData } from '../../shared/contract/errors';
import { ERROR_SENTENCES_EN, ERROR_TERMS_EN, sentence, term } from '../../shared/contract/errorWords';
import { schemas } from '../../shared/contract/schemas';
import { ERROR_SENTENCES_ZH, ERROR_TERMS_ZH } from '../i18n/errors.zh-CN';
import en from '../i18n/en';
import zh from '../i18n/zh-CN';
import { errorHeadlineKeys, errorText } from './errorText';
import { expectSameKeysAndPlaceholders } from './wordingParity.testing';

function refusal(method: string, arg: unknown): ContractErrorData {
  const parsed = schemas[method as keyof typeof schemas].safeParse(arg);
  if (parsed.success) throw new Error(`${method} accepted ${JSON.stringify(arg)}`);
  return describeInvalidArgument(method, parsed.error.issues);
}

describe('error sentences in the UI language', () => {
  it('has a Chinese sentence and term for every English one, with the same placeholders', () => {
    expectSameKeysAndPlaceholders(ERROR_SENTENCES_ZH, ERROR_SENTENCES_EN);
    expectSameKeysAndPlaceholders(ERROR_TERMS_ZH, ERROR_TERMS_EN);
  });

  it('has every import issue code in both languages with the same placeholders', () => {
    const zhIssues = zh.transfer.issue as Record<string, string>;
    const enIssues = en.transfer.issue as Record<string, string>;
    // Exhaustive by type: a new ImportIssueCode fails to compile here until it is listed (and then worded).
    const codes: Record<ImportIssueCode, true> = {
      unknown_format: true, binary_file: true, decode_failed: true, invalid_json: true, not_json_object: true, json_array_file: true, line_too_long: true,
      unclosed_quote: true, bad_closing_quote: true, row_too_long: true, no_header: true, missing_columns: true, wrong_column_count: true, sheet_not_found: true,
      unreadable_workbook: true, missing_field: true, blank_field: true, not_text: true, text_too_long: true, value_too_long: true, bad_speaker: true,
      bad_confidence: true, bad_time: true, bad_turn_index: true, label_on_bot_turn: true, bad_turns: true, bad_turn: true, no_user_turn: true,
      row_needs_user_turn: true, call_not_consecutive: true, duplicate_call_id: true, duplicate_turn_index: true, too_many_turns: true, call_differs: true,
    };
    expect(Object.keys(zhIssues).sort()).toEqual(Object.keys(codes).sort());
    expectSameKeysAndPlaceholders(zhIssues, enIssues);
  });

  it('words a duplicate intent name in Chinese and English, never showing the English message in Chinese', () => {
    const err = new ContractError('conflict', sentence('intent_name_taken', { name: '投诉' }), { field: 'name' }).toData();
    expect(err.message).toBe('An intent named "投诉" already exists.');
    expect(errorText(err, 'zh-CN')).toBe('已经有名为“投诉”的意图。');
    expect(errorText(err, 'en')).toBe('An intent named "投诉" already exists.');
  });

  it('words zod validation by field and issue code ("字段「名称」：不能为空"), the field by its name', () => {
    expect(errorText(refusal('intent.createIntent', { name: '' }), 'zh-CN')).toBe('字段「名称」：不能为空。');
    expect(errorText(refusal('intent.createIntent', {}), 'zh-CN')).toBe('字段「名称」：必须填写。');
    expect(errorText(refusal('intent.createIntent', { name: 5 }), 'zh-CN')).toBe('字段「名称」：必须是文本。');
    expect(errorText(refusal('intent.createIntent', { name: 'x'.repeat(500) }), 'zh-CN')).toMatch(/^字段「名称」：最多 \d+ 个字符。$/);
    const url = refusal('sync.connect', { url: 'file:///etc/passwd', token: 't', project: 'p' });
    expect(errorText(url, 'zh-CN')).toBe('字段「地址」：必须是以 http:// 或 https:// 开头、带主机名且不含用户名和密码的地址。');
    expect(errorText(url, 'en')).toBe('Field address: must be an http:// or https:// address with a host and no user name or password.');
    expect(url.message).toContain('Invalid argument for sync.connect (field "url")');
  });

  it('translates terms inside sentences, several sentences in a row', () => {
    const err = new ContractError('forbidden', sentence('path_refused', { kind: term('path_folder'), path: '/etc', field: 'folder', reason: term('path_outside', { folders: '/ws' }), hint: term('hint_none') })).toData();
    expect(errorText(err, 'zh-CN')).toBe('已拒绝：文件夹“/etc”（字段「文件夹」）不在 Callsift 在此可使用的文件夹内：/ws。');
    const stopped = new ContractError('io', [sentence('disk_full', { what: term('what_calls') }), sentence('import_stopped_partly', { calls: 12, file: 'a.csv' })]).toData();
    expect(errorText(stopped, 'zh-CN')).toBe('磁盘已满，这些通话没有保存。请清理一些磁盘空间后再试；之前显示为已保存的内容都还在。导入在此中止：之前已保存 a.csv 中的 12 通通话并保留；重新导入该文件即可加入其余部分。');
    expect(errorText(stopped, 'en')).toBe(stopped.message);
  });

  it('words an import refusal by its issue code', () => {
    const err: ContractErrorData = { code: 'bad_input', message: 'Cannot import "x.pdf"', sentences: [sentence('import_refused', { file: 'x.pdf' })], details: { file: 'x.pdf', issue: { code: 'unknown_format' } } };
    expect(errorText(err, 'zh-CN')).toBe(zh.transfer.issue.unknown_format);
  });

  it('gives an error it cannot word a generic sentence with the code, not the English message', () => {
    const newer = { code: 'conflict', message: 'Something new happened here.', sentences: [{ key: 'from_the_future' }] } as ContractErrorData;
    expect(errorText(newer, 'zh-CN')).toBe('此版本的界面无法说明这个错误（代码 from_the_future）。');
    const bare: ContractErrorData = { code: 'io', message: 'Cannot reach the Callsift server: Failed to fetch' };
    expect(errorText(bare, 'zh-CN')).toBe('此版本的界面无法说明这个错误（代码 io）。');
    expect(errorText(bare, 'en')).toBe('This version of Callsift cannot describe this error (code io).');
  });

  it('words anything thrown that is not a contract error by its name only', () => {
    const data = toErrorData(new TypeError('x is not a function'));
    expect(data.message).toBe('Unexpected error: x is not a function');
    expect(errorText(data, 'zh-CN')).toBe('发生了意外错误（TypeError）。');
  });

  it('headlines an error by its reason from one list, else by its code', () => {
    expect(errorHeadlineKeys({ code: 'io', message: '', details: { reason: 'disk_full' } })).toEqual({ title: 'error.reason.disk_full.title', advice: 'error.reason.disk_full.body' });
    expect(errorHeadlineKeys({ code: 'io', message: '', details: { reason: 'unreachable' } })).toEqual({ title: 'sync.errorKind.unreachable', advice: null });
    expect(errorHeadlineKeys({ code: 'conflict', message: '', details: { reason: 'nonsense' } })).toEqual({ title: 'error.code.conflict', advice: null });
  });
});
