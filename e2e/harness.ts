import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const staticDir = join(root, 'out', 'renderer');
export const screenshotDir = join(root, 'e2e', 'screenshots');

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A running Callsift server on a fresh data dir, with a Chromium page pointed at it. */
export interface Harness {
  readonly url: string;
  readonly dataDir: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Saves a full-window screenshot as e2e/screenshots/<name>.png and returns its path. */
  shot(name: string): Promise<string>;
  /** Calls a contract method through the HTTP bridge, as the UI does; throws on an error envelope. */
  rpc<T>(method: string, arg?: unknown): Promise<T>;
  /** Stops the browser and the server and removes the data dir. */
  close(): Promise<void>;
}

/** Waits for a child server to print `<banner> http://…` and returns the URL (no trailing slash). */
export function waitForUrl(child: ChildProcess, timeoutMs: number, banner = 'Callsift is serving'): Promise<string> {
  const pattern = new RegExp(`${banner} (http:\\/\\/\\S+)`);
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The server did not print its URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with code ${code}:\n${output}`));
    });
  });
}

/** Options of startHarness. */
export interface HarnessOptions {
  /** Opens this workspace folder (--workspace) instead of the demo workspace. */
  readonly workspace?: string;
}

/**
 * Starts the server CLI on port 0 with a fresh temp --data-dir (so the demo workspace opens, unless
 * `options.workspace` names another) and launches Chromium.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`No built UI in ${staticDir}: run "npx electron-vite build" first.`);
  mkdirSync(screenshotDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'callsift-e2e-'));
  const workspaceArgs = options.workspace ? ['--workspace', options.workspace] : [];
  const server = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['electron/server/cli.ts', '--port', '0', '--data-dir', dataDir, ...workspaceArgs, '--static', staticDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let browser: Browser | null = null;
  try {
    const url = await waitForUrl(server, 120_000);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    const openBrowser = browser;
    return {
      url,
      dataDir,
      browser: openBrowser,
      page,
      async shot(name) {
        const path = join(screenshotDir, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      async rpc<T>(method: string, arg: unknown = {}) {
        const response = await fetch(`${url}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(arg) });
        const envelope = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
        if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.message ?? 'failed'}`);
        return envelope.value as T;
      },
      async close() {
        await openBrowser.close().catch(() => undefined);
        await stopServer(server);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Stops a child server with SIGTERM, then SIGKILL after 5 s. */
export function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolvePromise();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
