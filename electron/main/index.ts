import { app, BrowserWindow, Menu, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceHost, type ServiceHost } from '../services/index';
import type { RendererSource } from './appUrl';
import { createHostDialogs } from './dialogs';
import { confineToDialogs, GrantedPaths } from './grantedPaths';
import { SafeStorageSecretStore } from './safeStorageSecrets';
import { forwardServiceEvents, registerInvokeHandler, sendMenuCommand } from './ipc';
import { buildMenuTemplate } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { hardenAllWebContents, hardenSession } from './security';
import { createMainWindow } from './window';
import { log, openLog } from '../services/log';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const preloadPath = join(outDir, 'preload', 'index.cjs');
const rendererDir = join(outDir, 'renderer');

function resolveRendererSource(): RendererSource {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && devUrl ? { kind: 'devServer', url: devUrl } : { kind: 'bundle', dir: rendererDir };
}

let mainWindow: BrowserWindow | null = null;
let host: ServiceHost | null = null;
let closed = false;
let closing = false;

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function installMenu(): void {
  const template = buildMenuTemplate({
    appName: app.getName(),
    platform: process.platform,
    isPackaged: app.isPackaged,
    sendCommand: (command) => sendMenuCommand(BrowserWindow.getFocusedWindow() ?? mainWindow, command),
    showAbout: () => app.showAboutPanel(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function openMainWindow(source: RendererSource): Promise<void> {
  mainWindow = await createMainWindow({ preloadPath, source, stateFile: join(app.getPath('userData'), 'window-state.json') });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

async function start(): Promise<void> {
  const source = resolveRendererSource();
  hardenAllWebContents(source);
  await app.whenReady();
  hardenSession(session.defaultSession);
  if (source.kind === 'bundle') serveRenderer(source.dir);
  app.setAboutPanelOptions({ applicationName: 'Callsift', applicationVersion: app.getVersion() });
  installMenu();

  const dataDir = app.getPath('userData');
  openLog(dataDir);
  const services = await createServiceHost({
    dataDir,
    mode: 'desktop',
    workerPath: join(outDir, 'main', 'trainWorker.js'),
    discoveryWorkerPath: join(outDir, 'main', 'discoveryWorker.js'),
    replayWorkerPath: join(outDir, 'main', 'replayWorker.js'),
    secrets: new SafeStorageSecretStore(dataDir),
  });
  host = services;
  const getWindow = (): BrowserWindow | null => mainWindow;
  // Path arguments name only what the user chose in a native dialog, or something inside the workspace or data folder.
  const grants = new GrantedPaths();
  const roots = async () => [
    { name: 'the workspace', path: (await services.services.workspace.getInfo({})).folder },
    { name: 'the data folder', path: dataDir },
  ];
  registerInvokeHandler({ services: services.services, dialogs: createHostDialogs(getWindow, grants), guard: confineToDialogs(grants, roots) }, source);
  forwardServiceEvents(services, getWindow);

  await openMainWindow(source);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openMainWindow(source);
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (closed || !host) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    void host
      .close()
      .then((problem) => {
        if (!problem) return;
        console.error(`Callsift closed, but not everything was saved: ${problem}`);
        log.error('app.close', problem);
      })
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  start().catch((err: unknown) => {
    console.error('Callsift failed to start:', err);
    log.error('app.start', err);
    app.exit(1);
  });
}
