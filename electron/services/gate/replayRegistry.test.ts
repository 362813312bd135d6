import { describe, expect, it } from 'vitest';
import type { ServiceHost } from '../index';
import { truthsOf, type TestPlatform } from '../sync/testPlatform';
import { useTestPlatform } from '../sync/testPlatformHooks';

let tp: TestPlatform;
let host: ServiceHost;

useTestPlatform({ prefix: 'callsift-replay-registry-', name: 'replay', annotator: 'alice' }, (started) => {
  tp = started;
  host = started.host;
});

describe('replay against the registry’s active artifact', () => {
  it('predicts the turns the platform stored no prediction for with the active artifact fetched from the registry', async () => {
    await tp.simulate(300);
    await tp.sync();
    // Label the simulated calls with the simulator's ground truth.
    await tp.labelAll(truthsOf(1, 200).filter((t) => t.target.kind === 'intent'));
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
