import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { browserMissingMessage, findBrowser } from '../scripts/findBrowser';

function fail(message: string): never {
  throw new Error(message);
}

declare global {
  interface Window {
    __nextItemLatencies: number[];
    __nextItemFrameStart: number[];
    __nextItemMessage: number[];
    __longTasks: number[];
    __keydownEvents: number[];
    __nextItemNextFrame: number[];
  }
}

const ROOT = resolve(import.meta.dirname, '..');

/**
 * In Chromium against the HTTP bridge: presses a labeling key `--labels` times and measures, inside the page, the time
 * from the keydown to the paint of the frame that first shows the next utterance. The animation-frame callback that
 * finds it in the DOM runs just before that frame's style, layout and paint (`frame_start`); a user-blocking task posted
 * from it runs right after them, ahead of ordinary queued work (`next_item`, the "next paint" of INP). Kept beside it:
 * a message posted from that callback (queued behind ordinary tasks, so it adds whatever work was already waiting:
 * the figure reported before 2026-12-05), Chromium's own Event Timing duration of each keydown (keydown to the next
 * frame presented), the long tasks (≥ 50 ms) seen during the run, and the animation frame after the one that shows it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workspace: { type: 'string' }, labels: { type: 'string', default: '200' } } });
  const server = spawn(process.execPath, ['--import', 'tsx', 'electron/server/cli.ts', '--port', '0', '--workspace', values.workspace!, '--data-dir', await mkdtemp(join(tmpdir(), 'callsift-next-'))], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const loginUrl = await new Promise<string>((ok, fail) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/\?secret=[\w-]+)\r?\n/.exec(out);
      if (m) ok(m[1]!);
    });
    server.once('exit', (code) => fail(new Error(`server exited ${code}: ${out}`)));
  });
  const browser = await chromium.launch({
    executablePath: findBrowser() ?? fail(browserMissingMessage()),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    // The printed link gives the page its session cookie, then the label view opens on the same origin.
    // A fresh data dir is a first run: name the annotator so the first-run prompt does not cover the view.
    const { origin, searchParams } = new URL(loginUrl);
    await fetch(`${origin}/rpc/workspace.updateSettings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${searchParams.get('secret') ?? ''}` },
      body: JSON.stringify({ annotator: 'bench' }),
    });
    await page.goto(loginUrl);
    await page.goto(`${origin}/#/label`);
    await page.waitForSelector('[data-testid="current-utterance"]');
    // A string, not a function: tsx would inject helpers the page does not have.
    await page.evaluate(`(() => {
      window.__nextItemLatencies = [];
      window.__nextItemNextFrame = [];
      window.__nextItemFrameStart = [];
      window.__nextItemMessage = [];
      window.__longTasks = [];
      window.__keydownEvents = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'keydown') window.__keydownEvents.push(e.duration); }).observe({ type: 'event', durationThreshold: 16, buffered: true });
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
      const currentId = () => document.querySelector('[data-testid="current-utterance"]')?.getAttribute('data-utterance-id') ?? '';
      document.addEventListener('keydown', () => {
        const start = performance.now();
        const before = currentId();
        const poll = () => {
          if (currentId() !== before) {
            window.__nextItemFrameStart.push(performance.now() - start);
            const channel = new MessageChannel();
            channel.port1.onmessage = () => window.__nextItemMessage.push(performance.now() - start);
            channel.port2.postMessage(null);
            const painted = () => window.__nextItemLatencies.push(performance.now() - start);
            if (window.scheduler?.postTask) window.scheduler.postTask(painted, { priority: 'user-blocking' });
            else setTimeout(painted, 0);
            requestAnimationFrame(() => window.__nextItemNextFrame.push(performance.now() - start));
          } else requestAnimationFrame(poll);
        };
        poll();
      }, true);
    })()`);
    const n = Number(values.labels);
    for (let i = 0; i < n; i++) {
      const before = await page.getAttribute('[data-testid="current-utterance"]', 'data-utterance-id');
      await page.keyboard.press(String((i % 3) + 1));
      await page.waitForFunction((b) => document.querySelector('[data-testid="current-utterance"]')?.getAttribute('data-utterance-id') !== b, before);
      // The next key waits until this one is measured: a key pressed before the frame that shows the utterance is
      // painted would be handled first (input goes ahead of other work) and counted in this key's time.
      await page.waitForFunction((count) => window.__nextItemLatencies.length >= count && window.__nextItemNextFrame.length >= count, i + 1);
    }
    await page.waitForFunction((count) => window.__nextItemLatencies.length >= count && window.__nextItemNextFrame.length >= count, n);
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    const latencies = (await page.evaluate(() => window.__nextItemLatencies)).sort((a, b) => a - b);
    const nextFrame = (await page.evaluate(() => window.__nextItemNextFrame)).sort((a, b) => a - b);
    const frameStart = (await page.evaluate(() => window.__nextItemFrameStart)).sort((a, b) => a - b);
    const message = (await page.evaluate(() => window.__nextItemMessage)).sort((a, b) => a - b);
    const longTasks = (await page.evaluate(() => window.__longTasks)).sort((a, b) => a - b);
    // Event Timing reports only keydowns of 16 ms or more: the missing ones are shorter.
    const reported = await page.evaluate(() => window.__keydownEvents);
    const keydowns = [...Array.from({ length: Math.max(0, n - reported.length) }, () => 0), ...reported].sort((a, b) => a - b);
    const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    console.log(
      JSON.stringify({
        labels: latencies.length,
        next_item_p50_ms: pct(latencies, 0.5),
        next_item_p95_ms: pct(latencies, 0.95),
        next_item_max_ms: latencies[latencies.length - 1],
        frame_start_p95_ms: pct(frameStart, 0.95),
        message_after_p95_ms: pct(message, 0.95),
        event_timing_keydown_p95_ms: pct(keydowns, 0.95),
        long_tasks: longTasks.length,
        long_task_max_ms: longTasks[longTasks.length - 1] ?? 0,
        next_frame_p50_ms: pct(nextFrame, 0.5),
        next_frame_p95_ms: pct(nextFrame, 0.95),
      }),
    );
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

void main();
