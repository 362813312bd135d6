import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { dispatch, toErrorData, type ArgumentGuard } from '../../shared/contract/dispatch';
import { errorData, type ContractErrorData, type Envelope } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import { isHostMethodName } from '../../shared/contract/host';
import { maxImportContentBytes } from '../../shared/contract/schemas';
import { eventNames } from '../../shared/contract/services';
import type { ServiceHost } from '../services';
import { confineToRoots, guardPathFields, type AllowedRoot } from './pathPolicy';
import { log, recordCallFailure } from '../services/log';

const MB = 1024 * 1024;
/**
 * The largest request body (96 MiB): a browser upload at transfer.importContent's limit (64 MiB) sent as base64
 * (`dataBase64`, a third more), with room for the rest of the JSON; or sent as text with its JSON escaping (quotes
 * and newlines turn into two bytes each).
 */
export const MAX_BODY_BYTES = maxImportContentBytes + maxImportContentBytes / 2;
/** How much of an over-size body is read and dropped so the client can read the 413; past this it is cut off. */
const MAX_DISCARD_BYTES = 1024 * MB;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};
/** Same policy as the desktop window. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const STATUS: Record<ContractErrorData['code'], number> = {
  unknown_method: 404,
  invalid_argument: 400,
  bad_input: 400,
  not_found: 404,
  conflict: 409,
  io: 500,
  unauthorized: 401,
  forbidden: 403,
  internal: 500,
};

export interface HttpBridgeOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** The built UI. */
  readonly staticDir: string;
  /** The secret that opens the API (at least 32 base64url characters); a fresh random one when omitted. */
  readonly secret?: string;
  /**
   * Folders path arguments may point into besides the data folder and the workspace open at start (`--allow`).
   */
  readonly allow?: readonly string[];
}

export interface HttpBridge {
  readonly server: Server;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** The secret: send it as `Authorization: Bearer SECRET`, or open `loginUrl` in a browser. */
  readonly secret: string;
  /** `http://127.0.0.1:PORT/?secret=SECRET`: opening it trades the secret for a session cookie. */
  readonly loginUrl: string;
  /** The folders path arguments are confined to. */
  readonly roots: readonly AllowedRoot[];
  close(): Promise<void>;
}

/** A fresh secret for the bridge: 32 random bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What a request must show to reach `/rpc/*` and `/events`. */
interface Auth {
  readonly origin: string;
  readonly secretDigest: Buffer;
  readonly cookieName: string;
  readonly cookieValue: string;
}

/**
 * The HTTP bridge of browser mode, on 127.0.0.1 only: `POST /rpc/<method>` runs a contract method
 * (validated exactly as over IPC), `GET /events` streams service events (SSE), everything else serves the built UI.
 *
 * Both API routes need the secret: `Authorization: Bearer SECRET` (scripts), or the session cookie a browser gets by
 * opening `/?secret=SECRET` (answered with a 303 to `/`, so the secret leaves the address bar). Path arguments
 * (shared/contract `pathFields`) are confined to the data folder, the workspace open at start and `options.allow`.
 */
export async function startHttpBridge(host: ServiceHost, options: HttpBridgeOptions): Promise<HttpBridge> {
  const staticDir = resolve(options.staticDir);
  const secret = options.secret ?? generateSecret();
  if (!/^[A-Za-z0-9_-]{32,}$/.test(secret)) throw new Error('The bridge secret must be at least 32 base64url characters (A-Z a-z 0-9 _ -).');
  const workspace = (await host.services.workspace.getInfo({})).folder;
  const roots: AllowedRoot[] = [
    { name: 'the workspace', path: resolve(workspace) },
    { name: 'the data folder', path: resolve(host.dataDir) },
    ...(options.allow ?? []).map((dir) => ({ name: '--allow', path: resolve(dir) })),
  ];
  const guard = guardPathFields(
    (path, kind) => confineToRoots(path, kind, roots),
    'hint_allow',
  );
  let ctx: Context | null = null;
  const server = createServer((req, res) => {
    if (!ctx) {
      sendJson(res, 503, { ok: false, error: errorData('internal', sentence('server_starting')) });
      return;
    }
    handle(ctx, req, res).catch((err: unknown) => {
      log.error('http.request', err, { url: (req.url ?? '').split('?')[0] ?? '' });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toErrorData(err) });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const auth: Auth = {
    origin: url,
    secretDigest: digest(secret),
    // Cookies are shared by every port of a host: the port in the name keeps two servers' sessions apart.
    cookieName: `callsift_session_${port}`,
    cookieValue: createHmac('sha256', secret).update('callsift browser session').digest('base64url'),
  };
  ctx = { host, staticDir, auth, guard };
  return {
    server,
    url,
    secret,
    loginUrl: `${url}/?secret=${secret}`,
    roots,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

interface Context {
  readonly host: ServiceHost;
  readonly staticDir: string;
  readonly auth: Auth;
  readonly guard: ArgumentGuard;
}

async function handle(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isLocalRequest(req)) {
    sendJson(res, 403, { ok: false, error: errorData('forbidden', sentence('cross_site')) });
    return;
  }
  let url: URL;
  let pathname: string;
  try {
    url = new URL(req.url ?? '/', 'http://127.0.0.1');
    pathname = decodeURIComponent(url.pathname);
  } catch {
    sendJson(res, 400, { ok: false, error: errorData('invalid_argument', sentence('bad_address')) });
    return;
  }
  const isApi = pathname.startsWith('/rpc/') || pathname === '/events';
  if (isApi && !isAuthorized(ctx.auth, req)) {
    res.setHeader('www-authenticate', 'Bearer realm="Callsift"');
    sendJson(res, 401, {
      ok: false,
      error: {
        ...errorData('unauthorized', sentence('no_session', { origin: ctx.auth.origin })),
        message: `No valid Callsift session: open the link Callsift printed in the terminal (${ctx.auth.origin}/?secret=…), or send "Authorization: Bearer SECRET".`,
      },
    });
    return;
  }
  if (pathname.startsWith('/rpc/')) {
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: errorData('invalid_argument', sentence('use_post')) });
      return;
    }
    await handleRpc(ctx, pathname.slice(5), req, res);
    return;
  }
  if (pathname === '/events') {
    handleEvents(ctx.host, req, res);
    return;
  }
  if (url.searchParams.has('secret') && (req.method === 'GET' || req.method === 'HEAD')) {
    exchangeSecret(ctx.auth, url.searchParams.get('secret') ?? '', res);
    return;
  }
  await serveStatic(ctx.staticDir, pathname, res);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison: both sides are hashed to the same length first. */
function sameText(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(given), expectedDigest);
}

