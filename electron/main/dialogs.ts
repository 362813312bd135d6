import { dialog, type BrowserWindow, type FileFilter } from 'electron';
import type { HostService } from '../../shared/contract/host';
import { grantDialogResults, type GrantedPaths } from './grantedPaths';

/**
 * Native open/save dialogs, modal to the window `getWindow` returns when there is one. Every path they return is
 * recorded in `grants`, so path arguments may name it afterwards.
 */
export function createHostDialogs(getWindow: () => BrowserWindow | null, grants: GrantedPaths): HostService {
  return grantDialogResults(nativeDialogs(getWindow), grants);
}

function nativeDialogs(getWindow: () => BrowserWindow | null): HostService {
  return {
    async showOpenDialog(arg) {
      const options = {
        ...(arg.title !== undefined ? { title: arg.title } : {}),
        filters: arg.filters.map((f): FileFilter => ({ name: f.name, extensions: [...f.extensions] })),
        properties: arg.kind === 'folder' ? ['openDirectory' as const, 'createDirectory' as const] : ['openFile' as const],
      };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    async showSaveDialog(arg) {
      const options = {
        ...(arg.title !== undefined ? { title: arg.title } : {}),
        ...(arg.defaultName !== undefined ? { defaultPath: arg.defaultName } : {}),
        filters: arg.filters.map((f): FileFilter => ({ name: f.name, extensions: [...f.extensions] })),
      };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
  };
}
