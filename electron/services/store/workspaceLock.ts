import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContractError } from '../../../shared/contract/errors';
import { errorName, sentence, term, type ErrorTerm, type ErrorTermRef } from '../../../shared/contract/errorWords';
import { recoveryMessageEn, type RecoverySentence, type RecoveryTerm } from '../../../shared/contract/recovery';
import { syncDirectory, writeFileAtomic } from '../../../lib/durable/durableFile';
import { log } from '../log';

/*
 * One process at a time per workspace folder, through `<folder>/.callsift.lock`.
 *
 * Taking a lock: `open(path, 'wx')` (O_CREAT|O_EXCL), write the record, fsync the file and the folder.
 *
 * Taking over a stale lock (holder dead, or the file unreadable and older than UNFINISHED_GRACE_MS) is the only
 * dangerous step: "remove the file if it is still the stale one" is a check-then-act that POSIX cannot do
 * atomically, and a late remover would delete a live lock that replaced the stale one. Renaming the stale file
 * aside first does not fix that: a late renamer moves the NEW live lock aside, and while it puts it back the path
 * is empty, so a third opener creates its own lock and two processes hold the workspace.
 *
 * So a takeover is serialized by a claim file named after the stale file (`.callsift.lock.takeover-<token>`,
 * created with O_EXCL). Only the claim holder may touch the stale lock; under the claim it re-reads the lock and,
 * if it is byte for byte (and inode and mtime) the stale file it judged, renames its own complete record OVER it.
 * - Nobody else can change the stale file meanwhile: its holder is dead, fresh openers fail O_EXCL on it (the
 *   path is never empty: the rename swaps old for new atomically), and other taker-overs wait for the claim.
 * - A late taker-over that gets the claim after the winner released it finds a different file and starts over,
 *   so it then meets the winner's live lock and is refused.
 * - A claim whose holder died mid-takeover is itself stale and is taken over by the same procedure one level
 *   down (`...takeover-<token>.takeover-<token>`), each level needing another crash, so MAX_CLAIM_DEPTH bounds it.
 * The replacing rename also means a taken-over lock file is never seen half written.
 *
 * Liveness: same hostname, `process.kill(pid, 0)` (EPERM still means alive), and on Linux the holder's start time
 * in clock ticks since boot (/proc/<pid>/stat field 22) plus the boot id, so a reused pid or a reboot is seen as
 * dead. Elsewhere (Windows, macOS) there is no /proc: only the pid is checked, so a lock whose pid now belongs to
 * another process is refused, never taken; the message names the file to delete.
 * Limits: processes on one host in different pid namespaces (containers sharing a hostname and a volume) cannot
 * see each other's pids and would take each other's locks; a lock from another hostname is never taken over.
 */

/** The lock file's name inside the workspace folder. */
export const LOCK_FILE_NAME = '.callsift.lock';
/** An empty or unparsable lock file younger than this is an opener still writing it, not a crash. */
export const UNFINISHED_GRACE_MS = 5_000;
const MAX_ATTEMPTS = 100;
const MAX_CLAIM_DEPTH = 3;
const TOKEN = /^[0-9a-f]{16,64}$/;

/** Which kind of Callsift process holds a workspace; shown to the user when another one is refused. */
export type LockMode = 'desktop' | 'browser' | 'cli' | 'test' | (string & Record<never, never>);

/** The JSON in `.callsift.lock`: who holds the workspace. */
export interface WorkspaceLockRecord {
  readonly formatVersion: 1;
  readonly pid: number;
  readonly hostname: string;
  readonly mode: LockMode;
  /** When the holding process started, epoch ms (from its uptime, so within a few ms). */
  readonly processStartedAt: number;
  /** Linux only: the holder's start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  readonly procStartTicks?: string;
  /** Linux only: /proc/sys/kernel/random/boot_id when the lock was taken. */
  readonly bootId?: string;
  /** When the lock was taken, epoch ms. */
  readonly acquiredAt: number;
  /** Random hex; release removes the file only while it holds this token. */
  readonly token: string;
}

/** Why a lock was judged stale and taken over. */
export type StaleReason = 'not_running' | 'pid_reused' | 'rebooted' | 'unreadable';

