import { dialog, type BrowserWindow, type FileFilter } from 'electron';
import type { HostService } from '../../shared/contract/host';

/** Native open/save dialogs, modal to the window `getWindow` returns when there is one. */
export function createHostDialogs(getWindow: () => BrowserWindow | null): HostService {
  return {
    async showOpenDialog(arg) {
      const options = {
        ...(arg.title !== undefined ? { title: arg.title } : {}),
        filters: arg.filters.map((f): FileFilter => ({ name: f.name, extensions: [...f.extensions] })),
        properties: ['openFile' as const],
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
