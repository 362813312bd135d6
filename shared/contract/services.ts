import type {
  CallDetail,
  CleanupReport,
  QuestionCount,
  ClusterMember,
  ClusterSummary,
  DiscoveryActionResult,
  DiscoveryJob,
  DiscoveryStatus,
  DiscoveryUndoResult,
  ExpansionCandidate,
  CallSummary,
  ExportContent,
  ExportReport,
  ImportPreview,
  ImportReport,
  Intent,
  IntentWithCounts,
  Label,
  LabelEvent,
  LabelProgress,
  LabelResult,
  LibraryIntent,
  MergeResult,
  ModelReport,
  QuestionReportDto,
  ModelStatus,
  ModelComparison,
  ModelPushResult,
  ModelSummary,
  Page,
  PlatformModelList,
  JudgeState,
  ReplayJob,
  ReplayStatus,
  QueueItem,
  QueueSummary,
  ReportExportContent,
  ReportExportReport,
  Settings,
  SyncConflict,
  SyncJob,
  SyncStatus,
  TrainJob,
  UndoResult,
  WorkspaceInfo,
  PinnedCase,
  GateCheck,
  WatchReport,
  WatchSettings,
} from './dto';
import type { KeyMapPin } from '../domain/keyMapPin';
import type { ErrorSentence } from './errorWords';
import type { MenuCommand } from './menu';
import type { MethodArgs, MethodInput, MethodName } from './schemas';

/** The workspace that is open, and the app's settings. */
export interface WorkspaceService {
  /** Name, languages, counts and any recovery notices of the open workspace. */
  getInfo(arg: MethodArgs<'workspace.getInfo'>): Promise<WorkspaceInfo>;
  /** Annotator name, UI language and workspace folder. */
  getSettings(arg: MethodArgs<'workspace.getSettings'>): Promise<Settings>;
  /** Changes the annotator name or UI language; returns the new settings. */
  updateSettings(arg: MethodArgs<'workspace.updateSettings'>): Promise<Settings>;
  /** Opens (or creates) the workspace in `folder` and makes it current. */
  openWorkspace(arg: MethodArgs<'workspace.openWorkspace'>): Promise<WorkspaceInfo>;
}

/** Queues of utterances to look at, with counts. */
export interface QueueService {
  /** Every queue with the number of items in it. */
  listQueues(arg: MethodArgs<'queue.listQueues'>): Promise<readonly QueueSummary[]>;
  /** A page of a queue; `skip` drops items the annotator skipped this session. */
  getPage(arg: MethodArgs<'queue.getPage'>): Promise<Page<QueueItem>>;
}

/** Labels: durable before the call returns. */
export interface LabelService {
  /** Labels one utterance (`target: null` clears it); durable on disk when the promise resolves. */
  setLabel(arg: MethodArgs<'label.setLabel'>): Promise<LabelResult>;
  /** Gives many utterances the same label as one undoable action. */
  bulkLabel(arg: MethodArgs<'label.bulkLabel'>): Promise<LabelResult>;
  /** Reverts every label change of an action, leaving alone utterances changed since. */
  undoAction(arg: MethodArgs<'label.undoAction'>): Promise<UndoResult>;
  /** The append-only label history, newest first, optionally for one utterance. */
  getHistory(arg: MethodArgs<'label.getHistory'>): Promise<readonly LabelEvent[]>;
  /** Done, left and labels in the last hour for the current annotator. */
  getProgress(arg: MethodArgs<'label.getProgress'>): Promise<LabelProgress>;
  /** Confirms a label the model disputes: it leaves the Likely-mislabeled queue until the label changes. */
  keepLabel(arg: MethodArgs<'label.keepLabel'>): Promise<LabelResult>;
}

