import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { errorData, type Envelope } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import { ipcChannels } from '../../shared/contract/host';
import { menuCommandEvent, type MenuCommand } from '../../shared/contract/menu';
import { eventNames } from '../../shared/contract/services';
import type { ServiceHost } from '../services/index';
import { isAppUrl, type RendererSource } from './appUrl';
import { handleInvoke, type InvokeTargets } from './invoke';

function isTrustedSender(event: IpcMainInvokeEvent, source: RendererSource): boolean {
  const frame = event.senderFrame;
  return frame !== null && isAppUrl(frame.url, source);
}

/**
 * Answers `callsift:invoke` calls, but only from frames of our own renderer. Every answer is an envelope;
 * nothing is thrown across IPC. Returns the function that removes the handler.
 */
export function registerInvokeHandler(targets: InvokeTargets, source: RendererSource): () => void {
  ipcMain.handle(ipcChannels.invoke, async (event, method: unknown, arg: unknown): Promise<Envelope<unknown>> => {
    if (!isTrustedSender(event, source)) {
      return { ok: false, error: errorData('forbidden', sentence('foreign_page')) };
    }
    return handleInvoke(targets, method, arg);
  });
  return () => ipcMain.removeHandler(ipcChannels.invoke);
}

/** Forwards every service event to `window`'s renderer. Returns the function that stops forwarding. */
export function forwardServiceEvents(host: ServiceHost, getWindow: () => BrowserWindow | null): () => void {
  const stops = eventNames.map((name) =>
    host.on(name, (payload) => {
      const window = getWindow();
      if (window && !window.isDestroyed()) window.webContents.send(ipcChannels.event, name, payload);
    }),
  );
  return () => stops.forEach((stop) => stop());
}

/** Sends a native-menu command to `window`'s renderer as an `onDidMenuCommand` event. */
export function sendMenuCommand(window: BrowserWindow | null, command: MenuCommand): void {
  if (window && !window.isDestroyed()) window.webContents.send(ipcChannels.event, menuCommandEvent, command);
}
