import { describe, expect, it } from 'vitest';
import type { HostService } from '../../shared/contract/host';
import type { Services } from '../../shared/contract/services';
import { handleInvoke } from './invoke';

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
    const targets = { services: servicesWithSettings(recorded), dialogs: recordingDialogs(recorded, '/tmp/a.jsonl') };
    await expect(handleInvoke(targets, 'host.showOpenDialog', { title: 'Import' })).resolves.toEqual({ ok: true, value: { path: '/tmp/a.jsonl' } });
    await expect(handleInvoke(targets, 'host.showSaveDialog', undefined)).resolves.toEqual({ ok: true, value: { path: '/tmp/a.jsonl' } });
    expect(recorded.calls).toEqual([
      { method: 'open', arg: { title: 'Import', filters: [] } },
      { method: 'save', arg: { filters: [] } },
    ]);
  });

  it('rejects bad host arguments without opening a dialog', async () => {
    const recorded: Recorded = { calls: [] };
    const targets = { services: servicesWithSettings(recorded), dialogs: recordingDialogs(recorded, null) };
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
    const result = await handleInvoke({ services: servicesWithSettings(recorded), dialogs }, 'host.showSaveDialog', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error: no display' } });
  });

  it('dispatches contract methods and never throws', async () => {
    const recorded: Recorded = { calls: [] };
    const targets = { services: servicesWithSettings(recorded), dialogs: recordingDialogs(recorded, null) };
    await expect(handleInvoke(targets, 'workspace.getSettings', undefined)).resolves.toEqual({ ok: true, value: { annotator: 'ann', uiLanguage: 'en' } });
    const failed = await handleInvoke(targets, 'workspace.getInfo', {});
    expect(failed).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error: disk on fire' } });
    const unknown = await handleInvoke(targets, 'fs.readFile', { path: '/etc/passwd' });
    expect(!unknown.ok && unknown.error.code).toBe('unknown_method');
    const notString = await handleInvoke(targets, 42, {});
    expect(!notString.ok && notString.error.code).toBe('unknown_method');
    expect(recorded.calls).toEqual([{ method: 'workspace.getSettings', arg: {} }]);
  });
});