/** The in-app intent model: training in a worker thread, versions and their evaluation. */
export interface ModelService {
  /** The running job, the latest version and whether training can start. */
  getStatus(arg: MethodArgs<'model.getStatus'>): Promise<ModelStatus>;
  /** Starts training (k-fold evaluation, final model, re-ranking the queues) in a worker; progress comes as onDidTrainProgress. */
  train(arg: MethodArgs<'model.train'>): Promise<TrainJob>;
  /** Stops a running job; the previous version stays in use. */
  cancelJob(arg: MethodArgs<'model.cancelJob'>): Promise<{ readonly cancelled: boolean }>;
  /** Every kept version, newest first. */
  listVersions(arg: MethodArgs<'model.listVersions'>): Promise<readonly ModelSummary[]>;
  /** The full evaluation of one version. */
  getReport(arg: MethodArgs<'model.getReport'>): Promise<ModelReport>;
  /**
   * A version's report per bot question (the newest version's when `version` is absent): per flow node, else per
   * prompt, its replies, out-of-fold accuracy, coverage, uncovered share, confused pairs and example replies, the
   * question with the most trouble (uncovered + confused) first. Computed once when the version was trained.
   */
  getQuestionReport(arg: MethodArgs<'model.getQuestionReport'>): Promise<QuestionReportDto>;
  /**
   * Sets a version's out-of-scope threshold (kept in its artifact and report) and returns the updated report; when it
   * is the version in use, the Uncovered queue is re-ranked with it and onDidModelChange fires.
   */
  setOutOfScopeThreshold(arg: MethodArgs<'model.setOutOfScopeThreshold'>): Promise<ModelReport>;
  /**
   * Writes a version's evaluation (the latest when `version` is absent) to `path`: xlsx has a summary sheet and the
   * per-intent table (precision, recall, F1, support), CSV the per-intent table. The file appears whole or not at all.
   */
  exportReportFile(arg: MethodArgs<'model.exportReportFile'>): Promise<ReportExportReport>;
  /** The same export as exportReportFile, returned for a browser download (xlsx in base64). */
  exportReportContent(arg: MethodArgs<'model.exportReportContent'>): Promise<ReportExportContent>;
}

/** The intent catalogue. */
export interface IntentService {
  /** Every intent with how many utterances are labeled with it and predicted as it. */
  listIntents(arg: MethodArgs<'intent.listIntents'>): Promise<readonly IntentWithCounts[]>;
  /** Adds an intent; names are unique (case-insensitive) among non-deprecated intents. */
  createIntent(arg: MethodArgs<'intent.createIntent'>): Promise<Intent>;
  /** Renames, describes, sets examples, group or status (deprecate) of an intent. */
  updateIntent(arg: MethodArgs<'intent.updateIntent'>): Promise<Intent>;
  /** Relabels every member of `sourceId` as `targetId` and deprecates the source; undoable. */
  mergeIntents(arg: MethodArgs<'intent.mergeIntents'>): Promise<MergeResult>;
  /** The built-in library of general outbound-call intents in one language. */
  listLibrary(arg: MethodArgs<'intent.listLibrary'>): Promise<readonly LibraryIntent[]>;
  /** Adds library intents, with their examples, to the catalogue; returns those added. */
  addFromLibrary(arg: MethodArgs<'intent.addFromLibrary'>): Promise<readonly Intent[]>;
  /** The intents of another workspace folder, to pick from. */
  listFromWorkspace(arg: MethodArgs<'intent.listFromWorkspace'>): Promise<readonly Intent[]>;
  /** Copies intents with their examples from another workspace; returns those added. */
  addFromWorkspace(arg: MethodArgs<'intent.addFromWorkspace'>): Promise<readonly Intent[]>;
  /**
   * The digit key map pinned for this workspace, as the catalogue has it now (merged intents replaced by their target,
   * deleted ones leaving their key empty); null when none is pinned and each session freezes its most used intents.
   */
  getKeyMap(arg: MethodArgs<'intent.getKeyMap'>): Promise<KeyMapPin | null>;
  /** Pins which intent sits on each of the keys 1–9 for every annotator of the workspace (kept in workspace.json). */
  pinKeyMap(arg: MethodArgs<'intent.pinKeyMap'>): Promise<KeyMapPin>;
  /** Removes the pinned key map: sessions go back to freezing their most used intents. */
  unpinKeyMap(arg: MethodArgs<'intent.unpinKeyMap'>): Promise<null>;
}

