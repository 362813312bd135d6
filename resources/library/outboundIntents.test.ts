import { describe, expect, it } from 'vitest';
import { findLibraryIntent, outboundIntentLibrary } from './outboundIntents';

const { zh, en } = outboundIntentLibrary;

describe('outboundIntentLibrary', () => {
  it('holds at least 16 intents with the same keys in both languages', () => {
    expect(zh.length).toBeGreaterThanOrEqual(16);
    expect(zh.map((i) => i.key)).toEqual(en.map((i) => i.key));
  });

  it('has unique snake_case keys', () => {
    const keys = zh.map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('gives every intent a name, a one-line description, a group and 6–10 distinct examples', () => {
    for (const intent of [...zh, ...en]) {
      expect(intent.name.trim()).not.toBe('');
      expect(intent.description.trim()).not.toBe('');
      expect(intent.description).not.toContain('\n');
      expect(intent.group).toBe('general');
      expect(intent.examples.length).toBeGreaterThanOrEqual(6);
      expect(intent.examples.length).toBeLessThanOrEqual(10);
      expect(new Set(intent.examples).size).toBe(intent.examples.length);
    }
  });

  it('writes Chinese examples in Chinese and English examples in English', () => {
    const han = /[\u4e00-\u9fff]/;
    for (const intent of zh) expect(intent.examples.filter((e) => han.test(e)).length).toBeGreaterThanOrEqual(intent.examples.length - 2);
    for (const intent of en) for (const example of intent.examples) expect(han.test(example)).toBe(false);
  });

  it('does not repeat an example across two intents of the same language', () => {
    for (const list of [zh, en]) {
      const all = list.flatMap((i) => i.examples.map((e) => e.toLowerCase()));
      expect(new Set(all).size).toBe(all.length);
    }
  });

  it('covers the core outbound situations', () => {
    for (const key of ['identity_confirmed', 'wrong_person', 'busy_call_later', 'request_human_agent', 'not_interested', 'already_paid', 'ask_who_is_calling', 'ask_how_got_number', 'affirm', 'deny', 'ask_repeat', 'complaint', 'stop_calling', 'ask_details', 'goodbye', 'ask_fees']) {
      expect(findLibraryIntent('zh', key)?.key).toBe(key);
      expect(findLibraryIntent('en', key)?.key).toBe(key);
    }
    expect(findLibraryIntent('en', 'no_such_key')).toBeUndefined();
  });
});
