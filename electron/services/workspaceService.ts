import type { Settings, WorkspaceInfo } from '../../shared/contract/dto';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { WorkspaceService } from '../../shared/contract/services';
import type { WorkspaceSession } from './workspaceSession';

/** WorkspaceService: the open workspace and the app settings. */
export class WorkspaceController implements WorkspaceService {
  constructor(private readonly session: WorkspaceSession) {}

  async getInfo(): Promise<WorkspaceInfo> {
    const store = this.session.store;
    return {
      folder: store.folder,
      name: store.meta.name,
      languages: store.meta.languages,
      annotators: store.meta.annotators,
      calls: store.calls.callCount,
      utterances: store.calls.utteranceCount,
      labeled: store.labels.labeledCount,
      recovery: store.notices,
    };
  }

  async getSettings(): Promise<Settings> {
    return { ...this.session.settings.value, workspaceFolder: this.session.store.folder };
  }

  async updateSettings(arg: MethodArgs<'workspace.updateSettings'>): Promise<Settings> {
    await this.session.settings.update(arg);
    if (arg.annotator && !this.session.store.meta.annotators.includes(arg.annotator)) {
      const annotator = arg.annotator;
      await this.session.store.updateMeta((meta) => ({ ...meta, annotators: [...meta.annotators, annotator] }));
    }
    return this.getSettings();
  }

  async openWorkspace(arg: MethodArgs<'workspace.openWorkspace'>): Promise<WorkspaceInfo> {
    await this.session.switchTo(arg.folder);
    return this.getInfo();
  }
}
