import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../shared/contract/host';

type Relay = (event: unknown, ...args: unknown[]) => void;

/** Stands in for the parts of Electron's sandboxed preload environment the bridge uses. */
class FakeElectron {
  readonly exposed: { key: string; api: unknown }[] = [];
  readonly invoked: unknown[][] = [];
  readonly listeners = new Map<string, Relay[]>();
  invokeResult: unknown = { ok: true, value: 'from-main' };

  readonly module = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        this.exposed.push({ key, api });
      },
    },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        this.invoked.push(args);
        return this.invokeResult;
      },
      on: (channel: string, listener: Relay) => {
        this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
      },
      removeListener: (channel: string, listener: Relay) => {
        this.listeners.set(
          channel,
          (this.listeners.get(channel) ?? []).filter((l) => l !== listener),
        );
      },
    },
  };

  emit(channel: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: 'ipc-event-object' }, ...args);
  }
}

interface Bridge {
  invoke(method: string, arg: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

const hoisted = vi.hoisted(() => ({ current: null as FakeElectron | null }));

vi.mock('electron', () => ({
  get contextBridge() {
    return hoisted.current!.module.contextBridge;
  },
  get ipcRenderer() {
    return hoisted.current!.module.ipcRenderer;
  },
}));

/** The behaviour every form of the preload (TS source, built bundle) must show. */
async function assertContractOnly(fake: FakeElectron): Promise<void> {
  expect(fake.exposed).toHaveLength(1);
  const [{ key, api }] = fake.exposed as [{ key: string; api: unknown }];
  expect(key).toBe('callsift');
  expect(Object.keys(api as object).sort()).toEqual(['invoke', 'on']);
  expect(Object.getOwnPropertyNames(api as object).sort()).toEqual(['invoke', 'on']);
  const bridge = api as Bridge;
  expect(typeof bridge.invoke).toBe('function');
  expect(typeof bridge.on).toBe('function');

  await expect(bridge.invoke('queue.getPage', { queue: 'unlabeled' })).resolves.toEqual({ ok: true, value: 'from-main' });
  await expect(bridge.invoke('host.showOpenDialog', {})).resolves.toEqual({ ok: true, value: 'from-main' });
  expect(fake.invoked).toEqual([
    [ipcChannels.invoke, 'queue.getPage', { queue: 'unlabeled' }],
    [ipcChannels.invoke, 'host.showOpenDialog', {}],
  ]);

  const unknown = (await bridge.invoke('fs.readFile', { path: '/etc/passwd' })) as { ok: boolean; error: { code: string } };
  expect(unknown.ok).toBe(false);
  expect(unknown.error.code).toBe('unknown_method');
  const proto = (await bridge.invoke('__proto__', {})) as { ok: boolean };
  expect(proto.ok).toBe(false);
  expect(fake.invoked).toHaveLength(2);

  const seen: unknown[] = [];
  const unsubscribeUnknown = bridge.on('onDidEverything', (p) => seen.push(p));
  expect(fake.listeners.get(ipcChannels.event) ?? []).toHaveLength(0);
  unsubscribeUnknown();

  const unsubscribe = bridge.on('onDidChangeLabels', (p) => seen.push(p));
  const unsubscribeMenu = bridge.on('onDidMenuCommand', (p) => seen.push(p));
  expect(fake.listeners.get(ipcChannels.event)).toHaveLength(2);
  fake.emit(ipcChannels.event, 'onDidChangeLabels', { count: 3 });
  fake.emit(ipcChannels.event, 'onDidChangeIntents', {});
  fake.emit(ipcChannels.event, 'onDidMenuCommand', { command: 'undo' });
  expect(seen).toEqual([{ count: 3 }, { command: 'undo' }]);

  unsubscribe();
  unsubscribeMenu();
  expect(fake.listeners.get(ipcChannels.event)).toHaveLength(0);
  fake.emit(ipcChannels.event, 'onDidChangeLabels', { count: 4 });
  expect(seen).toHaveLength(2);

  fake.invokeResult = Promise.reject(new Error('No handler registered'));
  const unreachable = (await bridge.invoke('label.getProgress', {})) as { ok: boolean; error: { code: string } };
  expect(unreachable.ok).toBe(false);
  expect(unreachable.error.code).toBe('internal');
}

describe('preload source', () => {
  beforeEach(() => {
    hoisted.current = new FakeElectron();
    vi.resetModules();
  });
  afterEach(() => {
    hoisted.current = null;
  });

  it('exposes exactly the contract bridge as window.callsift', async () => {
    await import('./index');
    await assertContractOnly(hoisted.current!);
  });
});

const bundlePath = process.env.CALLSIFT_PRELOAD_BUNDLE ?? resolve(__dirname, '../../out/preload/index.cjs');

describe.skipIf(!existsSync(bundlePath))('built preload bundle (out/preload/index.cjs)', () => {
  it('needs nothing but electron and exposes exactly the contract bridge', async () => {
    const fake = new FakeElectron();
    const required: string[] = [];
    const sandboxRequire = (id: string): unknown => {
      required.push(id);
      if (id === 'electron') return fake.module;
      throw new Error(`module not found: ${id} (a sandboxed preload can only require 'electron')`);
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(bundlePath, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console }, { filename: bundlePath });
    expect(required).toEqual(['electron']);
    await assertContractOnly(fake);
  });
});
