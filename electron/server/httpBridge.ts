import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { dispatch } from '../../shared/contract/dispatch';
import type { ContractErrorData, Envelope } from '../../shared/contract/errors';
import { isHostMethodName } from '../../shared/contract/host';
import { eventNames } from '../../shared/contract/services';
import type { ServiceHost } from '../services';

const MAX_BODY_BYTES = 80 * 1024 * 1024;
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
  internal: 500,
};

export interface HttpBridge {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The HTTP bridge of browser mode, on 127.0.0.1 only: `POST /rpc/<method>` runs a contract method
 * (validated exactly as over IPC), `GET /events` streams service events (SSE), everything else serves the built UI.
 */
export async function startHttpBridge(host: ServiceHost, options: { port: number; staticDir: string }): Promise<HttpBridge> {
  const staticDir = resolve(options.staticDir);
  const server = createServer((req, res) => {
    handle(host, staticDir, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: `Unexpected error: ${(err as Error).message}` } });
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
  return {
    server,
    url,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function handle(host: ServiceHost, staticDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!isLocalRequest(req)) {
    sendJson(res, 403, { ok: false, error: { code: 'invalid_argument', message: 'Requests from other sites are refused.' } });
    return;
  }
  if (url.pathname.startsWith('/rpc/')) {
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: { code: 'invalid_argument', message: 'Use POST for /rpc calls.' } });
      return;
    }
    await handleRpc(host, decodeURIComponent(url.pathname.slice(5)), req, res);
    return;
  }
  if (url.pathname === '/events') {
    handleEvents(host, req, res);
    return;
  }
  await serveStatic(staticDir, url.pathname, res);
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

async function handleRpc(host: ServiceHost, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    sendJson(res, 415, { ok: false, error: { code: 'invalid_argument', message: 'Send the argument as application/json.' } });
    return;
  }
  let raw: string;
  try {
    raw = await readBody(req);
  } catch (err) {
    sendJson(res, 413, { ok: false, error: { code: 'invalid_argument', message: (err as Error).message } });
    return;
  }
  let arg: unknown;
  try {
    arg = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (err) {
    sendJson(res, 400, { ok: false, error: { code: 'invalid_argument', message: `The request body is not valid JSON: ${(err as Error).message}` } });
    return;
  }
  if (isHostMethodName(method)) {
    sendJson(res, 404, { ok: false, error: { code: 'unknown_method', message: `${method} needs the desktop app; in the browser, use the file picker instead.` } });
    return;
  }
  const envelope = await dispatch(host.services, method, arg);
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
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
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
  });
  createReadStream(file).pipe(res);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        fail(new Error(`The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
