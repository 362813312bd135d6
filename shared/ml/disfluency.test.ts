import { describe, expect, it } from 'vitest';
import { contentKey } from './disfluency';

describe('contentKey', () => {
  it('drops opening and closing fillers, punctuation and spaces', () => {
    expect(contentKey('那个，怎么换绑手机啊')).toBe('怎么换绑手机');
    expect(contentKey('哦，怎么换绑手机')).toBe('怎么换绑手机');
    expect(contentKey('嗯嗯，那个，能开发票吗')).toBe('能开发票吗');
    expect(contentKey('um so I forgot my password you know')).toBe('iforgotmypassword');
    expect(contentKey('Well, I forgot my password, yeah.')).toBe('iforgotmypassword');
  });

  it('keeps Latin words that only start or end like a filler, and an utterance that is only a filler', () => {
    expect(contentKey('umbrella insurance')).toBe('umbrellainsurance');
    expect(contentKey('also the card')).toBe('alsothecard');
    expect(contentKey('嗯')).toBe('嗯');
    expect(contentKey('yeah')).toBe('yeah');
  });
});
