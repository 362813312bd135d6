import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../shared/contract/errors';
import { canonicalPath, confineToRoots, guardPathFields, isInside, type AllowedRoot } from './pathPolicy';

let root: string;
let inside: string;
let outside: string;
let roots: AllowedRoot[];

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'callsift-paths-')));
  inside = join(root, 'ws');
  outside = join(root, 'elsewhere');
  await mkdir(join(inside, 'sub'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(inside, 'calls.jsonl'), '{}\n');
  await writeFile(join(outside, 'secret.txt'), 'secret\n');
  await symlink(outside, join(inside, 'out-link'));
  await symlink(join(outside, 'secret.txt'), join(inside, 'file-link.jsonl'));
  await symlink(join(inside, 'calls.jsonl'), join(inside, 'inner-link.jsonl'));
  await symlink(join(root, 'nowhere'), join(inside, 'dangling'));
  roots = [{ name: 'the workspace', path: inside }];
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('isInside', () => {
  it('accepts the root and paths below it, not a sibling that shares its prefix', () => {
    expect(isInside('/a/ws', '/a/ws')).toBe(true);
    expect(isInside('/a/ws', '/a/ws/x/y')).toBe(true);
    expect(isInside('/a/ws', '/a/ws-evil/x')).toBe(false);
    expect(isInside('/a/ws', '/a')).toBe(false);
    expect(isInside('/', '/etc')).toBe(true);
  });
});

describe('canonicalPath', () => {
  it('removes .. and resolves relative paths against the given folder', async () => {
    await expect(canonicalPath('sub/../calls.jsonl', 'fileToRead', inside)).resolves.toEqual({ ok: true, path: join(inside, 'calls.jsonl') });
  });

  it('resolves symlinks, also in the folders of a file that does not exist yet', async () => {
    await expect(canonicalPath(join(inside, 'out-link', 'new.jsonl'), 'fileToWrite')).resolves.toEqual({ ok: true, path: join(outside, 'new.jsonl') });
    await expect(canonicalPath(join(inside, 'new', 'deeper'), 'folder')).resolves.toEqual({ ok: true, path: join(inside, 'new', 'deeper') });
  });

  it('refuses a symlink that points to nothing, and writing through a final symlink', async () => {
    const dangling = await canonicalPath(join(inside, 'dangling', 'x.jsonl'), 'fileToWrite');
    expect(dangling).toMatchObject({ ok: false, reason: { term: 'path_dangling', params: { path: join(inside, 'dangling') } } });
    const link = await canonicalPath(join(inside, 'inner-link.jsonl'), 'fileToWrite');
    expect(link).toMatchObject({ ok: false, reason: { term: 'path_symlink_write' } });
    // Reading through a link is fine as long as it stays inside (checked by confineToRoots).
    await expect(canonicalPath(join(inside, 'inner-link.jsonl'), 'fileToRead')).resolves.toEqual({ ok: true, path: join(inside, 'calls.jsonl') });
  });

  it('refuses a NUL character', async () => {
    await expect(canonicalPath('a\0b', 'fileToRead')).resolves.toEqual({ ok: false, reason: { term: 'path_nul' } });
  });
});

describe('confineToRoots', () => {
  const check = (path: string, kind: 'fileToRead' | 'fileToWrite' | 'folder' = 'fileToRead') => confineToRoots(path, kind, roots, inside);

  it('accepts paths inside a root, relative or absolute, existing or new', async () => {
    await expect(check('calls.jsonl')).resolves.toEqual({ ok: true, path: join(inside, 'calls.jsonl') });
    await expect(check(join(inside, 'exports', 'labels.csv'), 'fileToWrite')).resolves.toEqual({ ok: true, path: join(inside, 'exports', 'labels.csv') });
    await expect(check(inside, 'folder')).resolves.toEqual({ ok: true, path: inside });
    await expect(check('inner-link.jsonl')).resolves.toEqual({ ok: true, path: join(inside, 'calls.jsonl') });
  });

  it('refuses .., absolute paths elsewhere and symlinks that lead out', async () => {
    for (const path of ['../elsewhere/secret.txt', join(outside, 'secret.txt'), '/etc/passwd', join(inside, 'out-link', 'secret.txt'), 'file-link.jsonl']) {
      const result = await check(path);
      expect(result, path).toMatchObject({ ok: false, reason: { term: expect.stringMatching(/^path_outside/) } });
    }
    await expect(check(join(inside, 'out-link', 'ws'), 'folder')).resolves.toMatchObject({ ok: false });
    await expect(check(join(inside, 'file-link.jsonl'), 'fileToWrite')).resolves.toMatchObject({ ok: false, reason: { term: 'path_symlink_write' } });
  });

  it('names the roots and where a link resolves to', async () => {
    const result = await check(join(inside, 'out-link', 'secret.txt'));
    const params = !result.ok ? result.reason.params : undefined;
    expect(params?.folders).toContain(inside);
    expect(!result.ok && result.reason.term).toBe('path_outside_resolved');
    expect(params?.resolved).toBe(join(outside, 'secret.txt'));
  });
});

describe('guardPathFields', () => {
  const guard = guardPathFields((path, kind) => confineToRoots(path, kind, roots, inside), 'hint_allow');

  it('passes the canonical path on to the service', async () => {
    await expect(guard('transfer.exportFile', { path: 'sub/../labels.csv', format: 'csv' })).resolves.toEqual({ path: join(inside, 'labels.csv'), format: 'csv' });
    await expect(guard('intent.addFromWorkspace', { folder: 'sub', ids: ['a'] })).resolves.toEqual({ folder: join(inside, 'sub'), ids: ['a'] });
  });

  it('leaves methods without path fields alone', async () => {
    const arg = { utteranceId: 'c1#1', target: null, source: 'manual' as const };
    await expect(guard('label.setLabel', arg)).resolves.toBe(arg);
  });

  it('refuses with a forbidden error that names the field in words', async () => {
    const err = await guard('transfer.importFile', { path: '../elsewhere/secret.txt' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    const ce = err as ContractError;
    expect(ce.code).toBe('forbidden');
    expect(ce.details).toEqual({ field: 'path' });
    expect(ce.message).toMatch(/^Refused: the file "\.\.\/elsewhere\/secret\.txt" \(field "path"\) is outside the folders .* restart the server with "npm run serve -- --allow DIR"\.$/);
    expect(ce.sentences).toEqual([
      { key: 'path_refused', params: { kind: { term: 'path_file' }, path: '../elsewhere/secret.txt', field: 'path', reason: { term: 'path_outside', params: expect.any(Object) }, hint: { term: 'hint_allow' } } },
    ]);
  });
});