/** The lock a new holder replaced, for a notice to the user. */
export interface StaleLockInfo {
  readonly reason: StaleReason;
  /** The dead holder's record; null when the file was empty or unparsable. */
  readonly holder: WorkspaceLockRecord | null;
  /** The stale file's mtime, epoch ms. */
  readonly modifiedAt: number;
  /** The takeover as a sentence the UI words in its language. */
  readonly sentence: RecoverySentence;
  /** The takeover in English words. */
  readonly message: string;
}

/** Exclusive use of one workspace folder by this process. */
export interface WorkspaceLock {
  readonly folder: string;
  /** The lock file's absolute path. */
  readonly path: string;
  /** What this process wrote into the lock file. */
  readonly record: WorkspaceLockRecord;
  /** Set when the lock was taken over from a dead holder (or an abandoned, unreadable lock file). */
  readonly tookOverFrom?: StaleLockInfo;
  /** Removes the lock file if it still holds this lock's token; never throws, safe to call twice. */
  release(): Promise<void>;
  /** The same, synchronously, for `process.on('exit')`. */
  releaseSync(): void;
}

/**
 * Takes exclusive use of `folder` (which must exist) for this process, taking over a lock whose holder is dead.
 * Throws ContractError 'conflict' (details.file = folder) naming the holder when the workspace is held by a live
 * process, by a process on another host, or is being opened right now; 'io' when the lock file cannot be written.
 */
export async function acquireWorkspaceLock(folder: string, holder: { readonly mode: LockMode }): Promise<WorkspaceLock> {
  const path = join(folder, LOCK_FILE_NAME);
  const record = makeRecord(holder.mode);
  const bytes = encodeRecord(record);
  let busy: Busy | null = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(5 + Math.random() * 20);
    try {
      await createExclusive(path, bytes);
      return new HeldLock(folder, path, record);
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw ioError(folder, path, err, `Cannot create the workspace lock file ${path}: ${(err as Error).message}`);
    }
    const seen = await observe(path);
    if (!seen) continue;
    const verdict = await judge(seen);
    if (verdict.kind !== 'stale') throw refusal(folder, path, verdict, seen);
    const outcome = await replaceStale(path, seen, bytes, holder.mode, 0);
    if (outcome === 'replaced') return new HeldLock(folder, path, record, staleInfo(verdict.reason, seen));
    if (typeof outcome === 'object') busy = { stale: seen, claimant: outcome.claimant };
  }
  const staleNote = busy ? ` from ${busy.stale.record ? describeHolder(busy.stale.record) : 'an abandoned lock file'}` : '';
  const claimantNote = busy?.claimant ? ` (${describeHolder(busy.claimant)})` : '';
  throw new ContractError(
    'conflict',
    sentence('workspace_takeover_race'),
    { file: folder },
    `Callsift could not take this workspace over${staleNote}: another Callsift process${claimantNote} kept taking it over at the same time. Try again in a moment.`,
  );
}

class HeldLock implements WorkspaceLock {
  private state: 'held' | 'releasing' | 'released' = 'held';
  private releasing: Promise<void> | null = null;

  constructor(
    readonly folder: string,
    readonly path: string,
    readonly record: WorkspaceLockRecord,
    readonly tookOverFrom?: StaleLockInfo,
  ) {}

  release(): Promise<void> {
    if (this.state === 'held') {
      this.state = 'releasing';
      this.releasing = (async () => {
        try {
          if (tokenOf(await readFile(this.path)) === this.record.token) await unlink(this.path);
        } catch (err) {
          // Best effort: a lock left behind is taken over once this process is gone.
          log.warn('store.lock.release', err, { file: this.path });
        }
        this.state = 'released';
      })();
    }
    return this.releasing ?? Promise.resolve();
  }

  releaseSync(): void {
    if (this.state === 'released') return;
    this.state = 'released';
    try {
      if (tokenOf(readFileSync(this.path)) === this.record.token) unlinkSync(this.path);
    } catch (err) {
      // Best effort, as in release().
      log.warn('store.lock.release', err, { file: this.path });
    }
  }
}

interface Observed {
  readonly bytes: Buffer;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly mtimeMs: number;
  readonly record: WorkspaceLockRecord | null;
}

