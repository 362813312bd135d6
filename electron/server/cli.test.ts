import { execFileSync, spawn } from 'node:child_process';
import { readdir, readFile, rm, mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from '../services/store/testCalls';
import { makePolicyFolders, startServerProcess, type RunningServer } from './testServer';

let root: string;
let dataDir: string;
let workspace: string;
let allowed: string;
let outside: string;
let server: RunningServer;

beforeAll(async () => {
  ({ root, ws: workspace, allowed, outside } = await makePolicyFolders('callsift-cli-'));
  dataDir = join(root, 'data');
  await mkdir(allowed);
  await mkdir(outside);
  await createTestWorkspace(workspace, makeTestIntents(['confirm']), makeTestCalls(3));
  server = await startServerProcess(['--workspace', workspace, '--data-dir', dataDir, '--allow', allowed]);
});
afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

/** Every file below `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describe('npm run serve (electron/server/cli.ts)', () => {
  it('prints its URL with a fresh 32-byte base64url secret on one line, in the exact form tools parse', () => {
    const lines = server.output().split('\n').filter((l) => l.startsWith('Callsift is serving'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Callsift is serving http:\/\/127\.0\.0\.1:\d+\/\?secret=[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(server.secret, 'base64url')).toHaveLength(32);
    expect(server.output()).toContain(`--allow ${allowed}`);
  });

  it('keeps the secret out of its command line, environment and every file it wrote', async () => {
    const cmdline = await readFile(`/proc/${server.child.pid}/cmdline`, 'utf8').catch(() => '');
    expect(cmdline).not.toContain(server.secret);
    for (const file of [...(await filesUnder(dataDir)), ...(await filesUnder(workspace))]) {
      expect(await readFile(file, 'latin1'), file).not.toContain(server.secret);
    }
    const settings = await stat(join(dataDir, 'settings.json')).catch(() => null);
    if (settings) expect(settings.isFile()).toBe(true);
  });

  it('confines paths to the workspace, the data folder and --allow folders', async () => {
    const inside = await server.call<{ path: string }>('transfer.exportFile', { path: join(allowed, 'labels.jsonl'), format: 'jsonl' });
    expect(inside.ok).toBe(true);
    const refused = await server.call('transfer.exportFile', { path: join(outside, 'labels.jsonl'), format: 'jsonl' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('forbidden');
    expect(!refused.ok && refused.error.message).toMatch(/--allow DIR/);
  });

  it('refuses to start with an --allow folder that does not exist', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/server/cli.ts', '--port', '0', '--data-dir', dataDir, '--allow', join(root, 'missing')], {
      cwd: resolve(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((ok) => child.once('exit', ok));
    expect(code).toBe(1);
    expect(out).toContain(`--allow ${join(root, 'missing')}: not an existing folder.`);
    expect(out).not.toContain('Callsift is serving');
  });

  it('answers 401 to another local user who can reach the port but not the secret', async (ctx) => {
    if (process.getuid?.() !== 0) {
      console.log('Skipped "another local user": it needs root to run a child process as user nobody.');
      ctx.skip();
      return;
    }
    const uid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
    // What another user can try: call the API with no or a guessed secret, and look where a secret could be left.
    const script = `
      const fs = require('node:fs');
      const { URL: base, PID: pid, DATA: data } = process.env;
      const json = { 'content-type': 'application/json' };
      const tryRead = (f) => { try { fs.readFileSync(f); return 'readable'; } catch (e) { return e.code; } };
      (async () => {
        const out = {
          uid: process.getuid(),
          noSecret: (await fetch(base + '/rpc/transfer.exportContent', { method: 'POST', headers: json, body: '{"format":"jsonl"}' })).status,
          guessed: (await fetch(base + '/rpc/workspace.getInfo', { method: 'POST', headers: { ...json, authorization: 'Bearer ' + 'A'.repeat(43) }, body: '{}' })).status,
          events: (await fetch(base + '/events')).status,
          cmdline: fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8'),
          environ: tryRead('/proc/' + pid + '/environ'),
          settings: tryRead(data + '/settings.json'),
        };
        console.log(JSON.stringify(out));
      })().catch((e) => { console.error(e); process.exit(2); });`;
    const child = spawn(process.execPath, ['-e', script], {
      uid,
      gid,
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', URL: server.url, PID: String(server.child.pid), DATA: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((ok) => child.once('exit', ok));
    expect(code, stderr).toBe(0);
    const seen = JSON.parse(stdout) as Record<string, string | number>;
    expect(seen.uid).toBe(uid);
    expect(seen).toMatchObject({ noSecret: 401, guessed: 401, events: 401, environ: 'EACCES', settings: 'EACCES' });
    expect(seen.cmdline).toContain('electron/server/cli.ts');
    expect(seen.cmdline).not.toContain(server.secret);
  });
});
