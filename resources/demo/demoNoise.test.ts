import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/ml/random';
import { addSpeechNoise, type NoiseRates } from './demoNoise';

const none: NoiseRates = { fillerPrefix: 0, fillerSuffix: 0, codeSwitch: 0, mishearing: 0, dropped: 0 };

describe('addSpeechNoise', () => {
  it('leaves the text alone when every rate is 0', () => {
    expect(addSpeechNoise('我已经还款了', 'zh', createRng(1), none)).toEqual({ text: '我已经还款了', errors: 0 });
  });

  it('mishears a Chinese homophone and counts it as an error', () => {
    expect(addSpeechNoise('我已经还款了', 'zh', createRng(1), { ...none, mishearing: 1 })).toEqual({ text: '我已经换款了', errors: 1 });
  });

  it('mishears an English word', () => {
    expect(addSpeechNoise('I already paid', 'en', createRng(1), { ...none, mishearing: 1 })).toEqual({ text: 'I already played', errors: 1 });
  });

  it('switches a Chinese phrase into English without counting an error', () => {
    expect(addSpeechNoise('好的', 'zh', createRng(1), { ...none, codeSwitch: 1 })).toEqual({ text: 'OK', errors: 0 });
  });

  it('prefixes a filler', () => {
    const { text, errors } = addSpeechNoise('我在开会', 'zh', createRng(2), { ...none, fillerPrefix: 1 });
    expect(text.endsWith('我在开会')).toBe(true);
    expect(text.length).toBeGreaterThan(4);
    expect(errors).toBe(0);
  });

  it('drops one character or one word', () => {
    const zh = addSpeechNoise('我现在在开会晚点再打', 'zh', createRng(3), { ...none, dropped: 1 });
    expect(zh.text.length).toBe(9);
    expect(zh.errors).toBe(1);
    const en = addSpeechNoise("I'm in a meeting", 'en', createRng(3), { ...none, dropped: 1 });
    expect(en.text.split(' ').length).toBe(3);
    expect(en.text.startsWith("I'm")).toBe(true);
  });

  it('gives the same output for the same seed', () => {
    const run = (): string[] => {
      const rng = createRng(42);
      return Array.from({ length: 50 }, () => addSpeechNoise('是我本人，已经还款了', 'zh', rng).text);
    };
    expect(run()).toEqual(run());
  });
});