/** Calls and their transcripts. */
export interface CallService {
  /** Calls whose text or id matches `query`, newest first. */
  searchCalls(arg: MethodArgs<'call.searchCalls'>): Promise<Page<CallSummary>>;
  /** One call's whole transcript with the labels of its user turns. */
  getCall(arg: MethodArgs<'call.getCall'>): Promise<CallDetail>;
  /** Campaign names with their number of calls. */
  listCampaigns(arg: MethodArgs<'call.listCampaigns'>): Promise<readonly { readonly campaign: string; readonly calls: number }[]>;
}

/** Import and export of calls, utterances and labels. */
export interface TransferService {
  /**
   * Streams a JSON Lines, CSV, TSV or xlsx file into the workspace; bad rows are reported by line (with a code the UI
   * words), good rows kept; calls already in the workspace are counted as updated or unchanged. The mapping used is
   * remembered for files with the same headers. A file that cannot be read as a whole (wrong encoding, binary, no
   * text column) is refused with `bad_input` and `details.issue`.
   */
  importFile(arg: MethodArgs<'transfer.importFile'>): Promise<ImportReport>;
  /** Imports a file uploaded by the browser UI, as text (`content`) or as bytes in any encoding (`dataBase64`). */
  importContent(arg: MethodArgs<'transfer.importContent'>): Promise<ImportReport>;
  /**
   * Reads the first rows of a file (by `path`) or an upload (`fileName` with `content` or `dataBase64`) the way import
   * would with the same options, and says how: format, encoding, delimiter, sheets, headers and their mapping, and the
   * problems found. Imports nothing.
   */
  previewImport(arg: MethodArgs<'transfer.previewImport'>): Promise<ImportPreview>;
  /** Writes labeled utterances as JSONL, CSV, Rasa nlu.yml or an xlsx workbook. */
  exportFile(arg: MethodArgs<'transfer.exportFile'>): Promise<ExportReport>;
  /** Returns the export for a browser download: text formats as text, xlsx in base64. */
  exportContent(arg: MethodArgs<'transfer.exportContent'>): Promise<ExportContent>;
}

/** The link to the bot platform: pull calls and the catalogue, push labels from an outbox, keep conflicts. */
export interface SyncService {
  /** Platform, online/offline, last sync, outbox and conflict counts, and the running job. */
  getStatus(arg: MethodArgs<'sync.getStatus'>): Promise<SyncStatus>;
  /** Checks the platform's API version and the token, stores the token in the secret store and links the workspace. */
  connect(arg: MethodArgs<'sync.connect'>): Promise<SyncStatus>;
  /** Unlinks the workspace and forgets the token; synced data and unsent labels stay. */
  disconnect(arg: MethodArgs<'sync.disconnect'>): Promise<SyncStatus>;
  /** Starts a sync (catalogue, calls, outbox, others' labels) or returns the one running; progress comes as onDidSyncProgress. */
  syncNow(arg: MethodArgs<'sync.syncNow'>): Promise<SyncJob>;
  /** Stops a running sync after the page in hand is stored. */
  cancel(arg: MethodArgs<'sync.cancel'>): Promise<{ readonly cancelled: boolean }>;
  /** Unresolved conflicts, oldest first. */
  listConflicts(arg: MethodArgs<'sync.listConflicts'>): Promise<Page<SyncConflict>>;
  /** Keeps our label, or applies theirs as a manual label (which is then pushed); the conflict is closed. */
  resolveConflict(arg: MethodArgs<'sync.resolveConflict'>): Promise<SyncStatus>;
  /** The model versions in the platform's registry, newest first, with their notes and which one is active. */
  listPlatformModels(arg: MethodArgs<'sync.listPlatformModels'>): Promise<PlatformModelList>;
  /**
   * A local model version side by side with the platform's active model on the same data: accuracy on the labeled
   * utterances the version did not train on (else its out-of-fold accuracy against the platform's on its training
   * labels, or its own out-of-fold figure when the platform's model was pushed from this workspace), coverage on the user
   * utterances it did not train on.
   */
  compareModel(arg: MethodArgs<'sync.compareModel'>): Promise<ModelComparison>;
  /**
   * Uploads a local version (artifact, evaluation, note); pushing the same artifact again returns the version already
   * there. Refused (`conflict`, reason `gate_blocked`) when the version breaks a pinned case or its net change is
   * estimated below zero, unless `overrideNote` is given: then the reasons and the note go with it into the registry.
   * Fails in words when the platform is unreachable (not queued).
   */
  pushModel(arg: MethodArgs<'sync.pushModel'>): Promise<ModelPushResult>;
  /** Makes a platform version the active one: new traffic is predicted with it. */
  activateModel(arg: MethodArgs<'sync.activateModel'>): Promise<PlatformModelList>;
  /** Re-activates the platform's previously active version. */
  rollbackModel(arg: MethodArgs<'sync.rollbackModel'>): Promise<PlatformModelList>;
}

