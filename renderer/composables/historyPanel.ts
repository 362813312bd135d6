const storageKey = 'callsift.historyCollapsed';

/** Whether the history sidebar was left collapsed (remembered on this computer); open the first time. */
export function readHistoryCollapsed(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): boolean {
  try {
    return storage?.getItem(storageKey) === '1';
  } catch {
    return false;
  }
}

/** Remembers whether the history sidebar is collapsed; a storage that refuses (private mode) only forgets it. */
export function writeHistoryCollapsed(collapsed: boolean, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(storageKey, collapsed ? '1' : '0');
  } catch {
    // Not remembered; the sidebar still works.
  }
}
