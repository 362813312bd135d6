import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, MenuView } from '../../shared/contract/menu';

/** What the menu needs from the app: no Electron objects, so the template can be tested as data. */
export interface MenuOptions {
  readonly appName: string;
  readonly platform: NodeJS.Platform;
  /** Packaged builds hide reload and developer tools. */
  readonly isPackaged: boolean;
  /** Delivers a command to the focused window's renderer. */
  readonly sendCommand: (command: MenuCommand) => void;
  readonly showAbout: () => void;
}

/** Menu labels; the native menu is English (the renderer's own UI is localized). */
const viewItems: readonly { readonly view: MenuView; readonly label: string; readonly accelerator: string }[] = [
  { view: 'inbox', label: 'Inbox', accelerator: 'CmdOrCtrl+1' },
  { view: 'label', label: 'Label', accelerator: 'CmdOrCtrl+2' },
  { view: 'intents', label: 'Intents', accelerator: 'CmdOrCtrl+3' },
  { view: 'calls', label: 'Calls', accelerator: 'CmdOrCtrl+4' },
  { view: 'settings', label: 'Settings', accelerator: 'CmdOrCtrl+,' },
];

/**
 * Builds the application menu. Undo is a command, not the `undo` role, so Ctrl/Cmd+Z reaches the renderer,
 * which undoes text in a focused field or else the last label.
 */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { sendCommand } = options;
  const isMac = options.platform === 'darwin';

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { label: `About ${options.appName}`, click: () => options.showAbout() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { id: 'import', label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => sendCommand({ command: 'import' }) },
      { id: 'export', label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => sendCommand({ command: 'export' }) },
      { type: 'separator' },
      { id: 'openWorkspace', label: 'Open Workspace…', click: () => sendCommand({ command: 'openWorkspace' }) },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { id: 'undo', label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => sendCommand({ command: 'undo' }) },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const developerItems: MenuItemConstructorOptions[] = options.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];

  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...viewItems.map(
        (item): MenuItemConstructorOptions => ({
          id: `navigate:${item.view}`,
          label: item.label,
          accelerator: item.accelerator,
          click: () => sendCommand({ command: 'navigate', view: item.view }),
        }),
      ),
      { type: 'separator' },
      ...developerItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = { role: 'windowMenu' };

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ id: 'about', label: `About ${options.appName}`, click: () => options.showAbout() }],
  };

  return [...(isMac ? [appMenu] : []), fileMenu, editMenu, viewMenu, ...(isMac ? [windowMenu] : []), helpMenu];
}
