import { join } from 'node:path';
import type { LabelEvent } from '../../../shared/domain/types';
import type { WorkspaceStore } from '../store/workspaceStore';
import { ConflictBook } from './conflictBook';
import { Outbox } from './outbox';
import { SyncStateFile } from './syncState';

/** The sync files of one open workspace (`<workspace>/sync/`): state, outbox and conflicts. */
export class WorkspaceLink {
  private constructor(
    readonly store: WorkspaceStore,
    readonly state: SyncStateFile,
    readonly outbox: Outbox,
    readonly conflicts: ConflictBook,
    private readonly unsubscribe: () => void,
  ) {}

  /** Opens the sync files of `store` and passes its durable label changes to `onLabels`. */
  static async open(store: WorkspaceStore, onLabels: (events: readonly LabelEvent[]) => void): Promise<WorkspaceLink> {
    const dir = join(store.folder, 'sync');
    const state = await SyncStateFile.open(dir);
    const outbox = await Outbox.open(dir);
    const conflicts = await ConflictBook.open(dir);
    const unsubscribe = store.onDidApplyLabelChanges(onLabels);
    return new WorkspaceLink(store, state, outbox, conflicts, unsubscribe);
  }

  get connected(): boolean {
    const s = this.state.value;
    return s.connected && s.url !== null && s.project !== null;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.outbox.close();
  }
}
