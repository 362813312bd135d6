import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize';

describe('normalizeText', () => {
  it.each([
    ['English', "What's my balance?", 'whats my balance'],
    ['English', 'Transfer $3,500.00 to   ACCOUNT #12', 'transfer 0 to account 0'],
    ['English', 'Wake me at 10:30, please!!', 'wake me at 0 please'],
    ['English', 'I’m   OK\t\n', 'im ok'],
    ['English', 'covid19 test', 'covid0 test'],
    ['Chinese', '帮我查一下明天北京的天气。', '帮我查一下明天北京的天气'],
    ['Chinese', '我要退款，订单号１２３４５！', '我要退款 订单号0'],
    ['Chinese', 'ＡＰＰ打不开？？', 'app打不开'],
    ['Chinese', '给我转５０．５元，谢谢', '给我转0元 谢谢'],
    ['Chinese', '「打开」QQ音乐', '打开 qq音乐'],
    ['Chinese', '两点半叫我起床', '两点半叫我起床'],
    ['edge case', '😀 emoji 👍🏽 test 🇨🇳', 'emoji test'],
    ['edge case', '𠀀𠀁 surrogate 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '𠀀𠀁 surrogate unicode'],
    ['edge case', 'cafe\u0301 n\u0303o', 'caf\u00e9 \u00f1o'],
    ['edge case', '$3,500.00 and 1.2.3 and 10:30:45 and 1,,2 and .5 and 5.', '0 and 0 and 0 and 0 0 and 0 and 0'],
    ['edge case', '٣٤٥ ۱۲۳ १२३ ๑๒๓ ⁵ ₅', '0 0 0 0 0 0'],
    ['edge case', '1٫5 ½ ① 100%', '0 0 0 0 0 0'],
    ['edge case', '帮我查一下 tomorrow 北京的weather', '帮我查一下 tomorrow 北京的weather'],
    ['edge case', 'mixed 中文English混合123数字', 'mixed 中文english混合0数字'],
    ['edge case', 'tab\there\nnew\r\nline\u00a0nbsp\u2003em\u3000ideo', 'tab here new line nbsp em ideo'],
    ['edge case', "What's I’m it\u02bcs ''", 'whats im its'],
    ['edge case', 'ΣΑΣ ﬁ Ⅻ ㈱ ｶﾀｶﾅ', 'σας fi xii 株 カタカナ'],
    ['edge case', 'a-b_c/d\\e|f~g`h^i', 'a b c d e f g h i'],
    ['edge case', '\ud800 lone \udc00', '\ud800 lone \udc00'],
    ['edge case', 'plain words', 'plain words'],
    ['edge case', ' plain', 'plain'],
    ['edge case', 'plain  words ', 'plain words'],
    ['edge case', '纯中文', '纯中文'],
  ])('normalizes %s %j', (_kind, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('is idempotent and maps blank input to the empty string', () => {
    const once = normalizeText('  Ｈｅｌｌｏ，　世界！ 2024年 ');
    expect(once).toBe('hello 世界 0年');
    expect(normalizeText(once)).toBe(once);
    expect(normalizeText(' \t？ ')).toBe('');
  });

  it('gives what NFKC, lower case and the four replacements give, on random mixes of every kind of character', () => {
    const reference = (text: string): string =>
      text
        .normalize('NFKC')
        .toLowerCase()
        .replace(/['\u2019\u02bc]/gu, '')
        .replace(/\p{Nd}+(?:[.,:]\p{Nd}+)*/gu, '0')
        .replace(/[\p{P}\p{S}]/gu, ' ')
        .replace(/\s+/gu, ' ')
        .trim();
    const alphabet = [...'ab yzAZ 09,.:\'’?！　\t中文\u9fff\u4e00\u3400ｱＡ１é\u0301😀𠀀']; 
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = next() % 12;
      const narrow = n % 2 === 0;
      for (let i = 0; i < length; i++) text += narrow ? ['a', 'z', ' ', '中', 'q'][next() % 5] : alphabet[next() % alphabet.length];
      expect(normalizeText(text)).toBe(reference(text));
    }
  });
});

