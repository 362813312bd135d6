import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/errors';
import { acquireWorkspaceLock, LOCK_FILE_NAME, type WorkspaceLock, type WorkspaceLockRecord } from './workspaceLock';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CHILD = join(import.meta.dirname, 'testLockChild.ts');
const linux = process.platform === 'linux';

interface ChildResult {
  readonly ok: boolean;
  readonly pid?: number;
  readonly code?: string;
  readonly message?: string;
  readonly tookOverFrom?: { reason: string; holder: WorkspaceLockRecord | null; message: string } | null;
}

interface LockChild {
  readonly child: ChildProcess;
  next(): Promise<unknown>;
  exited: Promise<void>;
}

let dir: string;
let lockPath: string;
const children: ChildProcess[] = [];
const held: WorkspaceLock[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-lock-'));
  lockPath = join(dir, LOCK_FILE_NAME);
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const lock of held.splice(0)) await lock.release();
  await rm(dir, { recursive: true, force: true });
});

async function acquire(mode = 'test'): Promise<WorkspaceLock> {
  const lock = await acquireWorkspaceLock(dir, { mode });
  held.push(lock);
  return lock;
}

async function refusal(mode = 'test'): Promise<ContractError> {
  const err = await acquire(mode).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContractError);
  expect((err as ContractError).code).toBe('conflict');
  expect((err as ContractError).details).toEqual({ file: dir });
  return err as ContractError;
}

/** Runs testLockChild.ts in a real node process; next() resolves with each JSON line it prints. */
function startChild(mode: string, waitGo = false): LockChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, mode, ...(waitGo ? ['--wait-go'] : [])], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const queue: unknown[] = [];
  const waiting: ((line: unknown) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const value: unknown = JSON.parse(line);
    const waiter = waiting.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return {
    child,
    exited,
    next: () =>
      queue.length
        ? Promise.resolve(queue.shift()!)
        : new Promise((ok, fail) => {
            waiting.push(ok);
            void exited.then(() => setTimeout(() => fail(new Error(`child exited without output:\n${stderr}`)), 50));
          }),
  };
}

