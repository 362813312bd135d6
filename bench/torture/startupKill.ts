import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { SERVING_LINE } from '../../electron/server/testServer';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Starts the browser-mode server as `startServerProcess` does and kills it with SIGKILL `delayMs` later, most often
 * while it is still opening the workspace (taking the lock over, cutting a torn journal tail, rewriting the outbox,
 * replaying). True when the kill came before the server said it was serving.
 */
export async function killDuringStart(args: readonly string[], delayMs: number): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/server/cli.ts', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await Promise.race([new Promise((r) => setTimeout(r, delayMs)), exited]);
  const beforeServing = !SERVING_LINE.test(out);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
  return beforeServing;
}
