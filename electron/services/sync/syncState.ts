import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptFileError, DurableJsonFile } from '../../../lib/durable/durableFile';

/** sync/state.json: which platform the workspace is linked to and how far each feed was read. */
export interface SyncStateDoc {
  readonly v: 1;
  /** False after sync.disconnect: the feed positions are kept for a reconnect to the same project. */
  readonly connected: boolean;
  readonly url: string | null;
  readonly project: string | null;
  /** The platform's opaque cursor after the last stored call; '' = the start of the feed. */
  readonly cursor: string;
  /** `seq` of the last stored call; the next page must start at lastSeq + 1. */
  readonly lastSeq: number;
  /** Catalogue version last merged, or null before the first pull. */
  readonly catalogueVersion: number | null;
  /** Label journal position read up to. */
  readonly labelsSince: number;
  readonly lastSyncAt: number | null;
  /** Labels the platform refused for good. */
  readonly rejectedLabels: number;
  /** This workspace's link to the project (random, set at connect): the prefix of the ids of the labels it sends. */
  readonly linkId: string;
}

const EMPTY: SyncStateDoc = { v: 1, connected: false, url: null, project: null, cursor: '', lastSeq: 0, catalogueVersion: null, labelsSince: 0, lastSyncAt: null, rejectedLabels: 0, linkId: '' };

/** The feed positions for a new link to a platform project (nothing read yet). */
export function freshSyncState(url: string, project: string): SyncStateDoc {
  return { ...EMPTY, connected: true, url, project, linkId: randomUUID() };
}

/** sync/state.json, written atomically (temp file, fsync, rename) on every change. */
export class SyncStateFile {
  private current: SyncStateDoc;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: DurableJsonFile<SyncStateDoc>,
    state: SyncStateDoc,
    /** Set when the file was damaged and the feeds start over (calls are not stored twice: ids are unique). */
    readonly recovered: string | null,
  ) {
    this.current = state;
  }

  /** Opens `${dir}/state.json`; a damaged file starts the feeds over and says so in `recovered`. */
  static async open(dir: string): Promise<SyncStateFile> {
    await mkdir(dir, { recursive: true });
    const file = new DurableJsonFile<SyncStateDoc>(join(dir, 'state.json'), 1);
    try {
      const doc = await file.read();
      const state = new SyncStateFile(file, doc ? { ...EMPTY, ...doc } : EMPTY, null);
      // A link made before label ids came from the journal gets its id now, once.
      if (state.current.url !== null && !state.current.linkId) await state.update({ linkId: randomUUID() });
      return state;
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err;
      return new SyncStateFile(file, EMPTY, `${err.message}; the sync starts over from the beginning of the feed (calls already stored are skipped).`);
    }
  }

  get value(): SyncStateDoc {
    return this.current;
  }

  /** Changes the state and resolves once it is on disk; writes happen in call order. */
  update(patch: Partial<Omit<SyncStateDoc, 'v'>>): Promise<void> {
    const next: SyncStateDoc = { ...this.current, ...patch };
    this.current = next;
    const write = this.writing.then(() => this.file.write(next));
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** Replaces the whole state (a new link). */
  reset(state: SyncStateDoc): Promise<void> {
    return this.update(state);
  }
}
