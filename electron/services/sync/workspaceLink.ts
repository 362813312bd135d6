import { join } from 'node:path';
import type { LabelEvent } from '../../../shared/domain/types';
import type { WorkspaceStore } from '../store/workspaceStore';
import { toLabelEvent } from '../store/labelCodec';
import { ConflictBook } from './conflictBook';
import { outboxLabelsOf } from './labelExchange';
import { Outbox } from './outbox';
import { SyncStateFile } from './syncState';
import { log } from '../log';

/** The sync files of one open workspace (`<workspace>/sync/`): state, outbox and conflicts. */
export class WorkspaceLink {
  private constructor(
    readonly store: WorkspaceStore,
    readonly state: SyncStateFile,
    readonly outbox: Outbox,
    readonly conflicts: ConflictBook,
    private readonly unsubscribe: () => void,
  ) {}

  /**
   * Opens the sync files of `store`. While the workspace is connected, every durable label change a person made is
   * queued in the outbox, and so is every one the journal holds past the outbox's position (those a crash kept from
   * being queued); then `onQueued` hears of it.
   */
  static async open(store: WorkspaceStore, onQueued: () => void): Promise<WorkspaceLink> {
    const dir = join(store.folder, 'sync');
    const state = await SyncStateFile.open(dir);
    const outbox = await Outbox.open(dir);
    const conflicts = await ConflictBook.open(dir);
    let link: WorkspaceLink | null = null;
    const unsubscribe = store.onDidApplyLabelChanges((events) => {
      if (link?.queue(events)) onQueued();
    });
    link = new WorkspaceLink(store, state, outbox, conflicts, unsubscribe);
    await link.catchUp();
    return link;
  }

  get connected(): boolean {
    const s = this.state.value;
    return s.connected && s.url !== null && s.project !== null;
  }

  /** From now on, label changes are sent (none made before): called when the workspace connects. */
  async startSending(): Promise<void> {
    await this.outbox.markThrough(this.store.lastSeq);
  }

  /** Queues the pushable changes among `events` while connected; true when any was queued. */
  private queue(events: readonly LabelEvent[]): boolean {
    if (!this.connected) return false;
    const queued = outboxLabelsOf(events, this.state.value.linkId);
    if (queued.length === 0) return false;
    // Not lost when this fails: at the next open the journal's changes past the outbox's position are queued again.
    this.outbox.add(queued).catch((err: unknown) => log.error('sync.outbox.add', err, { labels: queued.length }));
    return true;
  }

  /** Queues the journal's label changes past the outbox's position (acknowledged, but not queued before a crash). */
  private async catchUp(): Promise<void> {
    if (!this.connected) return;
    const upTo = this.store.lastSeq;
    const found: LabelEvent[] = [];
    await this.store.readLabelChangesSince(this.outbox.through, (e) => found.push(toLabelEvent(e)));
    await this.outbox.add(outboxLabelsOf(found, this.state.value.linkId));
    await this.outbox.markThrough(upTo);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.outbox.close();
  }
}
