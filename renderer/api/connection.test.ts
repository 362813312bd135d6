import { describe, expect, it } from 'vitest';
import { watchConnection, type ConnectionState } from './connection';
import { SERVER_UNREACHABLE, type Transport } from './transport';

function fake() {
  let up = true;
  const stream = new Set<(open: boolean) => void>();
  const timers: (() => void)[] = [];
  const probes: boolean[] = [];
  const transport: Transport = {
    kind: 'browser',
    async invoke() {
      return up ? { ok: true, value: 1 } : { ok: false, error: { code: 'io', message: 'Cannot reach', details: { reason: SERVER_UNREACHABLE } } };
    },
    on: () => () => undefined,
    onStream(listener) {
      stream.add(listener);
      return () => stream.delete(listener);
    },
    async probe() {
      probes.push(up);
      return up;
    },
  };
  return {
    transport,
    timers,
    probes,
    setUp: (v: boolean) => (up = v),
    dropStream: () => stream.forEach((l) => l(false)),
    openStream: () => stream.forEach((l) => l(true)),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('watchConnection', () => {
  it('goes offline when a call cannot reach the server, probes until it answers, then comes back online once', async () => {
    const f = fake();
    const watch = watchConnection(f.transport, { setTimer: (run) => f.timers.push(run) });
    const seen: ConnectionState[] = [];
    watch.on((s) => seen.push(s));
    expect(await watch.transport.invoke('label.setLabel', {})).toMatchObject({ ok: true });
    expect(watch.state()).toBe('online');

    f.setUp(false);
    await watch.transport.invoke('label.setLabel', {});
    expect(watch.state()).toBe('offline');
    await watch.transport.invoke('label.setLabel', {});
    expect(f.timers).toHaveLength(1);
    f.timers.shift()!();
    await flush();
    expect(f.probes).toEqual([false]);
    expect(f.timers).toHaveLength(1);

    f.setUp(true);
    f.timers.shift()!();
    await flush();
    expect(f.probes).toEqual([false, true]);
    expect(watch.state()).toBe('online');
    expect(seen).toEqual(['offline', 'online']);
    expect(f.timers).toHaveLength(0);
  });

  it('hears the event stream drop and reopen, without waiting for a call', () => {
    const f = fake();
    const watch = watchConnection(f.transport, { setTimer: (run) => f.timers.push(run) });
    f.dropStream();
    expect(watch.state()).toBe('offline');
    f.openStream();
    expect(watch.state()).toBe('online');
  });

  it('stays online for answers that are errors of the service, not of the connection', async () => {
    const f = fake();
    const inner: Transport = { ...f.transport, invoke: async () => ({ ok: false, error: { code: 'io', message: 'The disk is full', details: { reason: 'disk_full' } } }) };
    const watch = watchConnection(inner, { setTimer: (run) => f.timers.push(run) });
    await watch.transport.invoke('label.setLabel', {});
    expect(watch.state()).toBe('online');
  });
});
