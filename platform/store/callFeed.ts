import type { Call } from '../../shared/domain/types';
import { AppendLog, type RecordPage } from './appendLog';

/** A call as the feed stores and serves it: the call plus its position in the feed. */
export interface FeedCall extends Call {
  readonly seq: number;
}

/** One page of the feed: the calls' stored JSON text, in order. */
export interface FeedPage extends Omit<RecordPage, 'json'> {
  readonly callsJson: readonly string[];
}

const SEGMENT_CALLS = 20_000;

/**
 * The project's feed of finished calls: append-only JSONL segments, each call numbered with the next
 * sequence number when it is stored. The order never changes, so a position survives restarts.
 */
export class CallFeed {
  private constructor(
    private readonly log: AppendLog<FeedCall>,
    private readonly callIds: Set<string>,
  ) {}

  /** Opens (or creates) the feed in `dir` (the project's `calls/` folder). */
  static async open(dir: string): Promise<CallFeed> {
    const callIds = new Set<string>();
    const { log } = await AppendLog.open<FeedCall>(dir, { prefix: 'calls', segmentRecords: SEGMENT_CALLS }, (call) => callIds.add(call.id));
    return new CallFeed(log, callIds);
  }

  /** Sequence number of the newest stored call; 0 for an empty feed. */
  get headSeq(): number {
    return this.log.committedSeq;
  }

  /** The sequence number the next stored call will get. */
  get nextSeq(): number {
    return this.log.nextSeq;
  }

  /** True when a call with this id is stored (or being stored). */
  hasCall(id: string): boolean {
    return this.callIds.has(id);
  }

  /** Stores `count` calls built by `build(seq)`; resolves once they are fsynced and visible in the feed. */
  append(count: number, build: (seq: number) => Call): Promise<{ firstSeq: number; lastSeq: number }> {
    return this.log.append(count, (seq) => {
      const call = build(seq);
      this.callIds.add(call.id);
      return call;
    });
  }

  /** Up to `limit` calls after position `afterSeq`. */
  async page(afterSeq: number, limit: number): Promise<FeedPage> {
    const { json, ...at } = await this.log.readPage(afterSeq, limit);
    return { callsJson: json, ...at };
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
