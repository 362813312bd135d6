import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostMethodNameList } from '../../shared/contract/names';
import { methodNames, pathFields } from '../../shared/contract/schemas';
import { createServiceHost, type ServiceHost } from '../services';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from '../services/store/testCalls';
import { MAX_BODY_BYTES, startHttpBridge, type HttpBridge } from './httpBridge';
import { makePolicyFolders } from './testServer';

interface ErrorBody {
  ok: false;
  error: { code: string; message: string; sentences?: unknown; details?: { field?: string } };
}

let root: string;
let ws: string;
let allowed: string;
let outside: string;
let host: ServiceHost;
let bridge: HttpBridge;

beforeAll(async () => {
  ({ root, ws, allowed, outside } = await makePolicyFolders('callsift-security-'));
  await createTestWorkspace(ws, makeTestIntents(['confirm', 'busy']), makeTestCalls(5));
  await createTestWorkspace(join(allowed, 'other'), makeTestIntents([{ id: 'refund', name: 'Refund' }]), makeTestCalls(1));
  await createTestWorkspace(join(outside, 'ws'), makeTestIntents([{ id: 'leak', name: 'Leak' }]), makeTestCalls(1));
  const callsLine = JSON.stringify({ call_id: 'x1', turns: [{ speaker: 'user', text: '你好' }] }) + '\n';
  await writeFile(join(allowed, 'calls.jsonl'), callsLine);
  await writeFile(join(outside, 'calls.jsonl'), callsLine);
  await writeFile(join(outside, 'target.jsonl'), 'untouched\n');
  await symlink(outside, join(ws, 'out-link'));
  await symlink(join(outside, 'target.jsonl'), join(ws, 'labels-link.jsonl'));
  await symlink(join(outside, 'calls.jsonl'), join(ws, 'calls-link.jsonl'));
  const ui = join(root, 'ui');
  await mkdir(ui);
  await writeFile(join(ui, 'index.html'), '<!doctype html><title>Callsift</title>');
  host = await createServiceHost({ dataDir: join(root, 'data'), workspaceFolder: ws });
  bridge = await startHttpBridge(host, { port: 0, staticDir: ui, allow: [allowed] });
});
afterAll(async () => {
  await bridge?.close();
  await host?.close();
  await rm(root, { recursive: true, force: true });
});

