import { describe, expect, it } from 'vitest';
import { ClientError, createClient, createEvents, createHostClient, isUnauthorizedEnvelope, watchUnauthorized } from './client';
import { createEventHub } from './fakeTransport';
import { createHttpTransport, type Transport } from './transport';

interface Call {
  method: string;
  arg: unknown;
}

function fakeTransport(answer: (method: string, arg: unknown) => unknown): Transport & { calls: Call[]; emit(event: string, payload: unknown): void } {
  const calls: Call[] = [];
  return {
    kind: 'browser',
    calls,
    async invoke(method, arg) {
      calls.push({ method, arg });
      return answer(method, arg);
    },
    ...createEventHub(),
  };
}

describe('createClient', () => {
  it('maps service.method to one invoke and returns the value', async () => {
    const t = fakeTransport(() => ({ ok: true, value: { actionId: 'a1', changed: 1, labels: [] } }));
    const api = createClient(t);
    const result = await api.label.setLabel({ utteranceId: 'c1#1', target: { kind: 'none' } });
    expect(result.actionId).toBe('a1');
    expect(t.calls).toEqual([{ method: 'label.setLabel', arg: { utteranceId: 'c1#1', target: { kind: 'none' } } }]);
  });

  it('throws a ClientError with code, message and details from an error envelope', async () => {
    const t = fakeTransport(() => ({
      ok: false,
      error: { code: 'invalid_argument', message: 'Invalid argument (field "name")', details: { field: 'name' } },
    }));
    const api = createClient(t);
    const err = await api.intent.createIntent({ name: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    const ce = err as ClientError;
    expect(ce.code).toBe('invalid_argument');
    expect(ce.details).toEqual({ field: 'name' });
    expect(ce.method).toBe('intent.createIntent');
    expect(ce.message).toContain('field "name"');
  });

  it('treats a malformed answer as an internal error', async () => {
    const api = createClient(fakeTransport(() => 'nonsense'));
    await expect(api.queue.listQueues({})).rejects.toMatchObject({ code: 'internal', method: 'queue.listQueues' });
  });

  it('sends an empty object when called without argument fields', async () => {
    const t = fakeTransport(() => ({ ok: true, value: [] }));
    await createClient(t).call.listCampaigns({});
    expect(t.calls[0]).toEqual({ method: 'call.listCampaigns', arg: {} });
  });

  it('calls host methods by their names', async () => {
    const t = fakeTransport((m) => (m === 'host.showOpenDialog' ? { ok: true, value: { path: '/tmp/x.csv' } } : { ok: false, error: { code: 'unknown_method', message: 'no' } }));
    const host = createHostClient(t);
    await expect(host.showOpenDialog({ filters: [] })).resolves.toEqual({ path: '/tmp/x.csv' });
    await expect(host.showSaveDialog({})).rejects.toMatchObject({ code: 'unknown_method' });
  });
});

describe('watchUnauthorized', () => {
  it('tells the listener about each unauthorized answer and passes every answer on unchanged', async () => {
    const unauthorized = { ok: false, error: { code: 'unauthorized', message: 'Open the link Callsift printed in the terminal.' } };
    const t = fakeTransport((m) => (m === 'workspace.getInfo' ? unauthorized : { ok: false, error: { code: 'forbidden', message: 'no' } }));
    let heard = 0;
    const api = createClient(watchUnauthorized(t, () => heard++));
    await expect(api.workspace.getInfo({})).rejects.toMatchObject({ code: 'unauthorized', message: 'Open the link Callsift printed in the terminal.' });
    await expect(api.transfer.exportFile({ path: '/etc/x', format: 'csv' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(heard).toBe(1);
    expect(t.calls.map((c) => c.method)).toEqual(['workspace.getInfo', 'transfer.exportFile']);
  });

  it('recognizes only a well-formed unauthorized envelope', () => {
    expect(isUnauthorizedEnvelope({ ok: false, error: { code: 'unauthorized', message: 'x' } })).toBe(true);
    expect(isUnauthorizedEnvelope({ ok: true, value: { code: 'unauthorized' } })).toBe(false);
    expect(isUnauthorizedEnvelope({ ok: false, error: { code: 'unauthorized' } })).toBe(false);
    expect(isUnauthorizedEnvelope(null)).toBe(false);
  });
});

describe('createEvents', () => {
  it('delivers payloads and unsubscribes', () => {
    const t = fakeTransport(() => null);
    const events = createEvents(t);
    const seen: number[] = [];
    const off = events.on('onDidChangeLabels', (p) => seen.push(p.count));
    t.emit('onDidChangeLabels', { count: 3 });
    off();
    t.emit('onDidChangeLabels', { count: 4 });
    expect(seen).toEqual([3]);
  });
});

describe('createHttpTransport', () => {
  it('posts JSON to /rpc/<method> and reads error envelopes from 4xx answers', async () => {
    const requests: { url: string; body: string }[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      requests.push({ url: String(input), body: String(init?.body) });
      return new Response(JSON.stringify({ ok: false, error: { code: 'not_found', message: 'No call c9' } }), { status: 404 });
    };
    const api = createClient(createHttpTransport({ fetchImpl }));
    await expect(api.call.getCall({ callId: 'c9' })).rejects.toMatchObject({ code: 'not_found', message: 'No call c9' });
    expect(requests).toEqual([{ url: '/rpc/call.getCall', body: '{"callId":"c9"}' }]);
  });

  it('reads the 401 envelope of a page without a session as an unauthorized error', async () => {
    const fetchImpl: typeof fetch = async () =>
      new Response(JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'No valid Callsift session' } }), { status: 401 });
    const api = createClient(createHttpTransport({ fetchImpl }));
    await expect(api.queue.listQueues({})).rejects.toMatchObject({ code: 'unauthorized', method: 'queue.listQueues' });
  });

  it('reports an unreachable server as an io error', async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const api = createClient(createHttpTransport({ fetchImpl }));
    await expect(api.workspace.getInfo({})).rejects.toMatchObject({ code: 'io' });
  });

  it('reports a non-JSON body as an io error with the status', async () => {
    const fetchImpl: typeof fetch = async () => new Response('<html>', { status: 502 });
    const api = createClient(createHttpTransport({ fetchImpl }));
    await expect(api.workspace.getInfo({})).rejects.toThrow(/502/);
  });
});
