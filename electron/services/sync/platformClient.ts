import { sentence, term } from '../../../shared/contract/errorWords';
import { SyncCancelled, SyncError } from './syncError';

/** The API major version this app speaks. */
export const SUPPORTED_API_MAJOR = 1;

export interface PlatformClientOptions {
  /** Per-request time limit (connect, headers and body), ms. */
  readonly timeoutMs: number;
  /** Extra attempts for reads that failed in a way that may pass (5xx, timeout, dropped or cut-off answers). */
  readonly retries: number;
  /** First wait between attempts, doubled each time, ms. */
  readonly retryDelayMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: PlatformClientOptions = { timeoutMs: 15_000, retries: 2, retryDelayMs: 500 };

interface RequestInit {
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  readonly auth?: boolean;
  /** Safe to send again (reads; label uploads, whose ids make them idempotent). */
  readonly idempotent?: boolean;
}

/** Normalizes what a person typed as the platform address: no trailing slash, no `/api/v1`. */
export function normalizePlatformUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/api\/v\d+$/i, '');
}

/**
 * HTTP access to a Callsift platform (`/api/v1`). Every failure becomes a SyncError whose message names
 * the URL, the HTTP status and what was wrong; cancellation through `signal` becomes SyncCancelled.
 */
export class PlatformClient {
  readonly baseUrl: string;

  constructor(
    url: string,
    private readonly token: string | null,
    private readonly options: PlatformClientOptions = DEFAULT_CLIENT_OPTIONS,
  ) {
    this.baseUrl = normalizePlatformUrl(url);
  }

  /** GET `path` under /api/v1 and parse the JSON answer. */
  get(path: string, init: Omit<RequestInit, 'body'> = {}): Promise<unknown> {
    return this.request('GET', path, { idempotent: true, ...init });
  }

  /** POST a JSON body to `path` under /api/v1 and parse the JSON answer. */
  post(path: string, body: unknown, init: Omit<RequestInit, 'body'> = {}): Promise<unknown> {
    return this.request('POST', path, { ...init, body });
  }

  private async request(method: string, path: string, init: RequestInit): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, init);
      } catch (err) {
        const retry = err instanceof SyncError && err.transient && init.idempotent === true && attempt < this.options.retries;
        if (!retry || init.signal?.aborted) throw err;
        await sleep(this.options.retryDelayMs * 2 ** attempt, init.signal);
      }
    }
  }

  private async once(method: string, path: string, init: RequestInit): Promise<unknown> {
    const url = `${this.baseUrl}/api/v1${path}`;
    const what = `${method} ${url}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.auth !== false && this.token !== null) headers.Authorization = `Bearer ${this.token}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let status = 0;
    let text: string;
    let apiVersion: string | null;
    try {
      const res = await fetch(url, { method, headers, signal, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
      status = res.status;
      apiVersion = res.headers.get('x-callsift-api-version');
      text = await res.text();
    } catch (err) {
      throw this.transportError(err, what, status, init.signal, timeout);
    }
    if (apiVersion !== null) checkApiVersion(apiVersion, this.baseUrl);
    if (status < 200 || status >= 300) throw this.statusError(status, text, method, path);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new SyncError(
        'malformed',
        `The platform's answer to ${what} is not valid JSON (HTTP ${status}, ${text.length} characters; ${(err as Error).message}); it may have been cut off. Nothing from it was stored.`,
        true,
      );
    }
  }

  private transportError(err: unknown, what: string, status: number, cancel: AbortSignal | undefined, timeout: AbortSignal): Error {
    if (cancel?.aborted) return new SyncCancelled();
    if (timeout.aborted) {
      const seconds = (this.options.timeoutMs / 1000).toFixed(1);
      return new SyncError('timeout', `The platform did not answer ${what} within ${seconds} s.`, true, sentence('sync_timeout_after', { seconds }));
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? '';
    if (status > 0) {
      const message = `The connection to ${this.baseUrl} broke while reading the answer to ${what} (HTTP ${status}; ${cause?.message ?? (err as Error).message}).`;
      return new SyncError('unreachable', message, true, sentence('sync_unreachable_at', { url: this.baseUrl, why: term('conn_broke') }));
    }
    const reason =
      code === 'ECONNREFUSED'
        ? 'the connection was refused — is the platform running on that port?'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'the host name could not be resolved'
          : code === 'UND_ERR_SOCKET' || code === 'ECONNRESET'
            ? 'the platform closed the connection without answering'
            : `${cause?.message ?? (err as Error).message}${code ? ` (${code})` : ''}`;
    const why =
      code === 'ECONNREFUSED'
        ? term('conn_refused')
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? term('conn_no_host')
          : code === 'UND_ERR_SOCKET' || code === 'ECONNRESET'
            ? term('conn_closed')
            : term('conn_other', { detail: code || 'fetch' });
    return new SyncError('unreachable', `Cannot reach the platform at ${this.baseUrl} (${what}): ${reason}`, true, sentence('sync_unreachable_at', { url: this.baseUrl, why }));
  }

  private statusError(status: number, text: string, method: string, path: string): SyncError {
    const { code, message } = parseErrorBody(text);
    const where = `${method} ${this.baseUrl}/api/v1${path}`;
    const detail = `HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
    if (status === 401 || status === 403) return new SyncError('auth', `The platform at ${this.baseUrl} refused the token (${detail}).`, false, sentence('sync_token_refused', { url: this.baseUrl, status }));
    if (status === 404) return new SyncError('not_found', `The platform has no ${where} (${detail}).`);
    if (status === 409 && code === 'cursor_ahead') {
      return new SyncError('cursor', `The platform at ${this.baseUrl} does not have the calls this workspace already synced (${detail}). Its data was reset or it is another platform; disconnect and connect again to start over.`);
    }
    if (status >= 500) return new SyncError('server', `The platform failed on ${where} (${detail}). Try again later.`, true, sentence('sync_server_status', { status }));
    return new SyncError('protocol', `The platform refused ${where} (${detail}).`);
  }
}

/** Throws a `version` SyncError unless `apiVersion` ("major.minor") has the major version this app speaks. */
export function checkApiVersion(apiVersion: string, baseUrl: string): void {
  const major = Number(/^(\d+)(\.\d+)?$/.exec(apiVersion.trim())?.[1]);
  if (major !== SUPPORTED_API_MAJOR) {
    const message = `The platform at ${baseUrl} speaks API version ${apiVersion}; this Callsift speaks version ${SUPPORTED_API_MAJOR}.x. Update Callsift or the platform.`;
    throw new SyncError('version', message, false, sentence('sync_version_mismatch', { url: baseUrl, theirs: apiVersion.slice(0, 20), ours: `${SUPPORTED_API_MAJOR}.x` }));
  }
}

function parseErrorBody(text: string): { code: string | null; message: string | null } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : null;
    const message = typeof body.error?.message === 'string' ? body.error.message : null;
    return { code, message };
  } catch {
    const snippet = text.trim().slice(0, 200);
    return { code: null, message: snippet.length > 0 ? snippet : null };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SyncCancelled());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new SyncCancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
