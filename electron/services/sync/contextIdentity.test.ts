import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../../shared/domain/types';
import { toArtifact } from '../../../shared/ml/modelArtifact';
import { identityTransactionRows } from '../../../shared/ml/fixtures/identityTransactionRows';
import { trainIntentModel } from '../../../shared/ml/train';
import { contextualText } from '../../../shared/ml/turnContext';
import type { Platform } from '../../../platform/server';
import { WorkspaceStore } from '../store/workspaceStore';
import { predictOnPlatform, predictWithArtifact, type ModelPushContext } from './modelPush';
import { PlatformClient } from './platformClient';
import { startBarePlatform, tempRoot } from './testPlatform';
import { TEST_TOKEN } from './testSync';

// The same short replies mean different intents after different questions (and nodes).
const identity = { prompt: '请问您是张先生本人吗？', node: 'identity_check' };
const transaction = { prompt: '这笔交易是您本人操作的吗？', node: 'confirm_transaction' };
const extension = { prompt: 'Would you like us to extend the due date?', node: 'offer_extension' };
const training: [string, { prompt: string; node: string }, string][] = [
  ...identityTransactionRows(identity, transaction),
  ['no thanks', extension, 'decline_offer'],
  ['no', extension, 'decline_offer'],
  ['yes please', extension, 'accept_offer'],
  ['sure', extension, 'accept_offer'],
];

// Held-out calls as the workspace keeps them; their user turns are what a comparison sends to /predict.
const calls: Call[] = [
  {
    id: 'h1',
    startedAt: 1,
    campaign: '反欺诈核实',
    turns: [
      { speaker: 'bot', text: identity.prompt, node: identity.node },
      { speaker: 'user', text: '是的' },
      { speaker: 'bot', text: transaction.prompt, node: transaction.node },
      { speaker: 'user', text: '不是' },
    ],
  },
  {
    id: 'h2',
    startedAt: 2,
    campaign: '反欺诈核实',
    turns: [
      { speaker: 'bot', text: identity.prompt, node: identity.node },
      { speaker: 'user', text: '不是' },
      { speaker: 'bot', text: extension.prompt, node: extension.node },
      { speaker: 'user', text: 'no' },
      { speaker: 'user', text: 'sure' },
    ],
  },
];

let temp: Awaited<ReturnType<typeof tempRoot>>;
let bare: Awaited<ReturnType<typeof startBarePlatform>>;
let platform: Platform;
let store: WorkspaceStore;
let ctx: ModelPushContext;
let artifact: unknown;

beforeAll(async () => {
  temp = await tempRoot('callsift-ctx-identity-');
  bare = await startBarePlatform(temp.root);
  platform = bare.platform;
  store = await WorkspaceStore.open(join(temp.root, 'ws'), () => ({ formatVersion: 1, meta: { name: 'ctx', languages: ['zh', 'en'], annotators: [], createdAt: 1 }, intents: [] }));
  await store.calls.appendCalls(calls);
  ctx = { client: new PlatformClient(platform.url, TEST_TOKEN), project: 'demo', store };
  const model = trainIntentModel(
    training.map(([u, c]) => contextualText(u, c)),
    training.map(([, , intent]) => intent),
    { calibrationFolds: 3 },
  );
  artifact = JSON.parse(JSON.stringify(toArtifact(model, 0.5))) as unknown;
  const created = await bare.api.call<{ version: number }>('POST', '/projects/demo/models', { artifact, notes: 'context identity' });
  await bare.api.call('POST', `/projects/demo/models/${created.json.version}/activate`, {});
});

afterAll(async () => {
  await store?.close();
  await bare?.stop();
  await temp?.remove();
});

describe('the app and the platform predict with context', () => {
  const rows = [0, 1, 2, 3, 4];

  it('give byte-identical scores for the same turns with their context, and the context decides the intent', async () => {
    const texts = rows.map((idx) => store.calls.uttText[idx]!);
    const contexts = rows.map((idx) => store.calls.contextOf(idx));
    const platformSide = await predictOnPlatform(ctx, { texts, contexts });
    expect(platformSide.kind).toBe('artifact');
    const appSide = predictWithArtifact(
      artifact,
      rows.map((idx) => store.calls.modelText(idx)),
    );
    expect(platformSide.predictions).toHaveLength(rows.length);
    platformSide.predictions.forEach((p, i) => {
      expect(p.intent).toBe(appSide[i]!.intent);
      expect(Object.is(p.confidence, appSide[i]!.confidence), `turn ${i}: ${p.confidence} vs ${appSide[i]!.confidence}`).toBe(true);
    });
    // 是的 after the identity check, 不是 after the transaction, 不是 after the identity check, then no / sure after the offer.
    expect(platformSide.predictions.map((p) => p.intent)).toEqual(['confirm_identity', 'report_fraud', 'wrong_person', 'decline_offer', 'accept_offer']);
  });

  it('predicts the words alone without contexts (as before), which cannot tell the two 不是 apart', async () => {
    const texts = rows.map((idx) => store.calls.uttText[idx]!);
    const alone = await predictOnPlatform(ctx, { texts });
    expect(alone.predictions.map((p) => p.confidence)).toEqual(predictWithArtifact(artifact, texts).map((p) => p.confidence));
    expect(alone.predictions[1]).toEqual(alone.predictions[2]);
  });

  it('refuses contexts that are not one per text, naming the field', async () => {
    const api = bare.api;
    const res = await api.call<{ error: { code: string; field?: string; message: string } }>('POST', '/projects/demo/predict', { texts: ['不是', '是的'], contexts: [identity] });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'invalid_request' });
    expect(res.json.error.message).toContain('contexts');
    const unknown = await api.call('POST', '/projects/demo/predict', { texts: ['不是'], contexts: [{ prompt: 'x', intent: 'y' }] });
    expect(unknown.status).toBe(400);
  });
});
