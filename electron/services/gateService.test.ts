import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceHost, type ServiceHost } from './index';
import { createTestWorkspace, makeTestCalls, makeTestIntents } from './store/testCalls';
import { refusal } from './sync/testPlatform';

let root: string;
let ws: string;
let host: ServiceHost;

const open = (): Promise<ServiceHost> => createServiceHost({ dataDir: join(root, 'data'), workspaceFolder: ws, retrainAfterLabels: 0 });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'callsift-gate-svc-'));
  ws = join(root, 'ws');
  await createTestWorkspace(
    ws,
    makeTestIntents([
      { id: 'confirm', name: '确认本人', examples: ['是我'] },
      { id: 'request_human_agent', name: '转人工', examples: ['转人工'] },
    ]),
    makeTestCalls(10),
  );
  host = await open();
});
afterEach(async () => {
  await host.close();
  await rm(root, { recursive: true, force: true });
});

describe('pinned cases', () => {
  it('pins a labeled utterance with its bot question and intent, durably across a reopen, and unpins it', async () => {
    const [first, second] = (await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 2 })).items;
    await host.services.label.setLabel({ utteranceId: first!.id, target: { kind: 'intent', intentId: 'confirm' }, source: 'manual' });
    await host.services.intent.updateIntent({ id: 'confirm', critical: true });
    const pinned = await host.services.gate.pinCase({ utteranceId: first!.id });
    expect(pinned).toMatchObject({ utteranceId: first!.id, text: first!.text, botPrompt: first!.botPrompt, intentId: 'confirm', critical: true });
    // An unlabeled utterance needs an intent given explicitly.
    const refused = await refusal(host.services.gate.pinCase({ utteranceId: second!.id }));
    expect(refused.sentences?.[0]?.key).toBe('pin_needs_intent');
    await host.services.gate.pinCase({ utteranceId: second!.id, intentId: 'request_human_agent' });
    const onDisk = JSON.parse(await readFile(join(ws, 'gate', 'pinned.json'), 'utf8')) as { cases: { utteranceId: string; modelText: string }[] };
    expect(onDisk.cases.map((c) => c.utteranceId).sort()).toEqual([first!.id, second!.id].sort());
    expect(onDisk.cases.find((c) => c.utteranceId === first!.id)!.modelText).toContain(first!.text);

    await host.close();
    host = await open();
    const reopened = await host.services.gate.listPinnedCases({});
    expect(reopened.map((c) => [c.utteranceId, c.intentId, c.critical]).sort()).toEqual(
      [
        [first!.id, 'confirm', true],
        [second!.id, 'request_human_agent', false],
      ].sort(),
    );
    expect(await host.services.gate.unpinCase({ utteranceId: second!.id })).toEqual({ removed: true });
    expect(await host.services.gate.unpinCase({ utteranceId: second!.id })).toEqual({ removed: false });
    expect((await host.services.gate.listPinnedCases({})).map((c) => c.utteranceId)).toEqual([first!.id]);
  });

  it('keeps the critical and transfer flags across a reopen (journaled with the catalogue)', async () => {
    await host.services.intent.updateIntent({ id: 'request_human_agent', critical: true, transfer: true });
    await host.close();
    host = await open();
    const intent = (await host.services.intent.listIntents({})).find((i) => i.id === 'request_human_agent')!;
    expect(intent).toMatchObject({ critical: true, transfer: true });
  });

  it('refuses to check a version that does not exist', async () => {
    expect((await refusal(host.services.gate.checkVersion({ version: 9 }))).code).toBe('not_found');
  });

  it('keeps the watch threshold in gate/watch.json', async () => {
    expect(await host.services.gate.setWatchSettings({ maxChange: 0.1 })).toEqual({ coverageConfidence: 0.5, maxChange: 0.1, minTurns: 30 });
    expect(JSON.parse(await readFile(join(ws, 'gate', 'watch.json'), 'utf8'))).toMatchObject({ maxChange: 0.1 });
  });
});
