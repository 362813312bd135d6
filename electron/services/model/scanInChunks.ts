/** Options of `scanInChunks`. */
export interface ChunkedScanOptions {
  /** Rows visited between checks of the clock. Default 8192. */
  readonly chunk?: number;
  /** Time after which the scan yields to the event loop (at the end of a chunk). Default 4 ms; 0 yields after every chunk. */
  readonly budgetMs?: number;
}

/** Resolves on the event loop's check phase, after pending I/O callbacks (a label's fsync, a request) have run. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Visits rows [0, n) as `visit(start, end)` chunks, yielding to the event loop whenever the scan has run for
 * `budgetMs`, so a whole-workspace scan on the thread that answers labels never holds it for longer than about that.
 */
export async function scanInChunks(n: number, visit: (start: number, end: number) => void, options: ChunkedScanOptions = {}): Promise<void> {
  const chunk = options.chunk ?? 8192;
  const budget = options.budgetMs ?? 4;
  let since = performance.now();
  for (let start = 0; start < n; start += chunk) {
    visit(start, Math.min(n, start + chunk));
    if (performance.now() - since >= budget && start + chunk < n) {
      await yieldToEventLoop();
      since = performance.now();
    }
  }
}