interface Busy {
  readonly stale: Observed;
  readonly claimant: WorkspaceLockRecord | null;
}

type Verdict =
  /** `byPidOnly`: the start time could not be compared, so the pid may since belong to another program. */
  | { readonly kind: 'held'; readonly record: WorkspaceLockRecord; readonly byPidOnly: boolean }
  | { readonly kind: 'foreign'; readonly record: WorkspaceLockRecord }
  | { readonly kind: 'unfinished' }
  | { readonly kind: 'stale'; readonly reason: StaleReason };

/**
 * Replaces the stale file `path` (as `seen`) with `bytes` under an O_EXCL claim (see the comment at the top).
 * 'changed': the file is no longer the one judged; start over. An object: another live process holds the claim.
 */
async function replaceStale(
  path: string,
  seen: Observed,
  bytes: Buffer,
  mode: LockMode,
  depth: number,
): Promise<'replaced' | 'changed' | { claimant: WorkspaceLockRecord | null }> {
  const claimPath = `${path}.takeover-${claimKey(seen)}`;
  const claimBytes = encodeRecord(makeRecord(mode));
  for (let attempt = 0; ; attempt++) {
    try {
      await createExclusive(claimPath, claimBytes);
      break;
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw ioError(dirname(path), claimPath, err, `Cannot create ${claimPath}: ${(err as Error).message}`);
    }
    const claim = await observe(claimPath);
    if (!claim) continue;
    const verdict = await judge(claim);
    if (verdict.kind !== 'stale' || depth >= MAX_CLAIM_DEPTH || attempt >= MAX_ATTEMPTS) return { claimant: claim.record };
    const outcome = await replaceStale(claimPath, claim, claimBytes, mode, depth + 1);
    if (outcome === 'replaced') break;
    if (outcome !== 'changed') return outcome;
  }
  try {
    const now = await observe(path);
    if (!now || !sameFile(now, seen)) return 'changed';
    await writeFileAtomic(path, bytes);
    return 'replaced';
  } finally {
    // Ours: a live claim holder is never judged stale, so nobody else replaced it.
    await unlink(claimPath).catch(() => undefined);
  }
}

/** Creates `path` with O_EXCL, writes all of `bytes`, fsyncs it and its folder; removes it again on failure. */
async function createExclusive(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
      if (bytesWritten <= 0) throw new Error(`wrote ${offset} of ${bytes.length} bytes`);
      offset += bytesWritten;
    }
    await handle.sync();
    const { size } = await handle.stat();
    if (size !== bytes.length) throw new Error(`the file holds ${size} bytes, not ${bytes.length}`);
  } catch (err) {
    const { ino } = await handle.stat({ bigint: true }).catch(() => ({ ino: -1n }));
    await handle.close().catch(() => undefined);
    // Only the file we created: it is ours until it has been unfinished for UNFINISHED_GRACE_MS.
    const now = await observe(path).catch(() => null);
    if (now && now.ino === ino) await unlink(path).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await syncDirectory(dirname(path));
}

/** The file's bytes and identity, read through one handle; null when it does not exist. */
async function observe(path: string): Promise<Observed | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    throw ioError(dirname(path), path, err, `Cannot read the workspace lock file ${path}: ${(err as Error).message}`);
  }
  try {
    const st = await handle.stat({ bigint: true });
    const bytes = await handle.readFile();
    return { bytes, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, mtimeMs: Number(st.mtimeMs), record: parseRecord(bytes) };
  } finally {
    await handle.close();
  }
}

function sameFile(a: Observed, b: Observed): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.bytes.equals(b.bytes);
}

/** A name for one stale file: its token, or for an unreadable file a hash of its bytes and identity. */
function claimKey(seen: Observed): string {
  if (seen.record) return seen.record.token;
  return createHash('sha256').update(seen.bytes).update(`\0${seen.ino}\0${seen.mtimeNs}`).digest('hex').slice(0, 32);
}

