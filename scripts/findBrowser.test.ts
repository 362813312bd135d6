import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissingMessage, findBrowser } from './findBrowser';

let dir: string;
async function fakeBrowser(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-browser-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('findBrowser', () => {
  it('takes CALLSIFT_BROWSER when it can be run, and says so when it cannot', async () => {
    const exe = await fakeBrowser(join(dir, 'explicit', 'my-chrome'));
    expect(findBrowser({ CALLSIFT_BROWSER: exe, PATH: '' }, 'linux')).toBe(exe);
    expect(findBrowser({ CALLSIFT_BROWSER: join(dir, 'nope'), PATH: '' }, 'linux')).toBeNull();
    expect(browserMissingMessage({ CALLSIFT_BROWSER: join(dir, 'nope') })).toContain('CALLSIFT_BROWSER');
  });

  it('finds Chrome on the PATH on Linux, and Chrome under ~/Applications on macOS', async () => {
    const onPath = await fakeBrowser(join(dir, 'bin', 'google-chrome'));
    expect(findBrowser({ PATH: join(dir, 'bin') }, 'linux')).toBe(onPath);
    const home = join(dir, 'home');
    const mac = await fakeBrowser(join(home, 'Applications', 'Google Chrome.app', 'Contents', 'MacOS', 'Google Chrome'));
    expect(findBrowser({ HOME: home, PATH: '' }, 'darwin')).toBe(mac);
  });

  it('answers null on macOS with no browser, and the message tells how to get one', () => {
    expect(findBrowser({ HOME: join(dir, 'empty-home'), PATH: '' }, 'darwin')).toBeNull();
    expect(browserMissingMessage({})).toMatch(/apt-get install chromium.*CALLSIFT_BROWSER/);
  });
});

describe.skipIf(process.platform === 'win32')('the check npm run test:e2e runs first', () => {
  const root = resolve(import.meta.dirname, '..');
  const run = (browser: string) =>
    spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/checkBrowser.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, CALLSIFT_BROWSER: browser } });

  it('stops with exactly one line saying how to get a browser, and exit code 1, when there is none', () => {
    const result = run(join(dir, 'no-such-browser'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([`Browser tests not run: The browser named by CALLSIFT_BROWSER (${join(dir, 'no-such-browser')}) does not exist or cannot be run.`]);
  });

  it('says nothing and lets the flows run when there is one', async () => {
    const result = run(await fakeBrowser(join(dir, 'check', 'chromium')));
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });
});
