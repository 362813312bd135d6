import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Envelope } from '../../shared/contract/errors';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** The line the CLI prints once it listens; the whole URL with its secret is group 1. */
export const SERVING_LINE = /^Callsift is serving (http:\/\/127\.0\.0\.1:\d+\/\?secret=[A-Za-z0-9_-]{43,})\r?\n/m;

export interface RunningServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** The secret the server printed; `call` sends it as a Bearer token. */
  readonly secret: string;
  /** The line's whole URL, `http://127.0.0.1:PORT/?secret=SECRET`. */
  readonly loginUrl: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  call<T>(method: string, arg: unknown): Promise<Envelope<T>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `electron/server/cli.ts` as a real child process on a free loopback port. */
export async function startServerProcess(args: readonly string[]): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/server/cli.ts', '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const loginUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = SERVING_LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const { origin: url, searchParams } = new URL(loginUrl);
  const secret = searchParams.get('secret')!;
  return {
    url,
    secret,
    loginUrl,
    child,
    output: () => out,
    async call<T>(method: string, arg: unknown): Promise<Envelope<T>> {
      const res = await fetch(`${url}/rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify(arg),
      });
      return (await res.json()) as Envelope<T>;
    },
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      return new Promise((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok(child.exitCode);
        child.once('exit', (code) => ok(code));
        child.kill(signal);
      });
    },
  };
}

/** The folders of a path-policy test: a fresh temp root (by its real path) and, inside it, `ws`, `allowed` and `outside` (not created). */
export interface PolicyFolders {
  readonly root: string;
  readonly ws: string;
  readonly allowed: string;
  readonly outside: string;
}

/** Makes the temp root of a path-policy test (`prefix` + random) and names its folders. */
export async function makePolicyFolders(prefix: string): Promise<PolicyFolders> {
  const root = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  return { root, ws: join(root, 'ws'), allowed: join(root, 'allowed'), outside: join(root, 'outside') };
}