/** The release gate's must-not-break cases and the watch after an activation. */
export interface GateService {
  /** Every pinned case, newest first. */
  listPinnedCases(arg: MethodArgs<'gate.listPinnedCases'>): Promise<readonly PinnedCase[]>;
  /**
   * Pins an utterance (with its bot question) with the intent every candidate must keep for it: `intentId`, else its
   * current intent label. Pinning it again replaces the intent. Durable when the call resolves (gate/pinned.json).
   */
  pinCase(arg: MethodArgs<'gate.pinCase'>): Promise<PinnedCase>;
  /** Removes a pinned case. */
  unpinCase(arg: MethodArgs<'gate.unpinCase'>): Promise<{ readonly removed: boolean }>;
  /** Checks a local version against every pinned case (and the net-change estimate, when there is one). */
  checkVersion(arg: MethodArgs<'gate.checkVersion'>): Promise<GateCheck>;
  /**
   * The platform's traffic since its active version was activated, per hour, against the same hours before (coverage,
   * fallback and transfer-to-a-person shares), and whether it degraded past the lead's threshold. Reads the calls synced.
   */
  getWatch(arg: MethodArgs<'gate.getWatch'>): Promise<WatchReport>;
  /** Changes the watch's threshold, coverage confidence or minimum turns; returns the settings (gate/watch.json). */
  setWatchSettings(arg: MethodArgs<'gate.setWatchSettings'>): Promise<WatchSettings>;
}

