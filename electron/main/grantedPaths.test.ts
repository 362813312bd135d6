import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../shared/contract/errors';
import type { HostService } from '../../shared/contract/host';
import { confineToDialogs, grantDialogResults, GrantedPaths } from './grantedPaths';

let root: string;
let workspace: string;

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'callsift-grants-')));
  workspace = join(root, 'ws');
  await mkdir(join(root, 'elsewhere'), { recursive: true });
  await mkdir(workspace);
  await symlink(join(root, 'elsewhere'), join(workspace, 'out-link'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function answering(path: string | null): HostService {
  return { showOpenDialog: async () => ({ path }), showSaveDialog: async () => ({ path }) };
}

describe('GrantedPaths', () => {
  it('remembers a path per kind, normalized', () => {
    const grants = new GrantedPaths();
    grants.grant('/data/x/../labels.jsonl', 'fileToWrite');
    expect(grants.has('/data/labels.jsonl', 'fileToWrite')).toBe(true);
    expect(grants.has('/data/labels.jsonl', 'fileToRead')).toBe(false);
    expect(grants.has('/data/other.jsonl', 'fileToWrite')).toBe(false);
  });
});

describe('grantDialogResults', () => {
  it('grants what the open, folder and save dialogs return, for what they were opened for', async () => {
    const grants = new GrantedPaths();
    await grantDialogResults(answering('/in/calls.jsonl'), grants).showOpenDialog({ kind: 'file', filters: [] });
    await grantDialogResults(answering('/in/other-ws'), grants).showOpenDialog({ kind: 'folder', filters: [] });
    await grantDialogResults(answering('/out/labels.csv'), grants).showSaveDialog({ filters: [] });
    expect(grants.has('/in/calls.jsonl', 'fileToRead')).toBe(true);
    expect(grants.has('/in/other-ws', 'folder')).toBe(true);
    expect(grants.has('/out/labels.csv', 'fileToWrite')).toBe(true);
    expect(grants.has('/in/calls.jsonl', 'fileToWrite')).toBe(false);
  });

  it('grants nothing for a cancelled dialog', async () => {
    const grants = new GrantedPaths();
    await expect(grantDialogResults(answering(null), grants).showSaveDialog({ filters: [] })).resolves.toEqual({ path: null });
    expect(grants.has('/', 'fileToWrite')).toBe(false);
  });
});

describe('confineToDialogs', () => {
  const roots = async () => [{ name: 'the workspace', path: workspace }];

  it('accepts granted paths anywhere and paths inside the workspace', async () => {
    const grants = new GrantedPaths();
    grants.grant('/mnt/share/calls.jsonl', 'fileToRead');
    const guard = confineToDialogs(grants, roots);
    await expect(guard('transfer.importFile', { path: '/mnt/share/calls.jsonl' })).resolves.toEqual({ path: '/mnt/share/calls.jsonl' });
    await expect(guard('transfer.exportFile', { path: join(workspace, 'labels.jsonl'), format: 'csv' })).resolves.toEqual({ path: join(workspace, 'labels.jsonl'), format: 'csv' });
  });

  it('refuses a path the renderer named itself, outside the workspace or through a link out of it', async () => {
    const guard = confineToDialogs(new GrantedPaths(), roots);
    for (const folder of ['/etc', join(workspace, '..', 'elsewhere'), join(workspace, 'out-link')]) {
      const err = await guard('workspace.openWorkspace', { folder }).catch((e: unknown) => e);
      expect(err, folder).toBeInstanceOf(ContractError);
      expect((err as ContractError).code).toBe('forbidden');
      expect((err as ContractError).details).toEqual({ field: 'folder' });
      expect((err as ContractError).message).toMatch(/was not chosen in a dialog and is outside the open workspace and the data folder/);
      expect((err as ContractError).sentences?.[0]?.params?.reason).toEqual({ term: 'path_not_chosen' });
    }
  });
});
