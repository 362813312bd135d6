import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArgumentGuard } from '../../shared/contract/dispatch';
import type { HostService } from '../../shared/contract/host';
import type { Services } from '../../shared/contract/services';
import { confineToDialogs, grantDialogResults, GrantedPaths } from './grantedPaths';
import { handleInvoke } from './invoke';

const allowAll: ArgumentGuard = async (_method, arg) => arg;

interface Recorded {
  readonly calls: { readonly method: string; readonly arg: unknown }[];
}

function recordingDialogs(recorded: Recorded, path: string | null): HostService {
  return {
    showOpenDialog: async (arg) => {
      recorded.calls.push({ method: 'open', arg });
      return { path };
    },
    showSaveDialog: async (arg) => {
      recorded.calls.push({ method: 'save', arg });
      return { path };
    },
  };
}

/** Only the workspace service is reachable in these tests; other services are absent on purpose. */
function servicesWithSettings(recorded: Recorded): Services {
  const workspace = {
    getSettings: async (arg: unknown) => {
      recorded.calls.push({ method: 'workspace.getSettings', arg });
      return { annotator: 'ann', uiLanguage: 'en' };
    },
    getInfo: async () => {
      throw new Error('disk on fire');
    },
  };
  return { workspace } as unknown as Services;
}

describe('handleInvoke', () => {
  it('serves host dialogs with validated, defaulted arguments', async () => {
    const recorded: Recorded = { calls: [] };
    const targets = { services: servicesWithSettings(recorded), dialogs: recordingDialogs(recorded, '/tmp/a.jsonl'), guard: allowAll };
    await expect(handleInvoke(targets, 'host.showOpenDialog', { title: 'Import' })).resolves.toEqual({ ok: true, value: { path: '/tmp/a.jsonl' } });
    await expect(handleInvoke(targets, 'host.showOpenDialog', { kind: 'folder' })).resolves.toEqual({ ok: true, value: { path: '/tmp/a.jsonl' } });
    await expect(handleInvoke(targets, 'host.showSaveDialog', undefined)).resolves.toEqual({ ok: true, value: { path: '/tmp/a.jsonl' } });
    expect(recorded.calls).toEqual([
      { method: 'open', arg: { title: 'Import', kind: 'file', filters: [] } },
      { method: 'open', arg: { kind: 'folder', filters: [] } },
      { method: 'save', arg: { filters: [] } },
    ]);
  });

  it('rejects bad host arguments without opening a dialog', async () => {
    const recorded: Recorded = { calls: [] };
    const targets = { services: servicesWithSettings(recorded), dialogs: recordingDialogs(recorded, null), guard: allowAll };
    const result = await handleInvoke(targets, 'host.showOpenDialog', { title: 'x', properties: ['openDirectory'] });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('invalid_argument');
    expect(recorded.calls).toEqual([]);
  });

  it('turns a failing dialog into an error envelope', async () => {
    const recorded: Recorded = { calls: [] };
    const dialogs: HostService = {
      showOpenDialog: () => Promise.reject(new Error('no display')),
      showSaveDialog: () => Promise.reject(new Error('no display')),
    };
    const result = await handleInvoke({ services: servicesWithSettings(recorded), dialogs, guard: allowAll }, 'host.showSaveDialog', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error: no display', sentences: [{ key: 'unexpected', params: { detail: 'Error' } }] } });
  });

  it('dispatches contract methods and never throws', async () => {
    const recorded: Recorded = { calls: [] };
    const targets = { services: servicesWithSettings(recorded), dialogs: recordingDialogs(recorded, null), guard: allowAll };
    await expect(handleInvoke(targets, 'workspace.getSettings', undefined)).resolves.toEqual({ ok: true, value: { annotator: 'ann', uiLanguage: 'en' } });
    const failed = await handleInvoke(targets, 'workspace.getInfo', {});
    expect(failed).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error: disk on fire', sentences: [{ key: 'unexpected', params: { detail: 'Error' } }] } });
    const unknown = await handleInvoke(targets, 'fs.readFile', { path: '/etc/passwd' });
    expect(!unknown.ok && unknown.error.code).toBe('unknown_method');
    const notString = await handleInvoke(targets, 42, {});
    expect(!notString.ok && notString.error.code).toBe('unknown_method');
    expect(recorded.calls).toEqual([{ method: 'workspace.getSettings', arg: {} }]);
  });
});

describe('handleInvoke with the dialog guard', () => {
  let root: string;
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'callsift-invoke-')));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** A transfer service that records the paths it was asked to use. */
  function transferRecorder(seen: string[]): Services {
    const transfer = {
      exportFile: async (arg: { path: string; format: string }) => {
        seen.push(arg.path);
        return { path: arg.path, format: arg.format, rows: 0 };
      },
      importFile: async (arg: { path: string }) => {
        seen.push(arg.path);
        return { rows: 0 };
      },
    };
    return { transfer } as unknown as Services;
  }

  it('runs a path the save dialog returned, and refuses one the renderer made up, before the service runs', async () => {
    const seen: string[] = [];
    const grants = new GrantedPaths();
    const chosen = '/home/someone/Desktop/labels.jsonl';
    const dialogs = grantDialogResults({ showOpenDialog: async () => ({ path: null }), showSaveDialog: async () => ({ path: chosen }) }, grants);
    const targets = { services: transferRecorder(seen), dialogs, guard: confineToDialogs(grants, async () => [{ name: 'the workspace', path: join(root, 'ws') }]) };

    const madeUp = await handleInvoke(targets, 'transfer.exportFile', { path: '/root/.bashrc', format: 'jsonl' });
    expect(!madeUp.ok && madeUp.error.code).toBe('forbidden');
    expect(!madeUp.ok && madeUp.error.details).toEqual({ field: 'path' });
    expect(!madeUp.ok && madeUp.error.message).toMatch(/was not chosen in a dialog/);
    expect(seen).toEqual([]);

    await expect(handleInvoke(targets, 'host.showSaveDialog', {})).resolves.toEqual({ ok: true, value: { path: chosen } });
    const exported = await handleInvoke(targets, 'transfer.exportFile', { path: chosen, format: 'jsonl' });
    expect(exported.ok).toBe(true);
    // Granted for writing, not for reading.
    const read = await handleInvoke(targets, 'transfer.importFile', { path: chosen });
    expect(!read.ok && read.error.code).toBe('forbidden');
    expect(seen).toEqual([chosen]);
  });
});
