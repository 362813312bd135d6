import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Client } from '../shared/contract/services';
import { createClient } from '../renderer/api/client';
import { createHttpTransport } from '../renderer/api/transport';
import { browserMissingMessage, findBrowser } from '../scripts/findBrowser';
import { afterAll, beforeAll, expect, vi } from 'vitest';

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
  /** `http://127.0.0.1:PORT`, no trailing slash; the page already holds its session cookie. */
  readonly url: string;
  /** The secret the server printed (`api` sends it as a Bearer token). */
  readonly secret: string;
  /** The printed link, `http://127.0.0.1:PORT/?secret=SECRET`: opening it gives a browser context its session. */
  readonly loginUrl: string;
  readonly dataDir: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Saves a full-window screenshot as e2e/screenshots/<name>.png and returns its path. */
  shot(name: string): Promise<string>;
  /**
   * The renderer's typed client over the HTTP bridge, with the secret: `h.api.label.setLabel({...})`. A wrong method
   * name or argument is a type error; an error envelope throws a ClientError.
   */
  readonly api: Client;
  /** Stops the browser and the server and removes the data dir. */
  close(): Promise<void>;
}

/**
 * Waits for a child server to print `<banner> http://…` and returns the URL as printed, without a trailing slash
 * (Callsift's carries its secret: `http://127.0.0.1:PORT/?secret=SECRET`).
 */
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
  /** Leaves the annotator unnamed, so the app asks for it as on a first run. */
  readonly firstRun?: boolean;
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
    const loginUrl = await waitForUrl(server, 120_000);
    const { origin: url, searchParams } = new URL(loginUrl);
    const secret = searchParams.get('secret');
    if (!secret) throw new Error(`The server printed no secret: ${loginUrl}`);
    const api = createApiClient(url, secret);
    // A fresh data dir is a first run: name the annotator, as a user would at the first-run prompt. Without a name
    // every flow would sit behind the first-run prompt: a failure throws here, loudly.
    if (options.firstRun !== true) await api.workspace.updateSettings({ annotator: 'e2e' });
    const executablePath = findBrowser();
    if (!executablePath) throw new Error(browserMissingMessage());
    browser = await chromium.launch({ executablePath, args: chromiumArgs });
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    // As a user does: open the printed link; the server sets the session cookie and redirects the secret away.
    await page.goto(loginUrl);
    if (page.url() !== `${url}/`) throw new Error(`Opening the printed link landed on ${page.url()}, not ${url}/`);
    const openBrowser = browser;
    return {
      url,
      secret,
      loginUrl,
      dataDir,
      browser: openBrowser,
      page,
      async shot(name) {
        const path = join(screenshotDir, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      api,
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

/** The laptop screen annotators work at (1366×768). */
export const LAPTOP = { width: 1366, height: 768 } as const;

/**
 * One harness for a whole test file: started before its tests (the page resized to `viewport` when one is given), handed
 * to `started`, and closed after them.
 */
export function useHarness(started: (h: Harness) => unknown, options: HarnessOptions & { readonly viewport?: { readonly width: number; readonly height: number } } = {}): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(options);
    if (options.viewport) await h.page.setViewportSize(options.viewport);
    await started(h);
  });
  afterAll(async () => {
    await h?.close();
  });
}

/**
 * One harness for a whole test file on a workspace the file builds: `build` makes `<temp folder>/ws` (the folder does
 * not exist yet), the harness opens it and is handed to `started`; after the tests both are gone.
 */
export function useHarnessOnWorkspace(prefix: string, build: (workspace: string) => unknown, started: (h: Harness) => unknown): void {
  let parent = '';
  let h: Harness | undefined;
  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), prefix));
    const workspace = join(parent, 'ws');
    await build(workspace);
    h = await startHarness({ workspace });
    await started(h);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });
}

/** The renderer's client (renderer/api) over an HTTP transport that sends the secret as a Bearer token. */
export function createApiClient(url: string, secret: string): Client {
  const fetchWithSecret: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${secret}`);
    return fetch(input, { ...init, headers });
  };
  return createClient(createHttpTransport({ baseUrl: url, fetchImpl: fetchWithSecret }));
}

/**
 * Waits until the page has settled: every CSS animation and transition finished, and a frame rendered since (Vue
 * renders in a microtask, so whatever the last input changed is on screen). Use it instead of a fixed sleep.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.evaluate(() => new Promise<void>((resolveFrame) => requestAnimationFrame(() => requestAnimationFrame(() => resolveFrame()))));
}

/**
 * Waits until no training runs and none is due (automatic retrains are due from the labels that call for them), so a
 * view reads the model that will back labels; fails after `timeoutMs`.
 */
export async function modelSettled(client: Client, timeoutMs: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const status = await client.model.getStatus({});
      expect({ job: status.job, retrainPending: status.retrainPending }).toEqual({ job: null, retrainPending: false });
    },
    { timeout: timeoutMs, interval: 250 },
  );
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
