import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toUtteranceId } from '../../../shared/domain/types';
import { DEMO_DEFAULT_SEED, generateDemoCalls } from '../../../resources/demo/demoGenerator';
import { startPlatform, type Platform } from '../../../platform/server';
import { simulatedCallId } from '../../../platform/simulator';
import { apiClient } from '../../../platform/testPlatform';
import type { ServiceHost } from '../index';
import { openTestApp, syncAndWait, TEST_TOKEN } from '../sync/testSync';

let root: string;
let platform: Platform;
let host: ServiceHost;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-replay-registry-'));
  platform = await startPlatform({ dataDir: join(root, 'platform'), token: TEST_TOKEN });
  host = await openTestApp(root, 'replay', 'alice');
});

afterAll(async () => {
  await host?.close();
  await platform?.close();
  await rm(root, { recursive: true, force: true });
});

describe('replay against the registry’s active artifact', () => {
  it('predicts the turns the platform stored no prediction for with the active artifact fetched from the registry', async () => {
    await apiClient(platform.url, TEST_TOKEN).call('POST', '/projects/demo/simulate', { calls: 300 });
    await host.services.sync.connect({ url: platform.url, token: TEST_TOKEN, project: 'demo' });
    expect((await syncAndWait(host)).state).toBe('done');
    // Label the simulated calls with the simulator's ground truth.
    const groups = new Map<string, string[]>();
    let seq = 1;
    for (const record of generateDemoCalls({ seed: DEMO_DEFAULT_SEED, calls: 200 })) {
      const callId = simulatedCallId(seq++);
      record.truths.forEach((truth, t) => {
        if (truth?.kind === 'intent') groups.set(truth.intentId, [...(groups.get(truth.intentId) ?? []), toUtteranceId(callId, t)]);
      });
    }
    for (const [intentId, ids] of groups) await host.services.label.bulkLabel({ utteranceIds: ids, target: { kind: 'intent', intentId } });
    await host.services.model.train({});
    await host.model.whenIdle();
    const pushed = await host.services.sync.pushModel({ version: 1, note: 'replay test' });
    await host.services.sync.activateModel({ platformVersion: pushed.platformVersion });

    // Calls imported from elsewhere carry no platform prediction.
    const startedAt = Date.UTC(2030, 0, 1);
    const texts = ['是的是我', '我现在不方便', '不需要了谢谢', '你们是哪里', '好的', '晚点再打吧'];
    const lines = texts.map((text, i) => JSON.stringify({ id: `imported-${i}`, startedAt: startedAt + i, campaign: 'imported', turns: [{ speaker: 'bot', text: '您好，请问是王先生吗？' }, { speaker: 'user', text }] }));
    const report = await host.services.transfer.importContent({ fileName: 'imported.jsonl', content: `${lines.join('\n')}\n` });
    expect(report.callsImported).toBe(texts.length);

    await host.services.replay.start({ version: 1, from: startedAt, to: startedAt + 86_400_000, campaign: 'imported', threshold: 0.5, sampleSize: 10 });
    await host.replay.running;
    const { result } = await host.services.replay.getStatus({});
    // The active model is version 1 itself: every turn predicted with its artifact agrees with the candidate.
    expect(result).toMatchObject({ turns: texts.length, oldFromRegistry: texts.length, oldFromTurns: 0, withoutOld: 0, registryVersion: pushed.platformVersion, changed: 0 });
  }, 120_000);
});
