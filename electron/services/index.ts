import type { EventMap, EventName, Services } from '../../shared/contract/services';
import { CallStore } from './callService';
import { DiscoveryController } from './discoveryService';
import { GateController } from './gateService';
import { ReplayController } from './gate/replayService';
import { IntentStore } from './intentService';
import { fileURLToPath } from 'node:url';
import { LabelStore } from './labelService';
import { ModelController } from './modelService';
import { QueueStore } from './queueService';
import { FileSecretStore, type SecretStore } from './sync/secretStore';
import { SyncController, type SyncOptions } from './syncService';
import { TransferController } from './transferService';
import { WorkspaceController } from './workspaceService';
import type { LockMode } from './store/workspaceLock';
import { WorkspaceSession } from './workspaceSession';
import { log, openLog } from './log';

export interface ServiceHostOptions {
  readonly dataDir: string;
  /** Who is running: named to another process that tries to open the same workspace (default 'cli'). */
  readonly mode?: LockMode;
  readonly workspaceFolder?: string;
  /** The built training worker (Electron passes out/main/trainWorker.js); defaults to the TypeScript source (tsx). */
  readonly workerPath?: string;
  /** The built discovery worker (Electron passes out/main/discoveryWorker.js); defaults to the TypeScript source (tsx). */
  readonly discoveryWorkerPath?: string;
  /** The built replay worker (Electron passes out/main/replayWorker.js); defaults to the TypeScript source (tsx). */
  readonly replayWorkerPath?: string;
  /** Label changes after which the model retrains by itself; 0 turns it off. Default 50. */
  readonly retrainAfterLabels?: number;
  /** Where platform tokens are kept; Electron passes a safeStorage-backed store. Default: `${dataDir}/secrets.json` (mode 0600). */
  readonly secrets?: SecretStore;
  /** Sync tuning (timeouts, page sizes, backoff), for tests and benchmarks. */
  readonly sync?: Omit<SyncOptions, 'secrets'>;
}

/** The Node services behind both bridges (IPC in Electron, HTTP in browser mode). */
export interface ServiceHost {
  readonly services: Services;
  /** Where settings, secrets and the demo workspace live. */
  readonly dataDir: string;
  /** The model service itself, for waiting on jobs in tests and benchmarks. */
  readonly model: ModelController;
  /** The sync service itself, for waiting on jobs in tests and benchmarks. */
  readonly sync: SyncController;
  /** The discovery service itself, for waiting on clustering jobs in tests. */
  readonly discovery: DiscoveryController;
  /** The release gate itself (its net-change source is set by the replay side). */
  readonly gate: GateController;
  /** The replay service itself, for waiting on replays in tests and benchmarks. */
  readonly replay: ReplayController;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Closes every service and the workspace; never throws: resolves to what could not be saved (null when all was). */
  close(): Promise<string | null>;
  /**
   * Stops as kill -9 would, for crash tests in one process: workers and timers end, and the workspace is let go without
   * anything more being written (no snapshot, no catalogue or cluster file catching up).
   */
  crash(): Promise<void>;
}

/**
 * Opens the workspace (`workspaceFolder`, else the last one, else the demo workspace created in
 * `${dataDir}/workspaces/demo`) and builds every service over it.
 */
export async function createServiceHost(options: ServiceHostOptions): Promise<ServiceHost> {
  openLog(options.dataDir);
  const session = await WorkspaceSession.create(options);
  const label = new LabelStore(session);
  const model = new ModelController(session, {
    workerPath: options.workerPath ?? fileURLToPath(new URL('../workers/trainWorker.ts', import.meta.url)),
    retrainAfterLabels: options.retrainAfterLabels ?? 50,
    folds: 5,
  });
  const sync = await SyncController.open(session, label, { ...options.sync, secrets: options.secrets ?? FileSecretStore.inDataDir(options.dataDir) });
  const gate = new GateController(session, { listPlatformModels: () => sync.listPlatformModels() });
  sync.setPushGate((version) => gate.checkVersion({ version }));
  const intent = new IntentStore(session, label);
  const discovery = new DiscoveryController(session, label, intent, model, {
    workerPath: options.discoveryWorkerPath ?? fileURLToPath(new URL('../workers/discoveryWorker.ts', import.meta.url)),
  });
  const replay = new ReplayController(session, label, sync, {
    workerPath: options.replayWorkerPath ?? fileURLToPath(new URL('../workers/replayWorker.ts', import.meta.url)),
  });
  gate.netChangeOf = (version) => replay.netChangeOf(version);
  const services: Services = {
    workspace: new WorkspaceController(session),
    queue: new QueueStore(session, () => model.currentRankings),
    label,
    intent,
    call: new CallStore(session),
    transfer: new TransferController(session),
    model,
    sync,
    gate,
    discovery,
    replay,
  };
  return {
    services,
    dataDir: options.dataDir,
    model,
    sync,
    discovery,
    gate,
    replay,
    on: (event, listener) => session.events.on(event, listener),
    close: async () => {
      // Never throws: each part is closed even when one before it fails; the store says what it could not write.
      const problems: string[] = [];
      for (const part of [replay, sync, discovery, model]) {
        await part.close().catch((err: unknown) => {
          log.error('host.close', err);
          problems.push((err as Error).message);
        });
      }
      const stored = await session.close();
      if (stored) problems.push(stored);
      return problems.length > 0 ? problems.join(' ') : null;
    },
    crash: async () => {
      for (const part of [replay, sync, discovery, model]) await part.close().catch((err: unknown) => log.warn('host.crash', err));
      await session.store.abandonAsIfCrashed();
    },
  };
}
