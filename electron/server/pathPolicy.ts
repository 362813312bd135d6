import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { ArgumentGuard } from '../../shared/contract/dispatch';
import { ContractError } from '../../shared/contract/errors';
import { sentence, term, type ErrorTermRef } from '../../shared/contract/errorWords';
import { pathFieldsOf, type PathKind } from '../../shared/contract/schemas';

/** A folder path arguments may point into, with what it is for logs ("the workspace"). */
export interface AllowedRoot {
  readonly name: string;
  readonly path: string;
}

/** A path made canonical (absolute, `..` and symlinks resolved), or why it is refused (a term the UI translates). */
export type PathCheck = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: ErrorTermRef };

/** Checks one path argument of the given kind; the guards below call it for each path field. */
export type PathCheckFn = (path: string, kind: PathKind) => Promise<PathCheck>;

function refuse(reason: ErrorTermRef): PathCheck {
  return { ok: false, reason };
}

/**
 * Resolves `path` (relative to `cwd`) to its canonical absolute form: `..` removed and every symlink resolved with
 * realpath. A path that does not exist yet (a new export file, a workspace folder to create) resolves through its
 * nearest existing ancestor. Refuses a symlink that points to nothing (a write would follow it) and, for a file to
 * write, a last component that is a symlink (exports never write through a link).
 */
export async function canonicalPath(path: string, kind: PathKind, cwd: string = process.cwd()): Promise<PathCheck> {
  if (path.includes('\0')) return refuse(term('path_nul'));
  const absolute = resolve(cwd, path);
  if (kind === 'fileToWrite') {
    const info = await lstat(absolute).catch(() => null);
    if (info?.isSymbolicLink()) return refuse(term('path_symlink_write'));
  }
  return canonicalize(absolute);
}

async function canonicalize(absolute: string): Promise<PathCheck> {
  try {
    return { ok: true, path: await realpath(absolute) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return refuse(term('path_unresolvable', { detail: code ?? String(err) }));
  }
  // It does not resolve: either it does not exist (check its parent), or it is a link to nothing.
  if (await lstat(absolute).then(() => true, () => false)) return refuse(term('path_dangling', { path: absolute }));
  const parent = dirname(absolute);
  if (parent === absolute) return { ok: true, path: absolute };
  const up = await canonicalize(parent);
  return up.ok ? { ok: true, path: join(up.path, basename(absolute)) } : up;
}

/** True when the canonical `path` is `root` or inside it (both absolute and canonical). */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Makes `path` canonical and accepts it only inside one of `roots` (each made canonical too; a root that does not
 * exist is skipped). `..`, absolute paths elsewhere and symlinks that lead out are all refused.
 */
export async function confineToRoots(path: string, kind: PathKind, roots: readonly AllowedRoot[], cwd: string = process.cwd()): Promise<PathCheck> {
  const checked = await canonicalPath(path, kind, cwd);
  if (!checked.ok) return checked;
  const canonicalRoots = await Promise.all(roots.map(async (root) => ({ ...root, real: await realpath(resolve(cwd, root.path)).catch(() => null) })));
  if (canonicalRoots.some((root) => root.real !== null && isInside(root.real, checked.path))) return checked;
  const where = roots.map((root) => root.path).join(', ');
  const folders = where || '—';
  return refuse(checked.path === resolve(cwd, path) ? term('path_outside', { folders }) : term('path_outside_resolved', { folders, resolved: checked.path }));
}

const kindTerms: Record<PathKind, ErrorTermRef> = { fileToRead: term('path_file'), fileToWrite: term('path_file'), folder: term('path_folder') };

/** How to use a path the guard refused: restart the server with --allow, or pick it in a dialog. */
export type PathHint = 'hint_allow' | 'hint_dialog' | 'hint_none';

/**
 * The argument guard of a bridge: runs `check` on every path field the contract declares (shared/contract
 * `pathFields`) and passes the canonical path on to the service, or refuses the call with a `forbidden` error that
 * names the field in words. `hint` is added to the refusal (how to allow another folder).
 */
export function guardPathFields(check: PathCheckFn, hint: PathHint = 'hint_none'): ArgumentGuard {
  return async (method, arg) => {
    const fields = pathFieldsOf(method);
    if (fields.length === 0) return arg;
    const out: Record<string, unknown> = { ...(arg as Record<string, unknown>) };
    for (const [field, kind] of fields) {
      const value = out[field];
      if (typeof value !== 'string') continue;
      const checked = await check(value, kind);
      if (!checked.ok) {
        const shown = value.length > 300 ? `${value.slice(0, 300)}…` : value;
        throw new ContractError('forbidden', sentence('path_refused', { kind: kindTerms[kind], path: shown, field, reason: checked.reason, hint: term(hint) }), { field });
      }
      out[field] = checked.path;
    }
    return out as typeof arg;
  };
}