async function judge(seen: Observed): Promise<Verdict> {
  const record = seen.record;
  if (!record) return Date.now() - seen.mtimeMs < UNFINISHED_GRACE_MS ? { kind: 'unfinished' } : { kind: 'stale', reason: 'unreadable' };
  const me = self();
  if (record.hostname !== me.hostname) return { kind: 'foreign', record };
  if (record.bootId && me.bootId && record.bootId !== me.bootId) return { kind: 'stale', reason: 'rebooted' };
  if (record.pid === me.pid) {
    // Our own pid: held by this process, or left by an earlier process that had the same pid.
    const same = record.processStartedAt === me.processStartedAt && (record.procStartTicks ?? me.procStartTicks) === me.procStartTicks;
    return same ? { kind: 'held', record, byPidOnly: false } : { kind: 'stale', reason: 'pid_reused' };
  }
  try {
    process.kill(record.pid, 0);
  } catch (err) {
    if (errno(err) === 'ESRCH') return { kind: 'stale', reason: 'not_running' };
    // EPERM: alive under another user. Anything else: cannot tell, so alive.
  }
  if (record.procStartTicks && process.platform === 'linux') {
    const ticks = await readStartTicks(String(record.pid));
    if (ticks === 'gone') return { kind: 'stale', reason: 'not_running' };
    if (ticks !== null && ticks !== record.procStartTicks) return { kind: 'stale', reason: 'pid_reused' };
    return { kind: 'held', record, byPidOnly: ticks === null };
  }
  return { kind: 'held', record, byPidOnly: true };
}

function refusal(folder: string, path: string, verdict: Exclude<Verdict, { kind: 'stale' }>, seen: Observed): ContractError {
  switch (verdict.kind) {
    case 'held': {
      const where = verdict.record.pid === process.pid ? 'this same Callsift process' : 'another Callsift process';
      const unsure = verdict.byPidOnly
        ? ` If no other Callsift process is running, pid ${verdict.record.pid} now belongs to another program: then delete ${path} and try again.`
        : '';
      const words = [sentence('workspace_open_here', { holder: term(verdict.record.pid === process.pid ? 'holder_same' : 'holder_other'), ...holderParams(verdict.record) })];
      if (verdict.byPidOnly) words.push(sentence('workspace_open_pid_only', { pid: verdict.record.pid, file: path }));
      return new ContractError(
        'conflict',
        words,
        { file: folder },
        `This workspace is already open in ${where} (${describeHolder(verdict.record)}). Close it first, or open another folder.${unsure}`,
      );
    }
    case 'foreign':
      return new ContractError(
        'conflict',
        sentence('workspace_open_elsewhere', { ...holderParams(verdict.record), file: path }),
        { file: folder },
        `This workspace is open in a Callsift process on another computer (${describeHolder(verdict.record)}). ` +
          `Callsift cannot tell from here whether that process is still running, so it does not take the workspace over. ` +
          `Close it on host ${printable(verdict.record.hostname)} first; if Callsift is not running there any more, delete ${path} and try again.`,
      );
    case 'unfinished':
      return new ContractError(
        'conflict',
        sentence('workspace_opening', { file: path }),
        { file: folder },
        `Another process is opening this workspace right now, or stopped a moment ago while opening it: its lock file ${path} ` +
          `(last modified ${formatTime(seen.mtimeMs)}) is not complete yet. ` +
          `Try again in a few seconds.`,
      );
  }
}

function staleInfo(reason: StaleReason, seen: Observed): StaleLockInfo {
  const holder = seen.record;
  const sentence: RecoverySentence =
    !holder || reason === 'unreadable'
      ? { key: 'lock_unreadable', params: { modified: formatTime(seen.mtimeMs) } }
      : {
          key: (({ not_running: 'lock_not_running', pid_reused: 'lock_pid_reused', rebooted: 'lock_rebooted' }) as const)[reason],
          params: {
            mode: { term: MODE_TERMS.get(holder.mode) ?? 'mode_unknown' },
            pid: holder.pid,
            started: formatTime(holder.processStartedAt),
            host: printable(holder.hostname),
          },
        };
  return { reason, holder, modifiedAt: seen.mtimeMs, sentence, message: recoveryMessageEn([sentence]) };
}

const MODE_TERMS: ReadonlyMap<string, RecoveryTerm> = new Map([
  ['desktop', 'mode_desktop'],
  ['browser', 'mode_browser'],
  ['cli', 'mode_cli'],
] as const);

