import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppendOnlyFile } from '../../../lib/durable/appendOnlyFile';
import { parseJsonObject } from '../store/jsonLine';
import { writeFileAtomic } from '../../../lib/durable/durableFile';

/** A label waiting to be sent, as the platform's LabelInput; `id` is the idempotency key. */
export interface OutboxLabel {
  readonly id: string;
  readonly utteranceId: string;
  /** An intent id, or null for "none of these". */
  readonly intent: string | null;
  readonly annotator: string;
  readonly labeledAt: number;
}

/** A label to queue with the journal sequence number of the change it carries. */
export interface QueuedLabel {
  readonly label: OutboxLabel;
  readonly seq: number;
}

type OutboxLine = { readonly add: OutboxLabel; readonly seq?: number } | { readonly ack: readonly string[] } | { readonly through: number };

/** Acknowledged entries after which the journal is rewritten with only the pending ones. */
const COMPACT_AFTER_ACKS = 20_000;

/**
 * The label outbox: `sync/outbox.jsonl`, an append-only, fsynced journal of `{"add": label, "seq": n}`,
 * `{"ack": [ids]}` and `{"through": n}` lines. A label is pending from its add line until its ack line.
 *
 * The outbox is derived from the label journal, which is the only place a label is acknowledged: `through` is the
 * journal sequence number up to which every change has been considered, and at every open the journal's changes after
 * it are queued again (see WorkspaceLink). A label id is made from the change's sequence number, so a change queued
 * twice, or sent again after a crash between the platform's answer and the ack line, is one label on the platform
 * (it answers `duplicate`, which counts as delivered): every acknowledged label is delivered exactly once.
 */
export class Outbox {
  private readonly pending = new Map<string, QueuedLabel>();
  private tail: Promise<unknown> = Promise.resolve();
  private acksSinceCompaction = 0;
  private throughSeq = 0;

  private constructor(
    private readonly path: string,
    private file: AppendOnlyFile,
  ) {}

  /** Opens (or creates) `${dir}/outbox.jsonl` and replays it; a torn last line (never acknowledged) is dropped. */
  static async open(dir: string): Promise<Outbox> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'outbox.jsonl');
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    const replayed = new Map<string, QueuedLabel>();
    let through = 0;
    let acked = 0;
    let torn = false;
    let goodBytes = 0;
    let offset = 0;
    const lines = text.split('\n');
    // The part after the last newline is a line cut short (or '' when the file ends cleanly).
    if (lines.pop()!.length > 0) torn = true;
    for (const line of lines) {
      offset += Buffer.byteLength(line, 'utf8') + 1;
      if (line.length === 0) continue;
      const parsed = parseLine(line);
      if (parsed === null) {
        torn = true;
        continue;
      }
      goodBytes = offset;
      if ('add' in parsed) {
        replayed.set(parsed.add.id, { label: parsed.add, seq: parsed.seq ?? 0 });
        through = Math.max(through, parsed.seq ?? 0);
      } else if ('through' in parsed) through = Math.max(through, parsed.through);
      else
        for (const id of parsed.ack) {
          if (replayed.delete(id)) acked++;
        }
    }
    let compacted = false;
    if (torn || acked > 0) {
      // Best effort: on a full disk the file stays as it is (the journal still holds every change it queues).
      compacted = await writeFileAtomic(path, linesOf(replayed.values(), through)).then(
        () => true,
        () => false,
      );
    }
    const file = await AppendOnlyFile.open(path, compacted ? Number.MAX_SAFE_INTEGER : goodBytes);
    const outbox = new Outbox(path, file);
    for (const [id, queued] of replayed) outbox.pending.set(id, queued);
    outbox.throughSeq = through;
    return outbox;
  }

  /** Labels waiting to be sent. */
  get size(): number {
    return this.pending.size;
  }

  /** The journal sequence number up to which every label change has been queued (or found to need no sending). */
  get through(): number {
    return this.throughSeq;
  }

  /** The oldest `limit` pending labels, in the order they were queued. */
  peek(limit: number): OutboxLabel[] {
    const out: OutboxLabel[] = [];
    for (const { label } of this.pending.values()) {
      if (out.length >= limit) break;
      out.push(label);
    }
    return out;
  }

  /** Queues labels not queued yet (by id); resolves when they are on disk. */
  add(labels: readonly QueuedLabel[]): Promise<void> {
    const fresh = labels.filter((q) => !this.pending.has(q.label.id));
    if (fresh.length === 0) return Promise.resolve();
    for (const q of fresh) {
      this.pending.set(q.label.id, q);
      this.throughSeq = Math.max(this.throughSeq, q.seq);
    }
    return this.write(linesOf(fresh, null));
  }

  /** Records that every label change up to journal sequence `seq` has been considered; resolves when on disk. */
  markThrough(seq: number): Promise<void> {
    if (seq <= this.throughSeq) return Promise.resolve();
    this.throughSeq = seq;
    return this.write(JSON.stringify({ through: seq }) + '\n');
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
    await this.file.close();
  }

  private write(text: string): Promise<void> {
    const next = this.tail.then(() => this.file.append(Buffer.from(text, 'utf8')));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private compact(): Promise<void> {
    const next = this.tail.then(async () => {
      await writeFileAtomic(this.path, linesOf(this.pending.values(), this.throughSeq));
      await this.file.close();
      this.file = await AppendOnlyFile.open(this.path, Number.MAX_SAFE_INTEGER);
      this.acksSinceCompaction = 0;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function linesOf(labels: Iterable<QueuedLabel>, through: number | null): string {
  let out = '';
  for (const { label: add, seq } of labels) out += JSON.stringify({ add, seq }) + '\n';
  if (through !== null && through > 0) out += JSON.stringify({ through }) + '\n';
  return out;
}

function parseLine(line: string): OutboxLine | null {
  const r = parseJsonObject(line);
  if (!r) return null;
  if (Array.isArray(r.ack)) return r.ack.every((id) => typeof id === 'string') ? { ack: r.ack as string[] } : null;
  if (Number.isInteger(r.through)) return { through: r.through as number };
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
    const add = { id: a.id, utteranceId: a.utteranceId, intent: a.intent as string | null, annotator: a.annotator, labeledAt: a.labeledAt };
    return Number.isInteger(r.seq) ? { add, seq: r.seq as number } : { add };
  }
  return null;
}
