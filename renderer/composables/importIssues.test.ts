import { createI18n } from 'vue-i18n';
import { describe, expect, it } from 'vitest';
import type { ImportIssueCode } from '../../shared/contract/dto';
import en from '../i18n/en';
import zh from '../i18n/zh-CN';
import { wordImportIssue, type Translate } from './importIssues';

function translator(locale: 'zh-CN' | 'en'): Translate {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { 'zh-CN': zh, en }, missingWarn: false, fallbackWarn: false });
  return { t: (key, params) => i18n.global.t(key, params), te: (key) => i18n.global.te(key, locale) };
}

describe('wordImportIssue', () => {
  it('words a row error in the UI language from its code and params', () => {
    const issue = { code: 'unclosed_quote', params: { line: 2 }, reason: 'a quoted field starting on line 2 is not closed' };
    expect(wordImportIssue(translator('zh-CN'), issue)).toBe('从第 2 行开始的引号字段没有闭合；该行已跳过，从下一行继续读取');
    expect(wordImportIssue(translator('en'), issue)).toBe('A quoted field starting on line 2 is not closed; the row was skipped and reading went on at the next line');
    const decode = { code: 'decode_failed', params: { line: 7, encoding: 'utf-8' }, reason: 'x' };
    expect(wordImportIssue(translator('zh-CN'), decode)).toBe('第 7 行无法按 utf-8 解码，文件可能是其他编码：请选择正确的编码后重新导入');
  });

  it('says in the UI language that it cannot word a code it does not know, naming the code, never the English reason', () => {
    expect(wordImportIssue(translator('zh-CN'), { code: 'something_new', reason: 'as the service said' })).toBe('此版本的界面无法说明这个错误（代码 something_new）。');
    expect(wordImportIssue(translator('en'), { reason: 'no code' })).toBe('This version of Callsift cannot describe this error (code import).');
  });

  it('has a message in both languages for every issue code', () => {
    const codes: Record<ImportIssueCode, true> = {
      unknown_format: true, binary_file: true, decode_failed: true, invalid_json: true, not_json_object: true, json_array_file: true,
      line_too_long: true, unclosed_quote: true, bad_closing_quote: true, row_too_long: true, no_header: true, missing_columns: true,
      wrong_column_count: true, sheet_not_found: true, unreadable_workbook: true, missing_field: true, blank_field: true, not_text: true,
      text_too_long: true, value_too_long: true, bad_speaker: true, bad_confidence: true, bad_time: true, bad_turn_index: true,
      label_on_bot_turn: true, bad_turns: true, bad_turn: true, no_user_turn: true, row_needs_user_turn: true, call_not_consecutive: true,
      duplicate_call_id: true, duplicate_turn_index: true, too_many_turns: true, call_differs: true,
    };
    for (const code of Object.keys(codes)) {
      expect(Object.keys(zh.transfer.issue), code).toContain(code);
      expect(Object.keys(en.transfer.issue), code).toContain(code);
    }
  });
});
