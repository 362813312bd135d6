import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize';

describe('normalizeText', () => {
  it.each([
    ["What's my balance?", 'whats my balance'],
    ['Transfer $3,500.00 to   ACCOUNT #12', 'transfer 0 to account 0'],
    ['Wake me at 10:30, please!!', 'wake me at 0 please'],
    ['I’m   OK\t\n', 'im ok'],
    ['covid19 test', 'covid0 test'],
  ])('normalizes English %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it.each([
    ['帮我查一下明天北京的天气。', '帮我查一下明天北京的天气'],
    ['我要退款，订单号１２３４５！', '我要退款 订单号0'],
    ['ＡＰＰ打不开？？', 'app打不开'],
    ['给我转５０．５元，谢谢', '给我转0元 谢谢'],
    ['「打开」QQ音乐', '打开 qq音乐'],
    ['两点半叫我起床', '两点半叫我起床'],
  ])('normalizes Chinese %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('is idempotent and maps blank input to the empty string', () => {
    const once = normalizeText('  Ｈｅｌｌｏ，　世界！ 2024年 ');
    expect(once).toBe('hello 世界 0年');
    expect(normalizeText(once)).toBe(once);
    expect(normalizeText(' \t？ ')).toBe('');
  });
});