/** New-intent discovery: clusters of uncovered utterances for team leads, corpus expansion and cleanup. */
export interface DiscoveryService {
  /** The running job, the last clustering and the size of the uncovered pool now. */
  getStatus(arg: MethodArgs<'discovery.getStatus'>): Promise<DiscoveryStatus>;
  /**
   * Clusters the uncovered pool in a worker (progress comes as onDidDiscoveryProgress); replaces the last clustering.
   * With `question` (a key from listQuestions) only the uncovered replies to that bot question are clustered, and the
   * run records it.
   */
  run(arg: MethodArgs<'discovery.run'>): Promise<DiscoveryJob>;
  /** The bot questions the uncovered pool's utterances answered, most uncovered replies first: what a run can be scoped to. */
  listQuestions(arg: MethodArgs<'discovery.listQuestions'>): Promise<readonly QuestionCount[]>;
  /** Stops a running clustering; the last one stays. */
  cancel(arg: MethodArgs<'discovery.cancel'>): Promise<{ readonly cancelled: boolean }>;
  /** Clusters of the last run, by size (traffic) or cohesion; open ones only unless `includeClosed`. */
  listClusters(arg: MethodArgs<'discovery.listClusters'>): Promise<readonly ClusterSummary[]>;
  /** A page of a cluster's members, most typical first. */
  getMembers(arg: MethodArgs<'discovery.getMembers'>): Promise<Page<ClusterMember>>;
  /** Creates an intent from a cluster and labels its unlabeled and "none of these" members with it (source 'discovery'). */
  acceptCluster(arg: MethodArgs<'discovery.acceptCluster'>): Promise<DiscoveryActionResult>;
  /** Labels a cluster's unlabeled and "none of these" members with an existing intent. */
  mergeCluster(arg: MethodArgs<'discovery.mergeCluster'>): Promise<DiscoveryActionResult>;
  /** Marks a cluster as noise: its unlabeled members are labeled "none of these". */
  dismissCluster(arg: MethodArgs<'discovery.dismissCluster'>): Promise<DiscoveryActionResult>;
  /** Moves utterances out of an open cluster; they stay in the uncovered pool. */
  removeMembers(arg: MethodArgs<'discovery.removeMembers'>): Promise<DiscoveryActionResult>;
  /** Re-clusters an open cluster's members into smaller clusters (in a worker). */
  splitCluster(arg: MethodArgs<'discovery.splitCluster'>): Promise<DiscoveryActionResult>;
  /** Undoes the last discovery action: labels go back (those changed since are left alone) and the clusters as they were. */
  undo(arg: MethodArgs<'discovery.undo'>): Promise<DiscoveryUndoResult>;
  /** Unlabeled utterances most similar to an intent's labeled utterances and examples, most similar first. */
  expandIntent(arg: MethodArgs<'discovery.expandIntent'>): Promise<readonly ExpansionCandidate[]>;
  /** Conflicting duplicates, near-duplicates across intents and the intents the model keeps confusing. */
  getCleanup(arg: MethodArgs<'discovery.getCleanup'>): Promise<CleanupReport>;
}

/**
 * The release gate's replay: a candidate version against the platform's active model on the workspace's recent
 * traffic, and a judged sample of what it changes.
 */
export interface ReplayService {
  /** The running replay, the last result and the span of the traffic. */
  getStatus(arg: MethodArgs<'replay.getStatus'>): Promise<ReplayStatus>;
  /**
   * Predicts the user turns of the calls started in [from, to) (one campaign or all) with the candidate and compares
   * with the active model's predictions (stored with the turns, else the active artifact from the registry), in
   * worker threads; progress comes as onDidReplayProgress. Draws a stratified sample of the changes to judge.
   */
  start(arg: MethodArgs<'replay.start'>): Promise<ReplayJob>;
  /** Stops a running replay; the last result stays. */
  cancel(arg: MethodArgs<'replay.cancel'>): Promise<{ readonly cancelled: boolean }>;
  /** The judged sample of the last replay with the net change in accuracy it implies (95% interval). */
  getJudging(arg: MethodArgs<'replay.getJudging'>): Promise<JudgeState>;
  /**
   * Judges a sampled turn, which labels it: 'new' with the candidate's intent, 'old' with the active model's, 'neither'
   * with `intentId` (null: none of these). Answers the judged sample after the label is durable.
   */
  judge(arg: MethodArgs<'replay.judge'>): Promise<JudgeState>;
}

export interface Services {
  readonly workspace: WorkspaceService;
  readonly queue: QueueService;
  readonly label: LabelService;
  readonly intent: IntentService;
  readonly call: CallService;
  readonly transfer: TransferService;
  readonly model: ModelService;
  readonly sync: SyncService;
  readonly gate: GateService;
  readonly discovery: DiscoveryService;
  readonly replay: ReplayService;
}

type ServiceKey = keyof Services;

/** What method `M` of the contract resolves to. */
export type MethodResult<M extends MethodName> = M extends `${infer S}.${infer F}`
  ? S extends ServiceKey
    ? F extends keyof Services[S]
      ? Services[S][F] extends (arg: never) => Promise<infer R>
        ? R
        : never
      : never
    : never
  : never;

