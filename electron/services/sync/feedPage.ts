import type { Call, Turn } from '../../../shared/domain/types';
import { asRecord } from './platformClient';
import { SyncError } from './syncError';

/** A checked page of the platform's call feed. */
export interface FeedPage {
  readonly calls: Call[];
  /** `seq` of the page's last call (the previous last when the page is empty). */
  readonly lastSeq: number;
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly remaining: number | null;
  /** User turns in the page's calls. */
  readonly utterances: number;
}

/**
 * Checks a raw feed page and turns it into Calls (without `seq`). The page must continue the feed exactly:
 * its first call is `afterSeq + 1` and every next `seq` is one more; a page that repeats or skips calls,
 * or has a malformed call, is refused whole with a message naming the positions.
 */
export function readFeedPage(raw: unknown, afterSeq: number, source: string): FeedPage {
  const page = asRecord(raw, `The call page from ${source}`);
  if (!Array.isArray(page.calls) || typeof page.nextCursor !== 'string' || typeof page.hasMore !== 'boolean') {
    throw new SyncError('malformed', `The call page from ${source} lacks calls, nextCursor or hasMore.`);
  }
  const calls: Call[] = [];
  let expected = afterSeq + 1;
  let utterances = 0;
  for (let i = 0; i < page.calls.length; i++) {
    const rec = asRecord(page.calls[i], `Call ${i + 1} of the page from ${source}`);
    const seq = rec.seq;
    if (typeof seq !== 'number' || !Number.isInteger(seq)) throw new SyncError('malformed', `Call ${i + 1} of the page from ${source} has no feed position (seq).`);
    if (seq < expected) {
      throw new SyncError(
        'protocol',
        `The page of ${source} after call #${afterSeq} repeats call #${seq} (id ${String(rec.id)}), which was already received. The page was not stored; calls up to #${afterSeq} are kept.`,
      );
    }
    if (seq > expected) {
      const gap = seq - 1 === expected ? `#${expected}` : `#${expected}–#${seq - 1}`;
      throw new SyncError(
        'protocol',
        `The page of ${source} after call #${afterSeq} skips call ${gap} (it jumps to #${seq}). The page was not stored; calls up to #${afterSeq} are kept.`,
      );
    }
    const call = toCall(rec, seq, source);
    for (const t of call.turns) if (t.speaker === 'user') utterances++;
    calls.push(call);
    expected++;
  }
  if (page.hasMore && calls.length === 0) throw new SyncError('protocol', `The page of ${source} is empty but says more calls follow.`);
  const remaining = typeof page.remaining === 'number' ? page.remaining : null;
  return { calls, lastSeq: expected - 1, nextCursor: page.nextCursor, hasMore: page.hasMore, remaining, utterances };
}

function toCall(rec: Record<string, unknown>, seq: number, source: string): Call {
  const bad = (field: string): SyncError => new SyncError('malformed', `Call #${seq} from ${source} has no valid ${field}.`);
  if (typeof rec.id !== 'string' || rec.id.length === 0) throw bad('id');
  if (typeof rec.startedAt !== 'number') throw bad('startedAt');
  if (typeof rec.campaign !== 'string') throw bad('campaign');
  if (!Array.isArray(rec.turns)) throw bad('turns');
  const turns: Turn[] = rec.turns.map((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) throw bad(`turn ${i}`);
    const t = raw as Record<string, unknown>;
    if ((t.speaker !== 'bot' && t.speaker !== 'user') || typeof t.text !== 'string') throw bad(`turn ${i}`);
    const turn: { -readonly [K in keyof Turn]: Turn[K] } = { speaker: t.speaker, text: t.text };
    if (typeof t.asrConfidence === 'number') turn.asrConfidence = t.asrConfidence;
    if (t.speaker === 'user') {
      if (typeof t.predictedIntent === 'string' || t.predictedIntent === null) turn.predictedIntent = t.predictedIntent;
      if (typeof t.predictedConfidence === 'number') turn.predictedConfidence = t.predictedConfidence;
    }
    return turn;
  });
  return {
    id: rec.id,
    startedAt: rec.startedAt,
    campaign: rec.campaign,
    ...(typeof rec.language === 'string' ? { language: rec.language } : {}),
    turns,
  };
}
