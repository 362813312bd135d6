import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
