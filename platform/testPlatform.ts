import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** A minimal API client for tests: `call(method, path, body?)` under `/api/v1`. */
export interface ApiClient {
  readonly url: string;
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body (undefined when it is not JSON). */
  readonly json: T;
}

/** A client for the platform at `url` that sends `token` (none when null). */
export function apiClient(url: string, token: string | null): ApiClient {
  return {
    url,
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { ...(token !== null ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json: json as T };
    },
  };
}

/** A platform running as a child process (`platform/cli.ts`). */
export interface PlatformProcess {
  readonly url: string;
  readonly token: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `platform/cli.ts --port 0 …args` as a real child process and waits until it serves. */
export async function startPlatformProcess(args: readonly string[]): Promise<PlatformProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'platform/cli.ts', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const { url, token } = await new Promise<{ url: string; token: string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the platform did not start in 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      const url = /Platform is serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const token = /Token: (\S+)/.exec(out)?.[1];
      if (url && token) {
        clearTimeout(timer);
        ok({ url, token });
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`the platform exited:\n${out}`));
    });
  });
  return {
    url,
    token,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
