import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Envelope } from '../../shared/contract/errors';
import type { PreloadBridge } from '../../shared/contract/host';
import { ipcChannels, isContractMethodName, isHostMethodName } from '../../shared/contract/names';
import { menuCommandEvent } from '../../shared/contract/menu';
import { eventNames } from '../../shared/contract/services';

const knownEvents: ReadonlySet<string> = new Set<string>([...eventNames, menuCommandEvent]);

function failure(code: 'unknown_method' | 'internal', message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

async function invoke(method: string, arg: unknown): Promise<unknown> {
  if (typeof method !== 'string' || !(isContractMethodName(method) || isHostMethodName(method))) {
    return failure('unknown_method', `Unknown method "${String(method).slice(0, 100)}".`);
  }
  try {
    return (await ipcRenderer.invoke(ipcChannels.invoke, method, arg)) as unknown;
  } catch (err) {
    return failure('internal', `The call to ${method} did not reach the app: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function on(event: string, listener: (payload: unknown) => void): () => void {
  if (typeof event !== 'string' || !knownEvents.has(event) || typeof listener !== 'function') return () => undefined;
  const relay = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(ipcChannels.event, relay);
  return () => {
    ipcRenderer.removeListener(ipcChannels.event, relay);
  };
}

const bridge: PreloadBridge = { invoke, on };

contextBridge.exposeInMainWorld('callsift', bridge);