/** True when the request carries the secret as a Bearer token or the session cookie. */
function isAuthorized(auth: Auth, req: IncomingMessage): boolean {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(header);
    return match !== null && sameText(match[1]!, auth.secretDigest);
  }
  const cookie = readCookie(req.headers.cookie, auth.cookieName);
  return cookie !== null && sameText(cookie, digest(auth.cookieValue));
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** `GET /?secret=…`: the right secret gets the session cookie and a 303 to `/`, so it leaves the address bar. */
function exchangeSecret(auth: Auth, given: string, res: ServerResponse): void {
  if (!sameText(given, auth.secretDigest)) {
    const text =
      'This link\'s secret is wrong or from an earlier start. Open the link Callsift printed in the terminal.\n' +
      '链接中的密钥不对，或来自之前的一次启动。请打开 Callsift 在终端中打印的链接。\n';
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  res.writeHead(303, {
    location: '/',
    'set-cookie': `${auth.cookieName}=${auth.cookieValue}; Path=/; HttpOnly; SameSite=Strict`,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-length': 0,
  });
  res.end();
}

/** Refuses cross-site requests (CSRF) and foreign Host headers (DNS rebinding). */
function isLocalRequest(req: IncomingMessage): boolean {
  const hostHeader = req.headers.host ?? '';
  const hostname = hostHeader.replace(/:\d+$/, '');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) return false;
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}

async function handleRpc(ctx: Context, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    sendJson(res, 415, { ok: false, error: errorData('invalid_argument', sentence('not_json_body')) });
    return;
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (!body.ok) {
    const words = sentence('body_too_large', { size: (body.bytes / MB).toFixed(1), max: MAX_BODY_BYTES / MB, file: maxImportContentBytes / MB });
    sendJson(res, 413, { ok: false, error: errorData('invalid_argument', words) });
    return;
  }
  let arg: unknown;
  try {
    arg = body.text.trim() === '' ? {} : JSON.parse(body.text);
  } catch (err) {
    sendJson(res, 400, { ok: false, error: { ...errorData('invalid_argument', sentence('body_not_json')), message: `The request body is not valid JSON: ${(err as Error).message}` } });
    return;
  }
  if (isHostMethodName(method)) {
    sendJson(res, 404, { ok: false, error: errorData('unknown_method', sentence('desktop_only', { method })) });
    return;
  }
  const envelope = await dispatch(ctx.host.services, method, arg, ctx.guard, recordCallFailure);
  sendJson(res, envelope.ok ? 200 : STATUS[envelope.error.code], envelope);
}

function handleEvents(host: ServiceHost, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');
  const offs = eventNames.map((name) => host.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)));
  const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
  req.on('close', () => {
    clearInterval(ping);
    for (const off of offs) off();
  });
}

async function serveStatic(staticDir: string, pathname: string, res: ServerResponse): Promise<void> {
  const relative = normalize(pathname).replace(/^([/\\])+/, '');
  let file = join(staticDir, relative);
  if (!file.startsWith(staticDir + sep) && file !== staticDir) {
    res.writeHead(403).end();
    return;
  }
  let info = await stat(file).catch(() => null);
  if (!info && relative.startsWith('assets')) {
    // A chunk an older page asks for after an upgrade: a 404 lets it report the failure instead of parsing HTML.
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  if (!info || info.isDirectory()) {
    file = join(staticDir, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`The UI is not built: run "npm run build" (looked in ${staticDir}).`);
    return;
  }
  const isHtml = file.endsWith('.html');
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  createReadStream(file).pipe(res);
}

type Body = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly bytes: number };

/**
 * Reads the body up to `limit` bytes. A longer one is read to its end and dropped (up to MAX_DISCARD_BYTES more),
 * so the client finishes sending and can read the 413; resetting the connection would hide the answer.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((ok, fail) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + MAX_DISCARD_BYTES) req.destroy();
      else chunks = [];
    });
    req.on('end', () => ok(size > limit ? { ok: false, bytes: size } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', fail);
  });
}

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
