import type { EventMap, EventName, Services } from '../../shared/contract/services';
import { CallStore } from './callService';
import { IntentStore } from './intentService';
import { LabelStore } from './labelService';
import { QueueStore } from './queueService';
import { TransferController } from './transferService';
import { WorkspaceController } from './workspaceService';
import { WorkspaceSession } from './workspaceSession';

/** The Node services behind both bridges (IPC in Electron, HTTP in browser mode). */
export interface ServiceHost {
  readonly services: Services;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  close(): Promise<void>;
}

/**
 * Opens the workspace (`workspaceFolder`, else the last one, else the demo workspace created in
 * `${dataDir}/workspaces/demo`) and builds every service over it.
 */
export async function createServiceHost(options: { dataDir: string; workspaceFolder?: string }): Promise<ServiceHost> {
  const session = await WorkspaceSession.create(options);
  const label = new LabelStore(session);
  const services: Services = {
    workspace: new WorkspaceController(session),
    queue: new QueueStore(session),
    label,
    intent: new IntentStore(session, label),
    call: new CallStore(session),
    transfer: new TransferController(session),
  };
  return {
    services,
    on: (event, listener) => session.events.on(event, listener),
    close: () => session.close(),
  };
}
