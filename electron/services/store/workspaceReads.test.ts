import { describe, expect, it, vi } from 'vitest';
import type { Call } from '../../../shared/domain/types';
import { LabeledKind } from './labelTable';
import { testActionContext, testWorkspaceDoc, useTempDir } from './testStore';
import { WorkspaceStore } from './workspaceStore';

const calls: Call[] = [
  {
    id: 'k1',
    startedAt: 1_000,
    campaign: 'fraud',
    turns: [
      { speaker: 'bot', text: '请问是张先生本人吗？', node: 'identity_check' },
      { speaker: 'user', text: '是的', predictedIntent: 'confirm', predictedConfidence: 0.8 },
      { speaker: 'bot', text: '这笔交易是您本人操作的吗？' },
      { speaker: 'user', text: '不是', predictedIntent: null },
      { speaker: 'user', text: '我没买过', predictedIntent: 'deny' },
    ],
  },
  { id: 'k2', startedAt: 2_000, campaign: 'loan', turns: [{ speaker: 'user', text: '喂', predictedIntent: 'confirm' }] },
];

const dir = useTempDir('callsift-reads-');

async function seeded(): Promise<WorkspaceStore> {
  const store = await WorkspaceStore.open(dir(), testWorkspaceDoc);
  await store.calls.appendCalls(calls);
  store.labels.resize(store.calls.utteranceCount);
  return store;
}

describe('WorkspaceReads', () => {
  it('reads a user turn as one record from the index columns', async () => {
    const store = await seeded();
    expect(store.reads.turn(2)).toEqual({
      index: 2,
      id: 'k1#4',
      call: 0,
      callId: 'k1',
      campaign: 'fraud',
      startedAt: 1_000,
      turnIndex: 4,
      speaker: 'user',
      text: '我没买过',
      platformIntent: 'deny',
      platformConfidence: null,
      context: { prompt: '', node: '', previous: '不是' },
    });
    expect(store.reads.turn(0)).toMatchObject({ id: 'k1#1', platformIntent: 'confirm', platformConfidence: 0.8, context: { prompt: '请问是张先生本人吗？', node: 'identity_check', previous: '' } });
    expect([...store.reads.userTurns()].map((t) => t.id)).toEqual(['k1#1', 'k1#3', 'k1#4', 'k2#0']);
    expect([...store.reads.userTurns(1, 3)].map((t) => t.text)).toEqual(['不是', '我没买过']);
    expect(store.reads.textsWithContext([3, 1])).toEqual({
      texts: ['喂', '不是'],
      contexts: [
        { prompt: '', node: '', previous: '' },
        { prompt: '这笔交易是您本人操作的吗？', node: '', previous: '是的' },
      ],
    });
    expect(await store.reads.modelTexts([1])).toEqual([store.calls.modelText(1)]);
    expect(store.reads.textOrEmpty(undefined)).toBe('');
    // The platform's prediction: 不是 came without one (neither an intent nor a confidence), 我没买过 and 喂 without a confidence.
    expect([0, 1, 2, 3].map((i) => store.reads.hasPlatformPrediction(i))).toEqual([true, false, true, true]);
    expect([0, 1, 2, 3].map((i) => { const slot = store.reads.platformIntentSlotOf(i); return slot < 0 ? null : store.reads.predictionLabels[slot]; })).toEqual(['confirm', null, 'deny', 'confirm']);
    expect([0, 1, 2, 3].map((i) => store.reads.sentConfidenceOf(i))).toEqual([expect.closeTo(0.8, 6), 1, 1, 1]);
    expect([0, 1, 2, 3].map((i) => store.reads.platformConfidenceOf(i))).toEqual([expect.closeTo(0.8, 6), 0, 1, 1]);
    expect(store.reads.countPlatformIntents()).toEqual(new Map([['confirm', 2], ['deny', 1]]));
    // Counted once per set of calls: new calls count again.
    expect(store.reads.countPlatformIntents()).toBe(store.reads.countPlatformIntents());
    await store.calls.appendCalls([{ id: 'k3', startedAt: 3_000, campaign: 'loan', turns: [{ speaker: 'user', text: '不要', predictedIntent: 'deny' }] }]);
    expect(store.reads.countPlatformIntents()).toEqual(new Map([['confirm', 2], ['deny', 2]]));
    await store.close();
  });

  it('collects the labeled rows in one scan, shared until a label changes', async () => {
    const store = await seeded();
    await store.applyLabelChanges(
      [
        { utterance: 3, target: { kind: 'intent', intentId: 'confirm' } },
        { utterance: 1, target: { kind: 'none' } },
        { utterance: 0, target: { kind: 'badTranscript' } },
      ],
      testActionContext,
    );
    const scans = vi.spyOn(store.labels, 'collectLabeled');
    const rows = store.reads.labeledRows();
    expect(Array.from(rows.utterances)).toEqual([0, 1, 3]);
    expect(Array.from(rows.kinds)).toEqual([LabeledKind.badTranscript, LabeledKind.none, LabeledKind.intent]);
    expect(rows.intentIds).toEqual([null, null, 'confirm']);
    expect(rows.texts).toEqual(['是的', '不是', '喂']);
    expect([0, 1, 2].map((r) => rows.targetOf(r))).toEqual([{ kind: 'badTranscript' }, { kind: 'none' }, { kind: 'intent', intentId: 'confirm' }]);
    // The same revision gives the same read; a label change makes a new one.
    expect(store.reads.labeledRows()).toBe(rows);
    expect(scans).toHaveBeenCalledTimes(1);
    await store.applyLabelChanges([{ utterance: 1, target: null }], { ...testActionContext, actionId: 'a2' });
    const next = store.reads.labeledRows();
    expect(next).not.toBe(rows);
    expect(scans).toHaveBeenCalledTimes(2);
    expect(Array.from(next.utterances)).toEqual([0, 3]);
    expect([...store.reads.unlabeled()]).toEqual([1, 2]);
    await store.close();
  });
});
