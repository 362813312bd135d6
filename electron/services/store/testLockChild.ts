/**
 * Test helper run as a real child process:
 *   node --import tsx electron/services/store/testLockChild.ts <folder> <mode> [--wait-go]
 * With --wait-go it prints {"ready":true}, reads a start time (epoch ms) from stdin and acquires at that time. It then prints one JSON
 * line ({ok, pid, tookOverFrom} or {ok: false, code, message}); a holder keeps the lock until stdin ends.
 */
import { createInterface } from 'node:readline';
import { ContractError } from '../../../shared/contract/errors';
import { acquireWorkspaceLock } from './workspaceLock';

const [folder, mode, flag] = process.argv.slice(2);
if (!folder || !mode) throw new Error('usage: testLockChild.ts <folder> <mode> [--wait-go]');
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const lines = createInterface({ input: process.stdin });
const stdinEnded = new Promise<void>((resolve) => lines.once('close', resolve));

if (flag === '--wait-go') {
  const go = new Promise<string>((resolve) => lines.once('line', resolve));
  print({ ready: true });
  // The line is the epoch ms to start at, so that racers start together rather than as each reads its stdin.
  const startAt = Number(await go);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now() - 5)));
  while (Date.now() < startAt);
}
try {
  const lock = await acquireWorkspaceLock(folder, { mode });
  print({ ok: true, pid: process.pid, tookOverFrom: lock.tookOverFrom ?? null });
  await stdinEnded;
  await lock.release();
} catch (err) {
  print(err instanceof ContractError ? { ok: false, code: err.code, message: err.message } : { ok: false, code: 'thrown', message: String(err) });
}
lines.close();