/** The pid of a process that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((ok) => child.once('exit', ok));
  return child.pid!;
}

function recordFor(pid: number, extra: Partial<WorkspaceLockRecord> = {}): WorkspaceLockRecord {
  return {
    formatVersion: 1,
    pid,
    hostname: hostname(),
    mode: 'desktop',
    processStartedAt: Date.parse('2026-01-02T03:04:05'),
    acquiredAt: Date.parse('2026-01-02T03:04:06'),
    token: randomBytes(16).toString('hex'),
    ...extra,
  };
}

async function writeLock(content: string | WorkspaceLockRecord, ageMs = 0, path = lockPath): Promise<void> {
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  if (ageMs) await utimes(path, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
}

const lockFile = async () => JSON.parse(await readFile(lockPath, 'utf8')) as WorkspaceLockRecord;

describe('acquireWorkspaceLock', () => {
  it('writes a complete record and refuses a second acquire in the same process, naming the holder', async () => {
    const first = await acquire('browser');
    expect(first.tookOverFrom).toBeUndefined();
    const onDisk = await lockFile();
    expect(onDisk).toEqual(first.record);
    expect(onDisk).toMatchObject({ formatVersion: 1, pid: process.pid, hostname: hostname(), mode: 'browser' });
    expect(onDisk.token).toMatch(/^[0-9a-f]{32}$/);
    expect(Math.abs(onDisk.processStartedAt - (Date.now() - process.uptime() * 1000))).toBeLessThan(1000);
    if (linux) {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      expect(onDisk.procStartTicks).toBe(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      expect(onDisk.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    }

    const err = await refusal('desktop');
    expect(err.message).toMatch(
      new RegExp(`^This workspace is already open in this same Callsift process \\(browser mode, pid ${process.pid}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d on host `),
    );
    expect(err.message).toContain('Close it first, or open another folder.');
    expect(await lockFile()).toEqual(first.record);

    await first.release();
    const second = await acquire();
    expect(second.tookOverFrom).toBeUndefined();
  });

  it('refuses while a real child process holds the lock, and takes over once it is killed', async () => {
    const holder = startChild('browser');
    expect(await holder.next()).toMatchObject({ ok: true, pid: holder.child.pid, tookOverFrom: null });

    const err = await refusal('desktop');
    expect(err.message).toContain(`already open in another Callsift process (browser mode, pid ${holder.child.pid}, started `);
    expect(err.message).toContain(`on host ${hostname()}). Close it first, or open another folder.`);
    // On Linux the start time proves the holder is the same process; elsewhere the message says it may not be.
    expect(err.message.endsWith('open another folder.')).toBe(linux);

    holder.child.kill('SIGKILL');
    await holder.exited;
    const lock = await acquire('desktop');
    expect(lock.tookOverFrom).toMatchObject({ reason: 'not_running', holder: { pid: holder.child.pid, mode: 'browser' } });
    expect(lock.tookOverFrom!.message).toContain(`(browser mode, pid ${holder.child.pid}, started `);
    expect(lock.tookOverFrom!.message).toContain('is no longer running and did not close it; Callsift took the workspace over.');
    expect((await lockFile()).token).toBe(lock.record.token);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it('takes over a lock file left by a dead pid', async () => {
    const pid = await deadPid();
    const stale = recordFor(pid);
    await writeLock(stale);
    const lock = await acquire();
    expect(lock.tookOverFrom).toMatchObject({ reason: 'not_running', holder: stale });
    expect(lock.tookOverFrom!.message).toContain(`(desktop app, pid ${pid}, started 2026-01-02 03:04:05 on host ${hostname()}) is no longer running`);
    expect(await lockFile()).toEqual(lock.record);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it.skipIf(!linux)('sees a reused pid and a reboot as dead, and says when it can check the pid only (Linux)', async () => {
    const live = startChild('cli', true);
    await live.next();
    await writeLock(recordFor(live.child.pid!));
    expect((await refusal()).message).toContain(
      `Close it first, or open another folder. If no other Callsift process is running, pid ${live.child.pid} now belongs to another program: then delete ${lockPath} and try again.`,
    );

    const reused = recordFor(live.child.pid!, { procStartTicks: '1' });
    await writeLock(reused);
    expect((await acquire()).tookOverFrom).toMatchObject({ reason: 'pid_reused', holder: reused });
    await held.pop()!.release();

    const ownPidEarlierProcess = recordFor(process.pid);
    await writeLock(ownPidEarlierProcess);
    expect((await acquire()).tookOverFrom).toMatchObject({ reason: 'pid_reused', holder: ownPidEarlierProcess });
    await held.pop()!.release();

    const beforeReboot = { ...(await acquire()).record, bootId: 'another-boot', token: randomBytes(16).toString('hex') };
    await held.pop()!.release();
    await writeLock(beforeReboot);
    expect((await acquire()).tookOverFrom).toMatchObject({ reason: 'rebooted', holder: beforeReboot });
  });

  it('never takes over a lock from another host, and names it', async () => {
    const foreign = recordFor(process.pid, { hostname: 'lab-pc-7', mode: 'browser' });
    await writeLock(foreign, 3_600_000);
    const err = await refusal();
    expect(err.message).toBe(
      `This workspace is open in a Callsift process on another computer (browser mode, pid ${process.pid}, started 2026-01-02 03:04:05 on host lab-pc-7). ` +
        'Callsift cannot tell from here whether that process is still running, so it does not take the workspace over. ' +
        `Close it on host lab-pc-7 first; if Callsift is not running there any more, delete ${lockPath} and try again.`,
    );
    expect(await lockFile()).toEqual(foreign);
  });

  it('refuses a garbled lock file while it is recent, and takes over an old one', async () => {
    await writeLock('{"formatVersion":1,"pid":12');
    const err = await refusal();
    expect(err.message).toMatch(/^Another process is opening this workspace right now, or stopped a moment ago while opening it: its lock file .* is not complete yet\. Try again in a few seconds\.$/);
    expect(await readFile(lockPath, 'utf8')).toBe('{"formatVersion":1,"pid":12');

    await writeLock('{"formatVersion":1,"pid":12', 10_000);
    const lock = await acquire();
    expect(lock.tookOverFrom).toMatchObject({ reason: 'unreadable', holder: null });
    expect(lock.tookOverFrom!.message).toContain('The workspace lock file was empty or unreadable');
    await lock.release();

    await writeLock('', 1_000);
    expect((await refusal()).message).toContain('is not complete yet');
    await writeLock('', 60_000);
    expect((await acquire()).tookOverFrom).toMatchObject({ reason: 'unreadable', holder: null });
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it('releases only its own lock, idempotently', async () => {
    const lock = await acquire();
    const theirs = recordFor(process.pid);
    await writeLock(theirs);
    await lock.release();
    await lock.release();
    lock.releaseSync();
    expect(await lockFile()).toEqual(theirs);
    await rm(lockPath);

    const again = await acquire();
    await Promise.all([again.release(), again.release()]);
    expect(await readdir(dir)).toEqual([]);

    const viaExit = await acquire();
    viaExit.releaseSync();
    viaExit.releaseSync();
    expect(await readdir(dir)).toEqual([]);
    const another = await acquire();
    await viaExit.release();
    expect(await lockFile()).toEqual(another.record);
  });

  it('takes over through a takeover claim left by a dead process, and waits for a live one', async () => {
    const stale = recordFor(await deadPid());
    await writeLock(stale);
    const claim = `${lockPath}.takeover-${stale.token}`;
    await writeLock(recordFor(await deadPid()), 0, claim);
    expect((await acquire()).tookOverFrom).toMatchObject({ reason: 'not_running', holder: stale });
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
    await held.pop()!.release();

    // A claim held by a live process (this one, as another lock would be) blocks the takeover until it ends.
    await writeLock(stale);
    const live = await acquire();
    await rm(lockPath);
    await writeLock(live.record, 0, claim);
    await writeLock(stale);
    const err = await refusal();
    expect(err.message).toBe(
      `Callsift could not take this workspace over from desktop app, pid ${stale.pid}, started 2026-01-02 03:04:05 on host ${hostname()}: ` +
        `another Callsift process (test mode, pid ${process.pid}, started ${err.message.match(/test mode, pid \d+, started ([\d-]+ [\d:]+)/)![1]} on host ${hostname()}) ` +
        'kept taking it over at the same time. Try again in a moment.',
    );
    expect(await lockFile()).toEqual(stale);
  });

  it('lets exactly one of 8 processes racing to take over the same stale lock win', async () => {
    const stalePid = await deadPid();
    await writeLock(recordFor(stalePid));
    const racers = Array.from({ length: 8 }, () => startChild('browser', true));
    for (const racer of racers) expect(await racer.next()).toEqual({ ready: true });
    const startAt = Date.now() + 300;
    for (const racer of racers) racer.child.stdin!.write(`${startAt}\n`);
    const results = (await Promise.all(racers.map((r) => r.next()))) as ChildResult[];

    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    expect(winner.tookOverFrom).toMatchObject({ reason: 'not_running', holder: { pid: stalePid } });
    for (const loser of results.filter((r) => !r.ok)) {
      expect(loser.code).toBe('conflict');
      expect(loser.message).toContain(`already open in another Callsift process (browser mode, pid ${winner.pid}, started `);
    }
    expect((await lockFile()).pid).toBe(winner.pid);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);

    const winnerChild = racers.find((r) => r.child.pid === winner.pid)!;
    winnerChild.child.stdin!.end();
    await winnerChild.exited;
    expect(await readdir(dir)).toEqual([]);
  });
});
