import { join, resolve } from 'node:path';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { Intent } from '../../shared/domain/types';
import { ActionLog } from './actionLog';
import { createDemoWorkspace } from './demoWorkspace';
import { ServiceEvents } from './events';
import { SettingsFile } from './settingsFile';
import type { LockMode } from './store/workspaceLock';
import { WorkspaceStore, type WorkspaceDoc } from './store/workspaceStore';
import { log } from './log';

/** The open workspace, the settings and the event bus that every service shares. */
export class WorkspaceSession {
  readonly events = new ServiceEvents();
  readonly actions = new ActionLog();
  private current: WorkspaceStore;

  private constructor(
    readonly dataDir: string,
    readonly settings: SettingsFile,
    store: WorkspaceStore,
    private readonly mode: LockMode,
  ) {
    this.current = store;
  }

  /**
   * Opens `workspaceFolder`, else the last workspace, else the demo workspace in `${dataDir}/workspaces/demo`
   * (generated on first run).
   */
  static async create(options: { dataDir: string; workspaceFolder?: string; mode?: LockMode }): Promise<WorkspaceSession> {
    const settings = await SettingsFile.open(options.dataDir);
    const folder = options.workspaceFolder ?? settings.savedWorkspaceFolder;
    const mode = options.mode ?? 'cli';
    const store = folder ? await WorkspaceStore.open(resolve(folder), () => emptyWorkspace(resolve(folder)), { mode }) : await createDemoWorkspace(join(options.dataDir, 'workspaces', 'demo'), mode);
    if (store.folder !== settings.savedWorkspaceFolder) await settings.update({ workspaceFolder: store.folder }).catch((err: unknown) => log.warn('settings.rememberWorkspace', err));
    return new WorkspaceSession(options.dataDir, settings, store, mode);
  }

  get store(): WorkspaceStore {
    return this.current;
  }

  get annotator(): string {
    return this.settings.value.annotator;
  }

  /** Closes the current workspace and opens (or creates) the one in `folder`. */
  async switchTo(folder: string): Promise<WorkspaceStore> {
    const path = resolve(folder);
    if (path === this.current.folder) return this.current;
    const next = await WorkspaceStore.open(path, () => emptyWorkspace(path), { mode: this.mode });
    await this.current.close();
    this.current = next;
    this.actions.clear();
    await this.settings.update({ workspaceFolder: path });
    this.events.emit('onDidChangeWorkspace', {});
    return next;
  }

  /** Looks up an intent of the open workspace, or throws not_found. */
  requireIntent(id: string): Intent {
    const intent = this.current.intents.find((i) => i.id === id);
    if (!intent) throw new ContractError('not_found', sentence('no_intent', { id }), { field: 'intentId' });
    return intent;
  }

  /** Closes the workspace; never throws: returns what could not be written (a full disk), which the journal holds. */
  async close(): Promise<string | null> {
    return this.current.close();
  }
}

function emptyWorkspace(folder: string): WorkspaceDoc {
  const name = folder.split(/[\\/]/).filter(Boolean).pop() ?? 'workspace';
  return { formatVersion: 1, meta: { name, languages: ['zh', 'en'], annotators: [], createdAt: Date.now() }, intents: [] };
}
