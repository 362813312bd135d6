import { z } from 'zod';
import type { hostMethodNameList } from './names';
export { ipcChannels, isHostMethodName } from './names';

/**
 * Methods only the desktop host can serve (native dialogs). The Electron main process implements them;
 * the HTTP bridge answers `unknown_method`, and the browser UI uses file inputs and downloads instead.
 */
const filters = z
  .array(z.object({ name: z.string().max(100), extensions: z.array(z.string().max(20)).max(20) }).strict())
  .max(20)
  .default([]);

export const hostSchemas = {
  'host.showOpenDialog': z.object({ title: z.string().max(200).optional(), kind: z.enum(['file', 'folder']).default('file'), filters }).strict(),
  'host.showSaveDialog': z.object({ title: z.string().max(200).optional(), defaultName: z.string().max(255).optional(), filters }).strict(),
} as const;

export type HostMethodName = keyof typeof hostSchemas;
export type HostMethodInput<M extends HostMethodName> = z.input<(typeof hostSchemas)[M]>;
export type HostMethodArgs<M extends HostMethodName> = z.output<(typeof hostSchemas)[M]>;

/**
 * Native dialogs of the desktop host. A cancelled dialog resolves to `{ path: null }`. The paths they return are the
 * only ones outside the workspace and the data folder that path arguments (`pathFields`) may name afterwards.
 */
export interface HostService {
  /** Native open dialog: a file to read, or (`kind: 'folder'`) a folder to open or read. */
  showOpenDialog(arg: HostMethodArgs<'host.showOpenDialog'>): Promise<{ readonly path: string | null }>;
  /** Native save-file dialog. */
  showSaveDialog(arg: HostMethodArgs<'host.showSaveDialog'>): Promise<{ readonly path: string | null }>;
}

/** Compile-time proof that names.ts lists exactly the host methods that have schemas. */
export const hostMethodNameListIsComplete: [HostMethodName] extends [(typeof hostMethodNameList)[number]]
  ? [(typeof hostMethodNameList)[number]] extends [HostMethodName]
    ? true
    : false
  : false = true;

/** The bridge the preload script exposes as `window.callsift`: nothing but these two functions. */
export interface PreloadBridge {
  /** Calls a contract or host method; always resolves to an envelope, never rejects. */
  invoke(method: string, arg: unknown): Promise<unknown>;
  /** Subscribes to a service event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

