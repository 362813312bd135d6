import type { Page, QueueItem } from '../../shared/contract/dto';

/** Where the buffer gets more items: the first `limit` queue items not among `skip`. */
export type FetchQueuePage = (skip: readonly string[], limit: number) => Promise<Page<QueueItem>>;

export interface LabelingBufferOptions {
  /** Refill when fewer than this many items are ahead. */
  readonly low?: number;
  /** How many items to ask for per refill. */
  readonly batch?: number;
}

const maxSkip = 10_000;

/**
 * The items ahead of the annotator: the current one first, then a prefetched run of upcoming ones.
 * Taking an item advances at once; a failed save or an undo puts the item back in front.
 * Items labeled or skipped this session are sent as `skip`, so a refill never returns them again.
 */
export class LabelingBuffer {
  items: QueueItem[] = [];
  /** True when the last refill found no more items in the queue. */
  exhausted = false;
  /** True while a refill is on its way. */
  loading = false;
  /** Items the queue still holds, as of the last refill. */
  remaining = 0;
  private readonly handled = new Set<string>();
  private readonly skipped = new Set<string>();
  private refilling: Promise<void> | null = null;
  private generation = 0;
  private readonly low: number;
  private readonly batch: number;

  constructor(
    private readonly fetchPage: FetchQueuePage,
    options: LabelingBufferOptions = {},
  ) {
    this.low = options.low ?? 10;
    this.batch = options.batch ?? 30;
  }

  /** The item being labeled, if any. */
  get current(): QueueItem | undefined {
    return this.items[0];
  }

  /** Ids skipped this session. */
  get skippedIds(): readonly string[] {
    return [...this.skipped];
  }

  /** True when fewer than the low-water mark are ahead and the queue may hold more. */
  needsRefill(): boolean {
    return !this.exhausted && this.items.length < this.low;
  }

  /** Fetches more items when the buffer runs low; concurrent calls share one fetch. */
  refill(): Promise<void> {
    if (this.refilling) return this.refilling;
    if (!this.needsRefill()) return Promise.resolve();
    const generation = this.generation;
    const skip = [...this.handled, ...this.items.map((i) => i.id)].slice(-maxSkip);
    this.loading = true;
    this.refilling = this.fetchPage(skip, this.batch)
      .then((page) => {
        if (generation !== this.generation) return;
        const held = new Set(this.items.map((i) => i.id));
        const fresh = page.items.filter((i) => !held.has(i.id) && !this.handled.has(i.id));
        this.items.push(...fresh);
        this.remaining = page.total;
        this.exhausted = page.items.length < this.batch || fresh.length === 0;
      })
      .finally(() => {
        if (generation === this.generation) {
          this.loading = false;
          this.refilling = null;
        }
      });
    return this.refilling.then(() => (generation === this.generation && this.needsRefill() ? this.refill() : undefined));
  }

  /** Removes the current item to be labeled; it will not come back from a refill this session. */
  take(): QueueItem | undefined {
    const item = this.items.shift();
    if (item) this.handled.add(item.id);
    return item;
  }

  /** Removes the current item without labeling it; it is skipped for the rest of the session. */
  skip(): QueueItem | undefined {
    const item = this.take();
    if (item) this.skipped.add(item.id);
    return item;
  }

  /** Puts an item back in front (after a failed save or an undo). */
  restore(item: QueueItem): void {
    this.handled.delete(item.id);
    this.skipped.delete(item.id);
    this.items = [item, ...this.items.filter((i) => i.id !== item.id)];
  }

  /** Forgets everything, e.g. when switching queues or workspaces. */
  reset(): void {
    this.generation += 1;
    this.items = [];
    this.handled.clear();
    this.skipped.clear();
    this.exhausted = false;
    this.loading = false;
    this.remaining = 0;
    this.refilling = null;
  }

  /** Lets the next refill look again after the queue changed (import, labels from elsewhere). */
  invalidate(): void {
    this.exhausted = false;
  }
}
