interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * Group commit: items pushed while a write is running are written together by the next one, so concurrent appends
 * share one write and one fsync. `push` resolves once `write` has made its items durable.
 * On a failed write, `stopOnFailure` false rejects that batch only (a later push may succeed); true rejects every
 * waiting push and each later one (the log is not appended to past a failed write).
 */
export class GroupCommit<T> {
  private pending: T[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly stopOnFailure = false,
  ) {}

  /** The write error that stopped this queue (with `stopOnFailure`), else null. */
  get failure(): Error | null {
    return this.failed;
  }

  push(items: readonly T[]): Promise<void> {
    if (this.failed) return Promise.reject(new Error(`the log stopped after a failed write: ${this.failed.message}`));
    if (items.length === 0) return Promise.resolve();
    for (const item of items) this.pending.push(item);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) this.flushing = this.flushLoop();
    return done;
  }

  /** Waits until every push made so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const items = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.write(items);
        for (const w of waiters) w.resolve();
      } catch (err) {
        const error = err as Error;
        if (!this.stopOnFailure) {
          for (const w of waiters) w.reject(error);
          continue;
        }
        this.failed = error;
        for (const w of [...waiters, ...this.waiters]) w.reject(error);
        this.pending = [];
        this.waiters = [];
      }
    }
    this.flushing = null;
  }
}
