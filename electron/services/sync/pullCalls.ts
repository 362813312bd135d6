import type { Call } from '../../../shared/domain/types';
import { SHARD_UTTERANCES } from '../store/callTable';
import type { WorkspaceStore } from '../store/workspaceStore';
import { readFeedPage } from './feedPage';
import type { PlatformClient } from './platformClient';
import { SyncCancelled } from './syncError';
import type { SyncStateFile } from './syncState';

/** Buffered utterances at which the pulled calls are written (about one shard). */
const FLUSH_UTTERANCES = Math.floor(SHARD_UTTERANCES * 0.8);

export interface PullCallsContext {
  readonly client: PlatformClient;
  readonly project: string;
  readonly store: WorkspaceStore;
  readonly state: SyncStateFile;
  readonly signal: AbortSignal;
  /** Calls asked for per page (1–2000). */
  readonly pageSize: number;
  readonly onProgress: (progress: { readonly stored: number; readonly remaining: number | null }) => void;
}

/**
 * Pulls the call feed from the saved cursor to its end. Pages are checked to continue the feed exactly,
 * buffered up to about one shard, written with appendCalls (durable), and only then is the cursor saved:
 * an interruption at any point resumes without duplicates or gaps. The next page is fetched while the
 * current one is written; nothing else is held, so memory stays flat. On an error the pages already
 * checked are stored before it is rethrown. Returns how many calls were stored.
 */
export async function pullCalls(ctx: PullCallsContext): Promise<number> {
  const { state, signal } = ctx;
  const path = `/projects/${encodeURIComponent(ctx.project)}/calls`;
  const source = `${ctx.client.baseUrl}/api/v1${path}`;
  let afterSeq = state.value.lastSeq;
  let buffer: Call[] = [];
  let bufferUtterances = 0;
  let bufferCursor = state.value.cursor;
  let stored = 0;

  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const calls = buffer;
    const cursor = bufferCursor;
    const lastSeq = afterSeq;
    buffer = [];
    bufferUtterances = 0;
    // Alone among exclusive work: an import appending calls at the same time would number utterances twice.
    await ctx.store.exclusive(async () => {
      await ctx.store.calls.appendCalls(calls);
      ctx.store.labels.resize(ctx.store.calls.utteranceCount);
    });
    await state.update({ cursor, lastSeq });
    stored += calls.length;
  };
  const fetchPage = (cursor: string): Promise<unknown> => {
    const request = ctx.client.get(`${path}?limit=${ctx.pageSize}&cursor=${encodeURIComponent(cursor)}`, { signal });
    request.catch(() => undefined);
    return request;
  };

  let next: Promise<unknown> | null = fetchPage(bufferCursor);
  try {
    while (next) {
      const raw = await next;
      next = null;
      const page = readFeedPage(raw, afterSeq, source);
      if (page.hasMore) next = fetchPage(page.nextCursor);
      for (const call of page.calls) buffer.push(call);
      bufferUtterances += page.utterances;
      afterSeq = page.lastSeq;
      bufferCursor = page.nextCursor;
      if (bufferUtterances >= FLUSH_UTTERANCES || !page.hasMore) await flush();
      ctx.onProgress({ stored: stored + buffer.length, remaining: page.remaining });
      if (signal.aborted) throw new SyncCancelled();
    }
  } catch (err) {
    await flush();
    throw err;
  }
  return stored;
}
