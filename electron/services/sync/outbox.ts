import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonObject } from '../store/jsonLine';
import { writeFileAtomic } from '../store/durableFile';

/** A label waiting to be sent, as the platform's LabelInput; `id` is the idempotency key. */
export interface OutboxLabel {
  readonly id: string;
  readonly utteranceId: string;
  /** An intent id, or null for "none of these". */
  readonly intent: string | null;
  readonly annotator: string;
  readonly labeledAt: number;
}

type OutboxLine = { readonly add: OutboxLabel } | { readonly ack: readonly string[] };

/** Acknowledged entries after which the journal is rewritten with only the pending ones. */
const COMPACT_AFTER_ACKS = 20_000;

/**
 * The label outbox: `sync/outbox.jsonl`, an append-only, fsynced journal of `{"add": label}` and
 * `{"ack": [ids]}` lines. A label is pending from its add line until its ack line; both are on disk
 * before add/ack resolve, so a crash never loses a pending label nor sends an acknowledged one again
 * (and if it does, the platform answers `duplicate`, which counts as delivered).
 */
export class Outbox {
  private readonly pending = new Map<string, OutboxLabel>();
  private tail: Promise<unknown> = Promise.resolve();
  private acksSinceCompaction = 0;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
  ) {}

  /** Opens (or creates) `${dir}/outbox.jsonl` and replays it; a torn last line (never acknowledged) is dropped. */
  static async open(dir: string): Promise<Outbox> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'outbox.jsonl');
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    const replayed = new Map<string, OutboxLabel>();
    let acked = 0;
    let torn = false;
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      const parsed = parseLine(line);
      if (parsed === null) {
        torn = true;
        continue;
      }
      if ('add' in parsed) replayed.set(parsed.add.id, parsed.add);
      else
        for (const id of parsed.ack) {
          if (replayed.delete(id)) acked++;
        }
    }
    if (torn || acked > 0) await writeFileAtomic(path, linesOf(replayed.values()));
    const outbox = new Outbox(path, await open(path, 'a'));
    for (const [id, label] of replayed) outbox.pending.set(id, label);
    return outbox;
  }

  /** Labels waiting to be sent. */
  get size(): number {
    return this.pending.size;
  }

  /** The oldest `limit` pending labels, in the order they were queued. */
  peek(limit: number): OutboxLabel[] {
    const out: OutboxLabel[] = [];
    for (const label of this.pending.values()) {
      if (out.length >= limit) break;
      out.push(label);
    }
    return out;
  }

  /** Queues labels; resolves when they are on disk. */
  add(labels: readonly OutboxLabel[]): Promise<void> {
    if (labels.length === 0) return Promise.resolve();
    for (const l of labels) this.pending.set(l.id, l);
    return this.write(linesOf(labels));
  }

  /** Marks labels as delivered; resolves when that is on disk. */
  ack(ids: readonly string[]): Promise<void> {
    const known = ids.filter((id) => this.pending.delete(id));
    if (known.length === 0) return Promise.resolve();
    this.acksSinceCompaction += known.length;
    const done = this.write(JSON.stringify({ ack: known }) + '\n');
    if (this.acksSinceCompaction < COMPACT_AFTER_ACKS) return done;
    return done.then(() => this.compact());
  }

  /** Waits for every write so far, then closes the file. */
  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    await this.handle.close();
  }

  private write(text: string): Promise<void> {
    const next = this.tail.then(async () => {
      await this.handle.write(text);
      await this.handle.datasync();
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  private compact(): Promise<void> {
    const next = this.tail.then(async () => {
      await writeFileAtomic(this.path, linesOf(this.pending.values()));
      await this.handle.close();
      this.handle = await open(this.path, 'a');
      this.acksSinceCompaction = 0;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function linesOf(labels: Iterable<OutboxLabel>): string {
  let out = '';
  for (const add of labels) out += JSON.stringify({ add }) + '\n';
  return out;
}

function parseLine(line: string): OutboxLine | null {
  const r = parseJsonObject(line);
  if (!r) return null;
  if (Array.isArray(r.ack)) return r.ack.every((id) => typeof id === 'string') ? { ack: r.ack as string[] } : null;
  const a = r.add as Record<string, unknown> | undefined;
  if (
    typeof a === 'object' &&
    a !== null &&
    typeof a.id === 'string' &&
    typeof a.utteranceId === 'string' &&
    (a.intent === null || typeof a.intent === 'string') &&
    typeof a.annotator === 'string' &&
    typeof a.labeledAt === 'number'
  ) {
    return { add: { id: a.id, utteranceId: a.utteranceId, intent: a.intent as string | null, annotator: a.annotator, labeledAt: a.labeledAt } };
  }
  return null;
}
