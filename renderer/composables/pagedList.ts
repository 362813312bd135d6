import type { Page } from '../../shared/contract/dto';

/** Fetches `limit` rows starting at `offset`. */
export type FetchRows<T> = (offset: number, limit: number) => Promise<Page<T>>;

/**
 * A sparse, page-by-page cache of a long server-side list, for a virtualized view:
 * rows load as their page scrolls into sight; `total` comes from the server.
 */
export class PagedList<T> {
  total = 0;
  /** Bumped whenever rows arrive, so views can react. */
  version = 0;
  loaded = false;
  private rows = new Map<number, T>();
  private pending = new Set<number>();
  private generation = 0;
  private staleRows = false;

  constructor(
    private readonly fetchRows: FetchRows<T>,
    readonly pageSize = 100,
  ) {}

  /** The row at `index`, or undefined while its page is loading. */
  at(index: number): T | undefined {
    return this.rows.get(index);
  }

  /** Replaces the loaded rows that `match` picks with `next(row)`, e.g. after a row changed on the server; returns how many. */
  update(match: (row: T) => boolean, next: (row: T) => T): number {
    let changed = 0;
    for (const [index, row] of this.rows) {
      if (!match(row)) continue;
      this.rows.set(index, next(row));
      changed += 1;
    }
    if (changed > 0) this.version += 1;
    return changed;
  }

  /** Loads every page that covers rows `start..end` (inclusive) and is not loaded yet. */
  async ensureRange(start: number, end: number): Promise<void> {
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.floor(Math.max(0, end) / this.pageSize);
    const loads: Promise<void>[] = [];
    for (let p = first; p <= last; p += 1) {
      if (this.loaded && !this.staleRows && p * this.pageSize >= this.total) break;
      if (this.pending.has(p) || (!this.staleRows && this.rows.has(p * this.pageSize))) continue;
      loads.push(this.loadPage(p));
    }
    await Promise.all(loads);
  }

  /** Loads the first page again; the old rows stay visible until it arrives, then every other page reloads on demand. */
  async reset(): Promise<void> {
    this.generation += 1;
    this.pending = new Set();
    this.staleRows = true;
    await this.loadPage(0);
  }

  private async loadPage(p: number): Promise<void> {
    const generation = this.generation;
    this.pending.add(p);
    try {
      const page = await this.fetchRows(p * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      if (this.staleRows) {
        this.rows = new Map();
        this.staleRows = false;
      }
      page.items.forEach((row, i) => this.rows.set(page.offset + i, row));
      this.total = page.total;
      this.loaded = true;
      this.version += 1;
    } finally {
      if (generation === this.generation) this.pending.delete(p);
    }
  }
}
