import { describe, expect, it } from 'vitest';
import { isShortReply } from './shortReply';

describe('isShortReply', () => {
  it('counts Chinese characters, not punctuation or spaces, up to 4', () => {
    expect(isShortReply('是的')).toBe(true);
    expect(isShortReply('嗯，是的')).toBe(true);
    expect(isShortReply('对，就是我')).toBe(true);
    expect(isShortReply('不是，你打错了')).toBe(false);
    expect(isShortReply('我现在在开会')).toBe(false);
  });

  it('counts words elsewhere, up to 4, punctuation alone not a word', () => {
    expect(isShortReply('yes')).toBe(true);
    expect(isShortReply('no thanks')).toBe(true);
    expect(isShortReply("no it wasn't")).toBe(true);
    expect(isShortReply('yes , I can')).toBe(true);
    expect(isShortReply('I will pay it tonight')).toBe(false);
  });

  it('takes a code-switched Chinese reply by its characters and an empty text as no reply', () => {
    expect(isShortReply('OK的')).toBe(true);
    expect(isShortReply('我要cancel这个保险')).toBe(false);
    expect(isShortReply('')).toBe(false);
    expect(isShortReply(' ， ')).toBe(false);
  });
});
