import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceHost, type ServiceHost } from '../services';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from '../services/store/testCalls';
import { startHttpBridge, type HttpBridge } from './httpBridge';

let root: string;
let host: ServiceHost;
let bridge: HttpBridge;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-bridge-'));
  const ws = join(root, 'ws');
  await createTestWorkspace(ws, makeTestIntents([{ id: 'confirm', name: '确认本人' }]), makeTestCalls(5));
  const ui = join(root, 'ui');
  await mkdir(ui);
  await writeFile(join(ui, 'index.html'), '<!doctype html><title>Callsift</title>');
  host = await createServiceHost({ dataDir: join(root, 'data'), workspaceFolder: ws });
  bridge = await startHttpBridge(host, { port: 0, staticDir: ui });
});
afterAll(async () => {
  await bridge.close();
  await host.close();
  await rm(root, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${bridge.secret}` });
const rpc = (method: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${bridge.url}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(), ...headers }, body });

describe('HTTP bridge', () => {
  it('runs a contract method and returns its value in an envelope', async () => {
    const res = await rpc('queue.listQueues', '{}');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { id: string; count: number; ready: boolean }[] };
    expect(body.ok).toBe(true);
    expect(body.value.slice(0, 2)).toEqual([
      { id: 'unlabeled', count: 10, ready: true },
      { id: 'recent', count: 0, ready: true },
    ]);
    expect(body.value.slice(2).map((q) => [q.id, q.ready])).toEqual([
      ['uncovered', false],
      ['informative', false],
      ['mislabeled', false],
      ['disagreements', false],
    ]);
  });

  it('answers an unknown method with a typed error in words', async () => {
    const res = await rpc('label.deleteEverything', '{}');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      ok: false,
      error: {
        code: 'unknown_method',
        message: 'This Callsift server does not know the function label.deleteEverything.',
        sentences: [{ key: 'unknown_method', params: { method: 'label.deleteEverything' } }],
      },
    });
  });

  it('rejects a bad argument naming the field, before any service runs', async () => {
    const res = await rpc('label.setLabel', JSON.stringify({ utteranceId: 'c0#1', target: { kind: 'intent' } }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: false; error: { code: string; message: string; details: { field: string } } };
    expect(body.error.code).toBe('invalid_argument');
    expect(body.error.details.field).toBe('target.intentId');
    expect(body.error.message).toMatch(/label\.setLabel.*target\.intentId/);
    const queues = (await (await rpc('queue.listQueues', '{}')).json()) as { value: { count: number }[] };
    expect(queues.value[1]!.count).toBe(0);
  });

  it('rejects extra fields and malformed JSON', async () => {
    const extra = (await (await rpc('queue.listQueues', '{"evil":1}')).json()) as { error: { code: string } };
    expect(extra.error.code).toBe('invalid_argument');
    const res = await rpc('queue.listQueues', '{not json');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  });

  it('says that native dialogs need the desktop app', async () => {
    const body = (await (await rpc('host.showOpenDialog', '{}')).json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unknown_method');
    expect(body.error.message).toMatch(/desktop app/);
  });

  it('refuses requests from other origins and foreign Host headers', async () => {
    const res = await rpc('queue.listQueues', '{}', { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const rebound = await rawRequest(bridge.url, '/rpc/queue.listQueues', { host: 'evil.example:80', 'content-type': 'application/json', ...auth() });
    expect(rebound.status).toBe(403);
    const local = await rawRequest(bridge.url, '/rpc/queue.listQueues', { host: new URL(bridge.url).host, 'content-type': 'application/json', ...auth() });
    expect(local.status).toBe(200);
  });

  it('refuses a text/plain body (a cross-site form), with or without the secret', async () => {
    const form = await fetch(`${bridge.url}/rpc/queue.listQueues`, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth() }, body: '{}' });
    expect(form.status).toBe(415);
    const anonymous = await fetch(`${bridge.url}/rpc/queue.listQueues`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(anonymous.status).toBe(401);
  });

  it('labels, then streams the change as a server-sent event', async () => {
    const controller = new AbortController();
    const events = await fetch(`${bridge.url}/events`, { signal: controller.signal, headers: auth() });
    const reader = events.body!.getReader();
    const setRes = await rpc('label.setLabel', JSON.stringify({ utteranceId: 'c0#1', target: { kind: 'intent', intentId: 'confirm' } }));
    expect(setRes.status).toBe(200);
    let text = '';
    while (!text.includes('onDidChangeLabels')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: onDidChangeLabels\ndata: {"count":1}');
    controller.abort();
  });

  it('serves the built UI with a strict content security policy', async () => {
    const res = await fetch(`${bridge.url}/label`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Callsift</title>');
    const escape = await fetch(`${bridge.url}/..%2F..%2Fetc%2Fpasswd`);
    expect(await escape.text()).not.toContain('root:');
  });

  it('answers a missing asset with 404, not the page, so a stale lazy view fails visibly', async () => {
    const res = await fetch(`${bridge.url}/assets/ModelsView-gone.js`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<title>');
  });
});

/** A POST with headers fetch may not set (Host), over node:http. */
function rawRequest(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path, method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end('{}');
  });
}
