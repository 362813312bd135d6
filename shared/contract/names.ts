/**
 * The contract's method names without their schemas, for code that must stay tiny (the sandboxed preload).
 * schemas.ts and host.ts prove at compile time that these lists match their schemas.
 */
export const methodNameList = [
  'workspace.getInfo',
  'workspace.getSettings',
  'workspace.updateSettings',
  'workspace.openWorkspace',
  'queue.listQueues',
  'queue.getPage',
  'label.setLabel',
  'label.bulkLabel',
  'label.undoAction',
  'label.getHistory',
  'label.getProgress',
  'label.keepLabel',
  'intent.listIntents',
  'intent.createIntent',
  'intent.updateIntent',
  'intent.mergeIntents',
  'intent.listLibrary',
  'intent.addFromLibrary',
  'intent.listFromWorkspace',
  'intent.addFromWorkspace',
  'intent.getKeyMap',
  'intent.pinKeyMap',
  'intent.unpinKeyMap',
  'call.searchCalls',
  'call.getCall',
  'call.listCampaigns',
  'model.getStatus',
  'model.train',
  'model.cancelJob',
  'model.listVersions',
  'model.getReport',
  'model.getQuestionReport',
  'model.setOutOfScopeThreshold',
  'model.exportReportFile',
  'model.exportReportContent',
  'transfer.importFile',
  'transfer.importContent',
  'transfer.previewImport',
  'transfer.exportFile',
  'transfer.exportContent',
  'sync.getStatus',
  'sync.connect',
  'sync.disconnect',
  'sync.syncNow',
  'sync.cancel',
  'sync.listConflicts',
  'sync.resolveConflict',
  'sync.listPlatformModels',
  'sync.compareModel',
  'sync.pushModel',
  'sync.activateModel',
  'sync.rollbackModel',
  'gate.listPinnedCases',
  'gate.pinCase',
  'gate.unpinCase',
  'gate.checkVersion',
  'gate.getWatch',
  'gate.setWatchSettings',
  'discovery.getStatus',
  'discovery.run',
  'discovery.listQuestions',
  'discovery.cancel',
  'discovery.listClusters',
  'discovery.getMembers',
  'discovery.acceptCluster',
  'discovery.mergeCluster',
  'discovery.dismissCluster',
  'discovery.removeMembers',
  'discovery.splitCluster',
  'discovery.undo',
  'discovery.expandIntent',
  'discovery.getCleanup',
  'replay.getStatus',
  'replay.start',
  'replay.cancel',
  'replay.getJudging',
  'replay.judge',
] as const;

export const hostMethodNameList = ['host.showOpenDialog', 'host.showSaveDialog'] as const;

/** IPC channel names shared by main and preload. */
export const ipcChannels = { invoke: 'callsift:invoke', event: 'callsift:event' } as const;

const methods: ReadonlySet<string> = new Set(methodNameList);
const hostMethods: ReadonlySet<string> = new Set(hostMethodNameList);

/** True when `name` is a method of the contract. */
export function isContractMethodName(name: string): name is (typeof methodNameList)[number] {
  return methods.has(name);
}

/** True when `name` is a host (native dialog) method. */
export function isHostMethodName(name: string): name is (typeof hostMethodNameList)[number] {
  return hostMethods.has(name);
}
