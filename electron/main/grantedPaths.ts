import { resolve } from 'node:path';
import type { ArgumentGuard } from '../../shared/contract/dispatch';
import type { HostService } from '../../shared/contract/host';
import type { PathKind } from '../../shared/contract/schemas';
import { confineToRoots, guardPathFields, type AllowedRoot } from '../server/pathPolicy';

/**
 * Paths the user chose in a native dialog, each with what it was chosen for. Besides paths inside the open workspace
 * and the data folder, these are the only ones the renderer may name in a path argument: a compromised renderer
 * cannot make up its own.
 */
export class GrantedPaths {
  private readonly granted = new Map<string, Set<PathKind>>();

  /** Records that a dialog returned `path` for `kind`. */
  grant(path: string, kind: PathKind): void {
    const key = resolve(path);
    const kinds = this.granted.get(key) ?? new Set<PathKind>();
    kinds.add(kind);
    this.granted.set(key, kinds);
  }

  /** True when a dialog returned `path` for `kind`. */
  has(path: string, kind: PathKind): boolean {
    return this.granted.get(resolve(path))?.has(kind) ?? false;
  }
}

/**
 * Wraps native dialogs so that every path they return is granted: an open-file dialog's for reading, a folder
 * dialog's as a folder, a save dialog's for writing.
 */
export function grantDialogResults(dialogs: HostService, grants: GrantedPaths): HostService {
  return {
    async showOpenDialog(arg) {
      const result = await dialogs.showOpenDialog(arg);
      if (result.path !== null) grants.grant(result.path, arg.kind === 'folder' ? 'folder' : 'fileToRead');
      return result;
    },
    async showSaveDialog(arg) {
      const result = await dialogs.showSaveDialog(arg);
      if (result.path !== null) grants.grant(result.path, 'fileToWrite');
      return result;
    },
  };
}

/**
 * The desktop's argument guard: a path field (shared/contract `pathFields`) must be a path a dialog granted for its
 * kind, or lie inside `roots()` (the open workspace and the data folder); anything else is refused as `forbidden`.
 */
export function confineToDialogs(grants: GrantedPaths, roots: () => Promise<readonly AllowedRoot[]>): ArgumentGuard {
  return guardPathFields(async (path, kind) => {
    if (grants.has(path, kind)) return { ok: true, path: resolve(path) };
    const checked = await confineToRoots(path, kind, await roots());
    return checked.ok || !checked.reason.term.startsWith('path_outside') ? checked : { ok: false, reason: { term: 'path_not_chosen' } };
  }, 'hint_dialog');
}
