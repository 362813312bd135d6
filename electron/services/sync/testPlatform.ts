import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabelTarget } from '../../../shared/contract/dto';
import type { ContractError } from '../../../shared/contract/errors';
import { toUtteranceId } from '../../../shared/domain/types';
import { DEMO_DEFAULT_SEED, generateDemoCalls } from '../../../resources/demo/demoGenerator';
import { startPlatform, type Platform, type PlatformOptions } from '../../../platform/server';
import { simulatedCallId } from '../../../platform/simulator';
import { apiClient, type ApiClient } from '../../../platform/testPlatform';
import type { ServiceHost } from '../index';
import type { SyncOptions } from '../syncService';
import { FAST_SYNC, openTestApp, syncAndWait, TEST_TOKEN } from './testSync';

/** A reference platform on a loopback port and an app linked to its `demo` project, for the sync and gate tests. */
export interface TestPlatform {
  readonly platform: Platform;
  /** The platform's HTTP API with the test token. */
  readonly api: ApiClient;
  readonly host: ServiceHost;
  /** The folder holding the platform's data and the workspace. */
  readonly root: string;
  /** The app's workspace folder. */
  readonly workspace: string;
  /** Simulates `calls` calls with the active model (at `startAt`, `spacingMs` apart, when given); their feed positions. */
  simulate(calls: number, startAt?: number, spacingMs?: number): Promise<{ firstSeq: number; lastSeq: number }>;
  /** Syncs and waits for the end; throws unless the sync is done. */
  sync(): Promise<void>;
  /** Labels utterances in one bulk call per target. */
  labelAll(items: readonly { readonly utteranceId: string; readonly target: LabelTarget }[]): Promise<void>;
  /** Trains and waits; the new local version. */
  train(): Promise<number>;
  /** Stops the platform (once; `close` does not stop it again). */
  stopPlatform(): Promise<void>;
  /** Closes the app, then the platform, and removes the folder when the fixture made it. */
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  /** The folder to use (kept on close); default: a new temporary folder named with `prefix`, removed on close. */
  readonly root?: string;
  readonly prefix?: string;
  /** The workspace's name under the root (default `ws`). */
  readonly name?: string;
  /** The annotator (default `lead`). */
  readonly annotator?: string;
  /** Link to the platform's `demo` project (default true). */
  readonly connect?: boolean;
  readonly sync?: Omit<SyncOptions, 'secrets'>;
  readonly platform?: Partial<PlatformOptions>;
}

/**
 * Starts a platform (data in `<root>/platform`, random loopback port) and an app on a new workspace `<root>/<name>`,
 * linked to the platform's `demo` project unless `connect` is false.
 */
export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const temp = options.root === undefined ? await tempRoot(options.prefix ?? 'callsift-platform-') : null;
  const root = options.root ?? temp!.root;
  const bare = await startBarePlatform(root, options.platform);
  const { platform, api } = bare;
  const name = options.name ?? 'ws';
  let host: ServiceHost;
  try {
    host = await openTestApp(root, name, options.annotator ?? 'lead', options.sync ?? FAST_SYNC);
    if (options.connect !== false) await host.services.sync.connect({ url: platform.url, token: TEST_TOKEN, project: 'demo' });
  } catch (err) {
    await bare.stop();
    await temp?.remove();
    throw err;
  }
  return {
    platform,
    api,
    host,
    root,
    workspace: join(root, name),
    async simulate(calls, startAt, spacingMs) {
      const body = { calls, ...(startAt === undefined ? {} : { startAt }), ...(spacingMs === undefined ? {} : { spacingMs }) };
      const res = await api.call<{ firstSeq: number; lastSeq: number }>('POST', '/projects/demo/simulate', body);
      if (res.status !== 200) throw new Error(`simulate answered ${res.status}`);
      return res.json;
    },
    async sync() {
      const end = await syncAndWait(host);
      if (end.state !== 'done') throw new Error(`the sync ended ${end.state}`);
    },
    async labelAll(items) {
      const groups = new Map<string, { target: LabelTarget; ids: string[] }>();
      for (const item of items) {
        const key = item.target.kind === 'intent' ? item.target.intentId : `\u0000${item.target.kind}`;
        const group = groups.get(key) ?? { target: item.target, ids: [] };
        group.ids.push(item.utteranceId);
        groups.set(key, group);
      }
      for (const { target, ids } of groups.values()) await host.services.label.bulkLabel({ utteranceIds: ids, target });
    },
    async train() {
      await host.services.model.train({});
      await host.model.whenIdle();
      return (await host.services.model.getStatus({})).latest!.version;
    },
    stopPlatform: bare.stop,
    async close() {
      try {
        await host.close();
        await bare.stop();
      } finally {
        await temp?.remove();
      }
    },
  };
}

/** A platform alone (data in `<root>/platform`, random loopback port, the test token); `stop` closes it once. */
export async function startBarePlatform(root: string, options: Partial<PlatformOptions> = {}): Promise<{ readonly platform: Platform; readonly api: ApiClient; stop(): Promise<void> }> {
  const platform = await startPlatform({ dataDir: join(root, 'platform'), token: TEST_TOKEN, ...options });
  let stopped: Promise<void> | null = null;
  return { platform, api: apiClient(platform.url, TEST_TOKEN), stop: () => (stopped ??= platform.close()) };
}

/** A user turn's id and its true label. */
export interface TurnTruth {
  readonly utteranceId: string;
  readonly target: LabelTarget;
}

/** The demo generator's true labels of the user turns of feed positions `firstSeq..lastSeq` (an uncovered theme: none). */
export function truthsOf(firstSeq: number, lastSeq: number): TurnTruth[] {
  const out: TurnTruth[] = [];
  let seq = firstSeq;
  for (const record of generateDemoCalls({ seed: DEMO_DEFAULT_SEED, calls: lastSeq - firstSeq + 1, startAt: firstSeq - 1 })) {
    const callId = simulatedCallId(seq++);
    record.truths.forEach((truth, t) => {
      if (!truth || record.call.turns[t]!.speaker !== 'user') return;
      out.push({ utteranceId: toUtteranceId(callId, t), target: truth.kind === 'intent' ? { kind: 'intent', intentId: truth.intentId } : { kind: 'none' } });
    });
  }
  return out;
}

/** The error a promise rejects with; fails when it resolves. */
export async function refusal<E = ContractError>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a refusal');
}

/** A new temporary folder, and the function that removes it. */
export async function tempRoot(prefix: string): Promise<{ readonly root: string; readonly remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
