import { BrowserWindow, screen } from 'electron';
import { appEntryUrl, type RendererSource } from './appUrl';
import { fitToDisplays, loadWindowState, saveWindowState, type WindowState } from './windowState';
import { log } from '../services/log';

/** Where the main window finds its preload script and renderer, and where it keeps its bounds. */
export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly source: RendererSource;
  readonly stateFile: string;
}

function currentState(window: BrowserWindow): WindowState {
  const bounds = window.getNormalBounds();
  return { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, maximized: window.isMaximized() };
}

/**
 * Opens the sandboxed main window at its saved position (kept only if it is still on a display),
 * shows it once the first paint is ready, and saves its bounds when it closes.
 */
export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const saved = await loadWindowState(options.stateFile);
  const state = fitToDisplays(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Callsift',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    try {
      saveWindowState(options.stateFile, currentState(window));
    } catch (err) {
      console.error('Could not save the window position:', err);
      log.warn('window.saveState', err);
    }
  });
  await (options.source.kind === 'devServer' ? window.loadURL(options.source.url) : window.loadURL(appEntryUrl));
  return window;
}