/** The typed client the renderer uses: same shape as Services, callers may omit defaulted fields. */
export type Client = {
  readonly [S in ServiceKey]: {
    readonly [F in keyof Services[S]]: `${S}.${F & string}` extends infer M extends MethodName
      ? (arg: MethodInput<M>) => Promise<MethodResult<M>>
      : never;
  };
};

/** Compile-time proof that every schema names a service method and every method has a schema. */
type MethodsOfServices = { [S in ServiceKey]: `${S}.${keyof Services[S] & string}` }[ServiceKey];
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const contractIsComplete: Exact<MethodsOfServices, MethodName> = true;

/** Events pushed from services to the UI. */
export interface EventMap {
  /** Labels changed (by this window, another window, or an import). */
  onDidChangeLabels: { readonly count: number };
  /** The intent catalogue changed. */
  onDidChangeIntents: Record<string, never>;
  /** The workspace was opened or data was imported. */
  onDidChangeWorkspace: Record<string, never>;
  /** A running import read further into its file (at most ten a second, and once at the end). */
  onDidImportProgress: {
    /** The file's name, without its folder. */
    readonly file: string;
    readonly bytesRead: number;
    readonly totalBytes: number;
    /** Records handled so far: calls delivered plus bad rows (the final event gives the file's non-blank rows). */
    readonly rows: number;
  };
  /** A training job advanced, finished (phase 'saving', progress 1) or stopped. */
  onDidTrainProgress: TrainJob & { readonly state: 'running' | 'done' | 'cancelled' | 'failed'; readonly message?: string; readonly sentences?: readonly ErrorSentence<string>[] };
  /** A new model version was saved and the ranked queues were re-ranked. */
  onDidModelChange: { readonly version: number };
  /** A sync advanced, finished, was cancelled or failed (at most ten a second while running, and once at the end). */
  onDidSyncProgress: SyncJob & { readonly state: 'running' | 'done' | 'cancelled' | 'failed'; readonly message?: string; readonly sentences?: readonly ErrorSentence<string>[] };
  /** Connection, outbox, conflicts or last-sync time changed. */
  onDidChangeSyncStatus: SyncStatus;
  /** A clustering job advanced, finished, was cancelled or failed. */
  onDidDiscoveryProgress: DiscoveryJob & { readonly state: 'running' | 'done' | 'cancelled' | 'failed'; readonly message?: string; readonly sentences?: readonly ErrorSentence<string>[] };
  /** The clusters changed (a new run, or an action on a cluster). */
  onDidChangeClusters: Record<string, never>;
  /** A replay advanced, finished, was cancelled or failed. */
  onDidReplayProgress: ReplayJob & { readonly state: 'running' | 'done' | 'cancelled' | 'failed'; readonly message?: string; readonly sentences?: readonly ErrorSentence<string>[] };
  /** A native menu command (desktop only). */
  onDidMenuCommand: MenuCommand;
}
export type EventName = keyof EventMap;
/** Which events the bridges forward; a key of `EventMap` missing here (or one that is not a key) fails to compile. */
const forwardedEvents: { readonly [K in EventName]: boolean } = {
  onDidChangeLabels: true,
  onDidChangeIntents: true,
  onDidChangeWorkspace: true,
  onDidImportProgress: true,
  onDidTrainProgress: true,
  onDidModelChange: true,
  onDidSyncProgress: true,
  onDidChangeSyncStatus: true,
  onDidDiscoveryProgress: true,
  onDidChangeClusters: true,
  onDidReplayProgress: true,
  // Menu commands come from the main process itself (desktop only), not from the services.
  onDidMenuCommand: false,
};
/** The service events both bridges forward to the UI. */
export const eventNames: readonly EventName[] = (Object.keys(forwardedEvents) as EventName[]).filter((name) => forwardedEvents[name]);

export type { Label };
