import { describe, expect, it } from 'vitest';
import { isShortReply } from './shortReply';

describe('isShortReply', () => {
  it.each([
    ['counts Chinese characters, not punctuation or spaces, up to 4', '是的', true],
    ['counts Chinese characters, not punctuation or spaces, up to 4', '嗯，是的', true],
    ['counts Chinese characters, not punctuation or spaces, up to 4', '对，就是我', true],
    ['counts Chinese characters, not punctuation or spaces, up to 4', '不是，你打错了', false],
    ['counts Chinese characters, not punctuation or spaces, up to 4', '我现在在开会', false],
    ['counts words elsewhere, up to 4', 'yes', true],
    ['counts words elsewhere, up to 4', 'no thanks', true],
    ['counts words elsewhere, up to 4', "no it wasn't", true],
    ['counts words elsewhere, punctuation alone not a word', 'yes , I can', true],
    ['counts words elsewhere, up to 4', 'I will pay it tonight', false],
    ['takes a code-switched Chinese reply by its characters', 'OK的', true],
    ['takes a code-switched Chinese reply by its characters', '我要cancel这个保险', false],
    ['takes an empty text as no reply', '', false],
    ['takes an empty text as no reply', ' ， ', false],
  ])('%s: %j → %s', (_rule, text, short) => {
    expect(isShortReply(text)).toBe(short);
  });
});