const MODE_WORDS: ReadonlyMap<string, string> = new Map([
  ['desktop', 'desktop app'],
  ['browser', 'browser mode'],
  ['cli', 'command line'],
]);

/** A holder's mode, pid and host as error parameters. */
function holderParams(record: WorkspaceLockRecord): { mode: ErrorTermRef; pid: number; host: string } {
  return { mode: term(ERROR_MODE_TERMS.get(record.mode) ?? 'mode_unknown'), pid: record.pid, host: printable(record.hostname) };
}

const ERROR_MODE_TERMS: ReadonlyMap<string, ErrorTerm> = new Map([
  ['desktop', 'mode_desktop'],
  ['browser', 'mode_browser'],
  ['cli', 'mode_cli'],
] as const);

function describeHolder(record: WorkspaceLockRecord): string {
  const mode = MODE_WORDS.get(record.mode) ?? `${printable(record.mode)} mode`;
  return `${mode}, pid ${record.pid}, started ${formatTime(record.processStartedAt)} on host ${printable(record.hostname)}`;
}

/** Local time as YYYY-MM-DD HH:MM:SS. */
function formatTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'at an unknown time';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A string from someone else's file, safe to show: no control characters, at most 80 characters. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

function parseRecord(bytes: Buffer): WorkspaceLockRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const ok =
    typeof v.formatVersion === 'number' &&
    Number.isSafeInteger(v.pid) && (v.pid as number) > 0 &&
    typeof v.hostname === 'string' && v.hostname.length > 0 && v.hostname.length <= 255 &&
    typeof v.mode === 'string' && v.mode.length <= 64 &&
    typeof v.processStartedAt === 'number' &&
    typeof v.acquiredAt === 'number' &&
    typeof v.token === 'string' && TOKEN.test(v.token) &&
    (v.procStartTicks === undefined || (typeof v.procStartTicks === 'string' && /^\d{1,20}$/.test(v.procStartTicks))) &&
    (v.bootId === undefined || typeof v.bootId === 'string');
  return ok ? (v as unknown as WorkspaceLockRecord) : null;
}

function tokenOf(bytes: Buffer): string | null {
  return parseRecord(bytes)?.token ?? null;
}

function encodeRecord(record: WorkspaceLockRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
}

interface SelfIdentity {
  readonly pid: number;
  readonly hostname: string;
  readonly processStartedAt: number;
  readonly procStartTicks?: string;
  readonly bootId?: string;
}

let identity: SelfIdentity | null = null;

function self(): SelfIdentity {
  if (!identity) {
    const linux = process.platform === 'linux';
    identity = {
      pid: process.pid,
      hostname: hostname(),
      processStartedAt: Math.round(Date.now() - process.uptime() * 1000),
      procStartTicks: linux ? readStartTicksSync('self') ?? undefined : undefined,
      bootId: linux ? readTrimmed('/proc/sys/kernel/random/boot_id') : undefined,
    };
  }
  return identity;
}

function makeRecord(mode: LockMode): WorkspaceLockRecord {
  const me = self();
  return {
    formatVersion: 1,
    pid: me.pid,
    hostname: me.hostname,
    mode: printable(mode).slice(0, 64),
    processStartedAt: me.processStartedAt,
    ...(me.procStartTicks ? { procStartTicks: me.procStartTicks } : {}),
    ...(me.bootId ? { bootId: me.bootId } : {}),
    acquiredAt: Date.now(),
    token: randomBytes(16).toString('hex'),
  };
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so count from its last ')'. */
function startTicksOf(stat: string): string | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields[22 - 3];
  return ticks && /^\d+$/.test(ticks) ? ticks : null;
}

async function readStartTicks(pid: string): Promise<string | null | 'gone'> {
  try {
    return startTicksOf(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch (err) {
    return errno(err) === 'ENOENT' || errno(err) === 'ESRCH' ? 'gone' : null;
  }
}

function readStartTicksSync(pid: string): string | null {
  try {
    return startTicksOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function ioError(folder: string, file: string, err: unknown, message: string): ContractError {
  return new ContractError('io', sentence('workspace_lock_failed', { file, detail: errorName(err) }), { file: folder }, message);
}