const bearer = () => ({ authorization: `Bearer ${bridge.secret}` });
function post(method: string, arg: unknown, headers: Record<string, string> = bearer()): Promise<Response> {
  return fetch(`${bridge.url}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(arg) });
}

async function expectUnauthorized(res: Response, what: string): Promise<void> {
  expect(res.status, what).toBe(401);
  const body = (await res.json()) as ErrorBody;
  expect(body.ok, what).toBe(false);
  expect(body.error.code, what).toBe('unauthorized');
  expect(body.error.message, what).toMatch(/Open the link Callsift printed in the terminal/i);
}

describe('browser mode needs the secret', () => {
  const everyMethod: readonly string[] = [...methodNames, ...hostMethodNameList];

  it('answers 401 to every contract and host method, and to /events, without the secret', async () => {
    expect(everyMethod.length).toBeGreaterThan(50);
    for (const method of everyMethod) await expectUnauthorized(await post(method, {}, {}), method);
    await expectUnauthorized(await fetch(`${bridge.url}/events`), '/events');
    await expectUnauthorized(await post('no.suchMethod', {}, {}), 'an unknown method');
  });

  it('answers 401 to a wrong secret, a wrong cookie and a malformed Authorization header', async () => {
    const wrong = { authorization: `Bearer ${'A'.repeat(43)}` };
    for (const method of everyMethod) await expectUnauthorized(await post(method, {}, wrong), method);
    await expectUnauthorized(await fetch(`${bridge.url}/events`, { headers: wrong }), '/events');
    const cookieName = `callsift_session_${new URL(bridge.url).port}`;
    await expectUnauthorized(await post('workspace.getInfo', {}, { cookie: `${cookieName}=forged` }), 'forged cookie');
    await expectUnauthorized(await post('workspace.getInfo', {}, { cookie: `${cookieName}=${bridge.secret}` }), 'the secret as cookie');
    await expectUnauthorized(await post('workspace.getInfo', {}, { authorization: `Basic ${bridge.secret}` }), 'Basic scheme');
    await expectUnauthorized(await post('workspace.getInfo', {}, { authorization: `Bearer ${bridge.secret}x` }), 'longer secret');
    await expectUnauthorized(await post('workspace.getInfo', {}, { authorization: `Bearer ${bridge.secret.slice(0, -1)}` }), 'shorter secret');
  });

  it('runs methods for the Bearer secret', async () => {
    const res = await post('workspace.getInfo', {});
    expect(res.status).toBe(200);
    expect(((await res.json()) as { value: { folder: string } }).value.folder).toBe(ws);
  });

  it('trades the printed secret for an HttpOnly, SameSite=Strict session cookie and a 303 to / without it', async () => {
    expect(bridge.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bridge.loginUrl).toBe(`${bridge.url}/?secret=${bridge.secret}`);
    const res = await fetch(bridge.loginUrl, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const setCookie = res.headers.get('set-cookie') ?? '';
    const [pair, ...flags] = setCookie.split(';').map((s) => s.trim());
    expect(pair).toMatch(new RegExp(`^callsift_session_${new URL(bridge.url).port}=[A-Za-z0-9_-]{43}$`));
    expect(pair).not.toContain(bridge.secret);
    expect(flags).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict']));
    expect(setCookie).not.toMatch(/Max-Age|Expires|Domain/i);

    const cookie = { cookie: pair! };
    const info = await post('workspace.getInfo', {}, cookie);
    expect(info.status).toBe(200);
    const controller = new AbortController();
    const events = await fetch(`${bridge.url}/events`, { headers: cookie, signal: controller.signal });
    expect(events.status).toBe(200);
    controller.abort();

    // The redirect lands on the UI with nothing secret in the address.
    const followed = await fetch(bridge.loginUrl);
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${bridge.url}/`);
  });

  it('answers a wrong secret in the link with 401 and no cookie', async () => {
    const res = await fetch(`${bridge.url}/?secret=${'B'.repeat(43)}`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toMatch(/Open the link Callsift printed in the terminal/);
  });

  it('serves the UI without a session: it holds no data', async () => {
    const res = await fetch(`${bridge.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Callsift</title>');
  });
});

/** A valid argument for each method with a path field, the path left to the test. */
const argsWithPath: { readonly [M in keyof typeof pathFields]: (path: string) => Record<string, unknown> } = {
  'workspace.openWorkspace': (folder) => ({ folder }),
  'intent.listFromWorkspace': (folder) => ({ folder }),
  'intent.addFromWorkspace': (folder) => ({ folder, ids: ['leak'] }),
  'transfer.importFile': (path) => ({ path }),
  'transfer.previewImport': (path) => ({ path }),
  'transfer.exportFile': (path) => ({ path, format: 'jsonl' }),
  'model.exportReportFile': (path) => ({ path, format: 'csv' }),
};

async function expectForbidden(res: Response, field: string, what: string): Promise<ErrorBody> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, `${what}: ${JSON.stringify(body)}`).toBe(403);
  expect(body.error.code, what).toBe('forbidden');
  expect(body.error.details?.field, what).toBe(field);
  expect(body.error.message, what).toContain(`(field "${field}")`);
  return body;
}

describe('path arguments stay inside the workspace, the data folder and --allow folders', () => {
  it('refuses every path field pointing outside: absolute, .., relative to the server and through a symlink', async () => {
    const escapes = (kind: string) => [
      join(outside, kind === 'folder' ? 'ws' : 'calls.jsonl'),
      join(ws, '..', 'outside', kind === 'folder' ? 'ws' : 'calls.jsonl'),
      kind === 'folder' ? 'outside-ws' : 'calls.jsonl',
      join(ws, 'out-link', kind === 'folder' ? 'ws' : 'calls.jsonl'),
      '/',
    ];
    const methods = Object.keys(argsWithPath) as (keyof typeof pathFields)[];
    expect(methods.sort()).toEqual(Object.keys(pathFields).sort());
    for (const method of methods) {
      for (const [field, kind] of Object.entries(pathFields[method])) {
        for (const path of escapes(kind)) await expectForbidden(await post(method, argsWithPath[method](path)), field, `${method} ${path}`);
      }
    }
    expect(existsSync(join(outside, 'calls.jsonl.tmp'))).toBe(false);
    expect((await readFile(join(outside, 'calls.jsonl'), 'utf8')).startsWith('{')).toBe(true);
    expect(existsSync(join(process.cwd(), 'outside-ws'))).toBe(false);
    const info = (await (await post('workspace.getInfo', {})).json()) as { value: { folder: string; calls: number } };
    expect(info.value.folder).toBe(ws);
  });

  it('refuses an export through an existing symlink, even one inside the workspace, and leaves its target alone', async () => {
    await expectForbidden(await post('transfer.exportFile', { path: join(ws, 'labels-link.jsonl'), format: 'jsonl' }), 'path', 'final symlink');
    await expectForbidden(await post('transfer.exportFile', { path: join(ws, 'out-link', 'labels.jsonl'), format: 'jsonl' }), 'path', 'symlinked folder');
    expect(await readFile(join(outside, 'target.jsonl'), 'utf8')).toBe('untouched\n');
    expect(existsSync(join(outside, 'labels.jsonl'))).toBe(false);
  });

  it('refuses reading a file through a symlink inside the workspace that points outside', async () => {
    const body = await expectForbidden(await post('transfer.importFile', { path: join(ws, 'calls-link.jsonl') }), 'path', 'import via link');
    expect(body.error.message).toContain(`resolves to ${join(outside, 'calls.jsonl')}`);
    expect(body.error.message).toMatch(/--allow DIR/);
  });

  it('runs the same methods inside the allowed folders, with the canonical path', async () => {
    const exported = await post('transfer.exportFile', { path: join(allowed, 'sub', '..', 'labels.jsonl'), format: 'jsonl' });
    expect(exported.status).toBe(200);
    expect(((await exported.json()) as { value: { path: string } }).value.path).toBe(join(allowed, 'labels.jsonl'));
    expect(existsSync(join(allowed, 'labels.jsonl'))).toBe(true);
    expect((await post('transfer.exportFile', { path: join(ws, 'labels.csv'), format: 'csv' })).status).toBe(200);
    expect((await post('transfer.exportFile', { path: join(root, 'data', 'labels.csv'), format: 'csv' })).status).toBe(200);
    const imported = await post('transfer.importFile', { path: join(allowed, 'calls.jsonl') });
    expect(imported.status).toBe(200);
    const listed = await post('intent.listFromWorkspace', { folder: join(allowed, 'other') });
    expect(((await listed.json()) as { value: { name: string }[] }).value.map((i) => i.name)).toEqual(['Refund']);
  });

  it('refuses sync.connect to anything but an http(s) address, naming the field', async () => {
    for (const url of ['file:///etc/passwd', 'data:text/plain,x', 'ftp://example.com']) {
      const res = await post('sync.connect', { url, token: 't', project: 'p' });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('invalid_argument');
      expect(body.error.details?.field).toBe('url');
      expect(body.error.message).toMatch(/http:\/\/ or https:\/\//);
    }
  });

  it('opens a workspace inside an allowed folder, and not one outside (run last: it switches the workspace)', async () => {
    await expectForbidden(await post('workspace.openWorkspace', { folder: join(outside, 'new-ws') }), 'folder', 'new outside');
    expect(existsSync(join(outside, 'new-ws'))).toBe(false);
    const opened = await post('workspace.openWorkspace', { folder: join(allowed, 'other') });
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as { value: { folder: string } }).value.folder).toBe(join(allowed, 'other'));
    // The workspace open at start stays allowed after switching away from it.
    expect((await post('workspace.openWorkspace', { folder: ws })).status).toBe(200);
  });
});

describe('limits and malformed addresses', () => {
  it('answers a 100 MB body with a 413 the client can read, in words', async () => {
    const body = 'x'.repeat(100 * 1024 * 1024);
    const res = await fetch(`${bridge.url}/rpc/transfer.importContent`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer() }, body });
    expect(res.status).toBe(413);
    const envelope = (await res.json()) as ErrorBody;
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('invalid_argument');
    expect(envelope.error.message).toContain(`larger than the ${MAX_BODY_BYTES / 1024 / 1024} MB the server reads`);
    expect(envelope.error.message).toContain('a file of up to 64 MB can be uploaded');
    expect(envelope.error.sentences).toEqual([{ key: 'body_too_large', params: { size: '100.0', max: MAX_BODY_BYTES / 1024 / 1024, file: 64 } }]);
    // The connection is still usable afterwards.
    expect((await post('workspace.getInfo', {})).status).toBe(200);
  });

  it('answers malformed %-escapes with 400 in words, never 500', async () => {
    for (const path of ['/%c0%ae%c0%ae/', '/rpc/%E0%A4%A', '/%E0%A4%A', '/assets/%ff.js']) {
      for (const headers of [{}, bearer()]) {
        const res = await fetch(`${bridge.url}${path}`, { method: path.startsWith('/rpc/') ? 'POST' : 'GET', headers: { 'content-type': 'application/json', ...headers } });
        expect(res.status, path).toBe(400);
        const body = (await res.json()) as ErrorBody;
        expect(body.error.code).toBe('invalid_argument');
        expect(body.error.message).toMatch(/malformed/);
      }
    }
  });
});
