import { describe, expect, it } from 'vitest';
import { readFeedPage } from './feedPage';
import { SyncError } from './syncError';

const SOURCE = 'http://platform/api/v1/projects/demo/calls';

function call(seq: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    seq,
    id: `call-${seq}`,
    startedAt: 1_700_000_000_000 + seq,
    campaign: 'billing',
    turns: [
      { speaker: 'bot', text: '您好', predictedIntent: 'greet', predictedConfidence: 0.9, node: 'greeting' },
      { speaker: 'user', text: '查话费', asrConfidence: 0.8, predictedIntent: 'bill', predictedConfidence: 0.7 },
      { speaker: 'user', text: '没有了', predictedIntent: null },
    ],
    ...extra,
  };
}

function refusal(raw: unknown, afterSeq = 0): SyncError {
  try {
    readFeedPage(raw, afterSeq, SOURCE);
  } catch (err) {
    if (err instanceof SyncError) return err;
    throw err;
  }
  throw new Error('the page was accepted');
}

describe('readFeedPage', () => {
  it('turns a page that continues the feed into calls, keeping predictions on user turns and flow nodes on bot turns only, and ignoring unknown fields', () => {
    const page = readFeedPage({ calls: [call(5, { language: 'zh-CN', futureField: 1 }), call(6)], nextCursor: 'c6', hasMore: true, remaining: 10, newer: true }, 4, SOURCE);
    expect(page).toMatchObject({ lastSeq: 6, nextCursor: 'c6', hasMore: true, remaining: 10, utterances: 4 });
    expect(page.calls.map((c) => c.id)).toEqual(['call-5', 'call-6']);
    expect(page.calls[0]).toEqual({
      id: 'call-5',
      startedAt: 1_700_000_000_005,
      campaign: 'billing',
      language: 'zh-CN',
      turns: [
        { speaker: 'bot', text: '您好', node: 'greeting' },
        { speaker: 'user', text: '查话费', asrConfidence: 0.8, predictedIntent: 'bill', predictedConfidence: 0.7 },
        { speaker: 'user', text: '没有了', predictedIntent: null },
      ],
    });
    expect(page.calls[1]).not.toHaveProperty('language');
  });

  it('reads a caught-up page (no calls, remaining absent)', () => {
    expect(readFeedPage({ calls: [], nextCursor: 'c9', hasMore: false }, 9, SOURCE)).toEqual({ calls: [], lastSeq: 9, nextCursor: 'c9', hasMore: false, remaining: null, utterances: 0 });
  });

  it('names the missing page field', () => {
    const err = refusal({ calls: [], hasMore: false });
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain(`The call page from ${SOURCE} has no valid nextCursor`);
  });

  it('names the call by its feed position and the field inside it', () => {
    const bad = call(2);
    (bad.turns as Record<string, unknown>[])[1]!.speaker = 'agent';
    const err = refusal({ calls: [call(1), bad], nextCursor: 'c2', hasMore: false });
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain(`Call #2 from ${SOURCE} has no valid turns.1.speaker`);
    expect(refusal({ calls: [call(1, { startedAt: 'yesterday' })], nextCursor: 'c1', hasMore: false }).message).toContain('Call #1 from');
    expect(refusal({ calls: [call(1, { startedAt: 'yesterday' })], nextCursor: 'c1', hasMore: false }).message).toContain('has no valid startedAt');
  });

  it('names a call without a feed position by its place in the page', () => {
    const { seq: _seq, ...noSeq } = call(1);
    expect(refusal({ calls: [noSeq], nextCursor: 'c1', hasMore: false }).message).toContain(`Call 1 of the page from ${SOURCE} has no valid seq`);
  });

  it('refuses a page that repeats or skips calls, naming the positions', () => {
    const repeat = refusal({ calls: [call(3), call(4)], nextCursor: 'c4', hasMore: false }, 3);
    expect(repeat.kind).toBe('protocol');
    expect(repeat.message).toContain('after call #3 repeats call #3 (id call-3)');
    const skip = refusal({ calls: [call(6)], nextCursor: 'c6', hasMore: false }, 3);
    expect(skip.message).toContain('skips call #4–#5 (it jumps to #6)');
  });

  it('refuses an empty page that says more calls follow', () => {
    expect(refusal({ calls: [], nextCursor: 'c0', hasMore: true }).message).toContain('is empty but says more calls follow');
  });
});
