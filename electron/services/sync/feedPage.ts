import type { Call, Turn } from '../../../shared/domain/types';
import * as wire from '../../../shared/platformApi/schemas';
import type { WireCall } from '../../../shared/platformApi/schemas';
import { SyncError } from './syncError';
import { readWire, wordProblem } from './wireReply';

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
 * Checks a raw feed page against the API's schema and turns it into Calls (without `seq`). The page must continue
 * the feed exactly: its first call is `afterSeq + 1` and every next `seq` is one more; a page that repeats or skips
 * calls, or has a malformed call, is refused whole with a message naming the positions or the field.
 */
export function readFeedPage(raw: unknown, afterSeq: number, source: string): FeedPage {
  const page = readWire(wire.feedPage, raw, `The call page from ${source}`, ({ field, message }) => {
    const inCall = /^calls\.(\d+)\.(.+)$/.exec(field);
    if (!inCall) return wordProblem(`The call page from ${source}`)({ field, message });
    const seq = callSeqOf(raw, Number(inCall[1]));
    const which = seq !== null ? `Call #${seq}` : `Call ${Number(inCall[1]) + 1} of the page`;
    return `${which} from ${source} has no valid ${inCall[2]} (${message}).`;
  });
  const calls: Call[] = [];
  let expected = afterSeq + 1;
  let utterances = 0;
  for (const wireCall of page.calls) {
    const { seq } = wireCall;
    if (seq < expected) {
      throw new SyncError(
        'protocol',
        `The page of ${source} after call #${afterSeq} repeats call #${seq} (id ${wireCall.id}), which was already received. The page was not stored; calls up to #${afterSeq} are kept.`,
      );
    }
    if (seq > expected) {
      const gap = seq - 1 === expected ? `#${expected}` : `#${expected}–#${seq - 1}`;
      throw new SyncError(
        'protocol',
        `The page of ${source} after call #${afterSeq} skips call ${gap} (it jumps to #${seq}). The page was not stored; calls up to #${afterSeq} are kept.`,
      );
    }
    const call = toCall(wireCall);
    for (const t of call.turns) if (t.speaker === 'user') utterances++;
    calls.push(call);
    expected++;
  }
  if (page.hasMore && calls.length === 0) throw new SyncError('protocol', `The page of ${source} is empty but says more calls follow.`);
  return { calls, lastSeq: expected - 1, nextCursor: page.nextCursor, hasMore: page.hasMore, remaining: page.remaining ?? null, utterances };
}

/** The feed position of call `index` of a raw page, when it has a whole-number one. */
function callSeqOf(raw: unknown, index: number): number | null {
  const calls = typeof raw === 'object' && raw !== null ? (raw as { calls?: unknown }).calls : undefined;
  const call: unknown = Array.isArray(calls) ? calls[index] : undefined;
  const seq = typeof call === 'object' && call !== null ? (call as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : null;
}

/** A feed call as a workspace Call (without `seq`); predictions are kept on user turns only, flow nodes on bot turns. */
function toCall(c: WireCall): Call {
  const turns = c.turns.map((t): Turn => {
    const turn: { -readonly [K in keyof Turn]: Turn[K] } = { speaker: t.speaker, text: t.text };
    if (t.asrConfidence !== undefined) turn.asrConfidence = t.asrConfidence;
    if (t.speaker === 'user') {
      if (t.predictedIntent !== undefined) turn.predictedIntent = t.predictedIntent;
      if (t.predictedConfidence !== undefined) turn.predictedConfidence = t.predictedConfidence;
    } else if (t.node !== undefined) turn.node = t.node;
    return turn;
  });
  return { id: c.id, startedAt: c.startedAt, campaign: c.campaign, ...(c.language !== undefined ? { language: c.language } : {}), turns };
}
