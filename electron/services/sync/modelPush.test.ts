import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHost } from '../index';
import { coverageOf } from './modelPush';
import { SyncError } from './syncError';
import { refusal, startTestPlatform, truthsOf, type TestPlatform } from './testPlatform';
import { TEST_TOKEN } from './testSync';

let tp: TestPlatform;
let host: ServiceHost;

beforeAll(async () => {
  tp = await startTestPlatform({ prefix: 'callsift-push-', name: 'push', annotator: 'alice', connect: false });
  host = tp.host;
});

afterAll(async () => {
  await tp?.close();
});

/** Labels the user turns of calls `firstSeq..lastSeq` the simulator meant as an intent with it; how many. */
async function labelCalls(firstSeq: number, lastSeq: number): Promise<number> {
  const intents = truthsOf(firstSeq, lastSeq).filter((t) => t.target.kind === 'intent');
  await tp.labelAll(intents);
  return intents.length;
}

describe('pushing a model to the platform', () => {
  it('refuses model calls before the workspace is connected', async () => {
    const err = await refusal(host.services.sync.listPlatformModels({}));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(/not connected/);
  });

  it('compares, pushes once, activates and rolls back', async () => {
    await tp.simulate(300);
    await host.services.sync.connect({ url: tp.platform.url, token: TEST_TOKEN, project: 'demo' });
    await tp.sync();
    expect(await host.services.sync.listPlatformModels({})).toEqual({ active: null, canRollBack: false, previous: null, activatedAt: null, rolledBack: null, models: [] });

    await labelCalls(1, 200);
    await host.services.model.train({});
    await host.model.whenIdle();
    const report = await host.services.model.getReport({ version: 1 });

    const oof = await host.services.sync.compareModel({ version: 1 });
    expect(oof).toMatchObject({ localVersion: 1, platformVersion: null, platformKind: 'catalogue-baseline', accuracyBasis: 'out-of-fold', platformAccuracyBasis: 'measured', pushedAs: null });
    expect(oof.local.accuracy).toBe(report.accuracy);
    expect(oof.accuracyExamples).toBe(report.examples);
    expect(oof.coverageExamples).toBeGreaterThan(100);
    expect(oof.platform.accuracy!).toBeGreaterThan(0);
    expect(oof.local.coverage!).toBeGreaterThan(0);

    const heldOutLabels = await labelCalls(201, 300);
    const heldOut = await host.services.sync.compareModel({ version: 1 });
    expect(heldOut.accuracyBasis).toBe('held-out');
    expect(heldOut.accuracyExamples).toBe(heldOutLabels);
    expect(heldOut.local.accuracy!).toBeGreaterThan(heldOut.platform.accuracy!);

    const first = await host.services.sync.pushModel({ version: 1, note: 'first push' });
    expect(first).toMatchObject({ platformVersion: 1, created: true });
    expect(first.models.models).toEqual([expect.objectContaining({ version: 1, notes: 'first push', active: false, localVersion: 1, accuracy: report.accuracy })]);
    const twice = await host.services.sync.pushModel({ version: 1, note: 'again' });
    expect(twice).toMatchObject({ platformVersion: 1, created: false });
    expect((await tp.api.call<{ models: unknown[] }>('GET', '/projects/demo/models')).json.models).toHaveLength(1);
    expect((await host.services.sync.compareModel({ version: 1 })).pushedAs).toBe(1);

    await host.services.model.train({});
    await host.model.whenIdle();
    const second = await host.services.sync.pushModel({ version: 2, note: 'more labels' });
    expect(second).toMatchObject({ platformVersion: 2, created: true });

    expect((await host.services.sync.activateModel({ platformVersion: 1 })).active).toBe(1);
    const compared = await host.services.sync.compareModel({ version: 2 });
    expect(compared).toMatchObject({ platformVersion: 1, platformKind: 'artifact', accuracyBasis: 'out-of-fold', platformAccuracyBasis: 'out-of-fold', accuracyExamples: 0 });
    expect(compared.platform.accuracy).toBe(report.accuracy);
    expect(compared.local.accuracy).toBe((await host.services.model.getReport({ version: 2 })).accuracy);
    const activated = await host.services.sync.activateModel({ platformVersion: 2 });
    expect(activated).toMatchObject({ active: 2, canRollBack: true });
    // The platform runs the same artifact and is sent each utterance's context: the same coverage, to the bit.
    const same = await host.services.sync.compareModel({ version: 2 });
    expect(same).toMatchObject({ platformVersion: 2, platformKind: 'artifact' });
    expect(same.coverageExamples).toBeGreaterThan(50);
    expect(same.platform.coverage).toBe(same.local.coverage);
    expect(activated.models.map((m) => [m.version, m.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect((await host.services.sync.rollbackModel({})).active).toBe(1);
    expect((await refusal(host.services.sync.rollbackModel({}))).code).toBe('conflict');
    const missing = await refusal(host.services.sync.activateModel({ platformVersion: 99 }));
    expect(missing).toBeInstanceOf(SyncError);
    expect(missing.message).toMatch(/no model version 99/);
    expect((await refusal(host.services.sync.pushModel({ version: 42, note: '' }))).code).toBe('not_found');
  }, 60_000);

  it('says in words that the platform is unreachable and marks the link offline (a push is not queued)', async () => {
    await tp.stopPlatform();
    const err = await refusal(host.services.sync.pushModel({ version: 2, note: 'offline' }));
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('unreachable');
    expect(err.message).toMatch(/Cannot reach the platform at http:\/\/127\.0\.0\.1:\d+/);
    const status = await host.services.sync.getStatus({});
    expect(status.connection).toBe('offline');
    expect(status.lastError?.kind).toBe('unreachable');
  });
});

describe('coverageOf', () => {
  it('is the share of predictions with an intent, null for none', () => {
    expect(coverageOf([])).toBeNull();
    expect(
      coverageOf([
        { intent: 'a', confidence: 0.9 },
        { intent: null, confidence: 0.4 },
        { intent: 'b', confidence: 0.7 },
        { intent: null, confidence: 0.1 },
      ]),
    ).toBe(0.5);
  });
});
