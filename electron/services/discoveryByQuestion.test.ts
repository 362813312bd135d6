import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../shared/domain/types';
import { createServiceHost, type ServiceHost } from './index';
import { createTestWorkspace, makeTestIntents } from './store/testCalls';

const IDENTITY = { node: 'identity_check', text: '请问是张先生本人吗？' };
const TRANSACTION = { node: 'confirm_transaction', text: '这笔交易是您本人操作的吗？' };
const EXTENSION = { node: 'offer_extension', text: '需要帮您申请延期还款吗？' };
const SURVEY = { text: '能占用您一分钟做个回访吗？' };

/** One bot question (with its node, when given) and the reply to it. */
function reply(id: string, bot: { node?: string; text: string }, text: string, predicted: string | null): Call {
  return {
    id,
    startedAt: 1_700_000_000_000,
    campaign: 'outbound',
    turns: [
      { speaker: 'bot', text: bot.text, ...(bot.node ? { node: bot.node } : {}) },
      { speaker: 'user', text, predictedIntent: predicted, predictedConfidence: predicted ? 0.95 : 0.1 },
    ],
  };
}

const labeled: [id: string, bot: { node?: string; text: string }, text: string, intent: string][] = [
  ['i1', IDENTITY, '是的', 'confirm_identity'],
  ['i2', IDENTITY, '是的。', 'confirm_identity'],
  ['i3', IDENTITY, '是的', 'confirm_identity'],
  ['i4', IDENTITY, '是的', 'wrong_person'],
  ['t1', TRANSACTION, '是的', 'confirm_transaction'],
  ['t2', TRANSACTION, '是的', 'confirm_transaction'],
  ['s1', SURVEY, '可以', 'agree_survey'],
  ['s2', { text: '能占用您一分钟做个回访吗' }, '可以！', 'refuse_survey'],
];
const extensionReplies = ['能不能晚几天再还', '下周再还可以吗', '晚几天还行不行', '能不能下个月再还', '我想晚点还款', '可以延期几天吗'];
const identityReplies = ['你们是哪个公司的', '你是哪家公司', '你们哪个公司打来的', '你们是什么公司'];

let dataDir: string;
let host: ServiceHost;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'callsift-by-question-'));
  const folder = join(dataDir, 'ws');
  const calls: Call[] = labeled.map(([id, bot, text]) => reply(id, bot, text, 'confirm_identity'));
  extensionReplies.forEach((text, i) => calls.push(reply(`e${i}`, EXTENSION, text, null)));
  identityReplies.forEach((text, i) => calls.push(reply(`q${i}`, IDENTITY, text, null)));
  await createTestWorkspace(folder, makeTestIntents(['confirm_identity', 'wrong_person', 'confirm_transaction', 'agree_survey', 'refuse_survey']), calls);
  host = await createServiceHost({ dataDir, workspaceFolder: folder, retrainAfterLabels: 0 });
  for (const [id, , , intent] of labeled) await host.services.label.setLabel({ utteranceId: `${id}#1`, target: { kind: 'intent', intentId: intent }, source: 'manual' });
});
afterAll(async () => {
  await host.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('cleanup groups the same words by the question they answered', () => {
  it('finds the genuine conflict within one question and not the same words after another', async () => {
    const report = await host.services.discovery.getCleanup({});
    expect(
      report.conflictingDuplicates.map((g) => ({ normalized: g.normalized, question: g.question, items: g.items.map((i) => [i.utteranceId, i.intentId, i.node, i.botPrompt]) })),
    ).toEqual([
      {
        normalized: '是的',
        question: { key: 'node:identity_check', node: 'identity_check', prompt: IDENTITY.text },
        items: [
          ['i1#1', 'confirm_identity', 'identity_check', IDENTITY.text],
          ['i2#1', 'confirm_identity', 'identity_check', IDENTITY.text],
          ['i3#1', 'confirm_identity', 'identity_check', IDENTITY.text],
          ['i4#1', 'wrong_person', 'identity_check', IDENTITY.text],
        ],
      },
      {
        // No node: the prompt decides, normalized, so its two wordings are one question (a tie shows the wording seen first).
        normalized: '可以',
        question: { key: 'prompt:能占用您一分钟做个回访吗', node: null, prompt: SURVEY.text },
        items: [
          ['s1#1', 'agree_survey', null, SURVEY.text],
          ['s2#1', 'refuse_survey', null, '能占用您一分钟做个回访吗'],
        ],
      },
    ]);
    // Before a model exists, no label is backed by one.
    expect(report.conflictingDuplicates.flatMap((g) => g.items.map((i) => i.modelIntentId))).toEqual([null, null, null, null, null, null]);
  });
});

describe('discovery by question', () => {
  it('lists the questions of the uncovered pool, most replies first', async () => {
    const questions = await host.services.discovery.listQuestions({ limit: 50 });
    expect(questions.map((q) => [q.key, q.node, q.prompt, q.count])).toEqual([
      ['node:offer_extension', 'offer_extension', EXTENSION.text, extensionReplies.length],
      ['node:identity_check', 'identity_check', IDENTITY.text, identityReplies.length],
    ]);
    expect(questions[0]!.share).toBeCloseTo(extensionReplies.length / (extensionReplies.length + identityReplies.length), 6);
  });

  it('clusters only the uncovered replies to one question, records the scope and lists it per cluster', async () => {
    await host.services.discovery.run({ question: 'node:offer_extension' });
    await host.discovery.whenIdle();
    const status = await host.services.discovery.getStatus({});
    expect(status.run?.pool).toBe(extensionReplies.length);
    expect(status.run?.question).toEqual({ key: 'node:offer_extension', node: 'offer_extension', prompt: EXTENSION.text });
    const clusters = await host.services.discovery.listClusters({ sort: 'size', includeClosed: false });
    const members = await Promise.all(clusters.map((c) => host.services.discovery.getMembers({ clusterId: c.id, offset: 0, limit: 100 })));
    expect(members.flatMap((p) => p.items.map((m) => m.utteranceId)).sort()).toEqual(extensionReplies.map((_, i) => `e${i}#1`).sort());
    for (const c of clusters) expect(c.questions).toEqual([{ key: 'node:offer_extension', node: 'offer_extension', prompt: EXTENSION.text, count: c.size, share: 1 }]);
  });

  it('clusters the whole pool without a question, and each cluster says which questions its members answered', async () => {
    await host.services.discovery.run({});
    await host.discovery.whenIdle();
    expect((await host.services.discovery.getStatus({})).run).toMatchObject({ pool: extensionReplies.length + identityReplies.length, question: null });
    const clusters = await host.services.discovery.listClusters({ sort: 'size', includeClosed: false });
    const counted = new Map<string, number>();
    for (const c of clusters) for (const q of c.questions) counted.set(q.key, (counted.get(q.key) ?? 0) + q.count);
    expect(Object.fromEntries(counted)).toEqual({ 'node:offer_extension': extensionReplies.length, 'node:identity_check': identityReplies.length });
  });

  it('refuses a question with no uncovered replies', async () => {
    await expect(host.services.discovery.run({ question: 'node:nowhere' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
