import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import { CorruptFileError, DurableJsonFile } from '../../../lib/durable/durableFile';

/** Another annotator's label on the platform that disagrees with ours. */
export interface TheirLabel {
  /** The platform's label id. */
  readonly id: string;
  readonly utteranceId: string;
  /** An intent id, or null for "none of these". */
  readonly intent: string | null;
  readonly annotator: string;
  readonly labeledAt: number;
}

export interface ConflictRecord {
  /** The id of their label: one conflict per disagreeing label. */
  readonly id: string;
  readonly theirs: TheirLabel;
  readonly foundBy: 'push' | 'pull';
  readonly detectedAt: number;
  /** How it was closed: kept ours, took theirs, or the same annotator labeled the utterance again. */
  readonly closed: null | { readonly how: 'mine' | 'theirs' | 'superseded'; readonly at: number };
}

interface ConflictsDoc {
  readonly v: 1;
  readonly items: ConflictRecord[];
}

/**
 * sync/conflicts.json: every disagreement found while syncing, open or closed (closed ones stay so the
 * same label is not reported twice). Written atomically after each change.
 */
export class ConflictBook {
  private readonly byId = new Map<string, ConflictRecord>();

  private constructor(
    private readonly file: DurableJsonFile<ConflictsDoc>,
    items: readonly ConflictRecord[],
  ) {
    for (const item of items) this.byId.set(item.id, item);
  }

  /** Opens `${dir}/conflicts.json`; a damaged file is an error (conflicts are not rebuilt silently). */
  static async open(dir: string): Promise<ConflictBook> {
    await mkdir(dir, { recursive: true });
    const file = new DurableJsonFile<ConflictsDoc>(join(dir, 'conflicts.json'));
    let doc: ConflictsDoc | null;
    try {
      doc = await file.read();
    } catch (err) {
      if (err instanceof CorruptFileError) {
        const message = `${err.message}. Restore it from a backup or delete it to start a new conflict list.`;
        throw new ContractError('io', sentence('conflicts_damaged', { file: err.path }), { file: err.path, reason: 'damaged_file' }, message);
      }
      throw err;
    }
    return new ConflictBook(file, doc?.items ?? []);
  }

  /** Conflicts nobody has closed, oldest first. */
  open(): ConflictRecord[] {
    return [...this.byId.values()].filter((c) => c.closed === null);
  }

  get openCount(): number {
    let n = 0;
    for (const c of this.byId.values()) if (c.closed === null) n++;
    return n;
  }

  get(id: string): ConflictRecord | undefined {
    return this.byId.get(id);
  }

  /**
   * Records disagreements not seen before; an open conflict with an older label of the same annotator
   * on the same utterance is closed as superseded. Returns how many were added.
   */
  async record(found: readonly TheirLabel[], foundBy: 'push' | 'pull', now = Date.now()): Promise<number> {
    let added = 0;
    for (const theirs of found) {
      if (this.byId.has(theirs.id)) continue;
      for (const c of this.byId.values()) {
        if (c.closed === null && c.theirs.utteranceId === theirs.utteranceId && c.theirs.annotator === theirs.annotator) {
          this.byId.set(c.id, { ...c, closed: { how: 'superseded', at: now } });
        }
      }
      this.byId.set(theirs.id, { id: theirs.id, theirs, foundBy, detectedAt: now, closed: null });
      added++;
    }
    if (added > 0) await this.save();
    return added;
  }

  /** Closes a conflict the way a person chose. */
  async close(id: string, how: 'mine' | 'theirs', now = Date.now()): Promise<void> {
    const c = this.byId.get(id);
    if (!c) return;
    this.byId.set(id, { ...c, closed: { how, at: now } });
    await this.save();
  }

  private save(): Promise<void> {
    return this.file.write({ v: 1, items: [...this.byId.values()] });
  }
}
