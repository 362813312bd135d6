import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/contract/dto';
import type { Call } from '../../shared/domain/types';
import { createServiceHost, type ServiceHost } from './index';
import { createTestWorkspace, makeTestIntents } from './store/testCalls';
import { useTempDir } from './store/testStore';

const IDENTITY = '请问是张先生本人吗？';
const TRANSACTION = '这笔交易是您本人操作的吗？';

/** A call of one bot turn (with its node, if any) and one reply. */
function reply(id: string, prompt: string | null, node: string | null, text: string): Call {
  const bot = prompt === null ? [] : [{ speaker: 'bot' as const, text: prompt, ...(node ? { node } : {}) }];
  return { id, startedAt: 1_700_000_000_000, campaign: 'fraud', turns: [...bot, { speaker: 'user', text }] };
}

// The same "不是" means "not me" after the identity check and "a fraud" after the transaction check; the identity
// question without a node is asked in two spellings that normalize alike.
const labeled: [Call, string][] = [
  ...[0, 1, 2].map((i): [Call, string] => [reply(`id-yes-${i}`, IDENTITY, 'identity_check', '是的'), 'self']),
  ...[0, 1, 2].map((i): [Call, string] => [reply(`id-no-${i}`, IDENTITY, 'identity_check', '不是'), 'not_self']),
  ...[0, 1, 2].map((i): [Call, string] => [reply(`tx-no-${i}`, TRANSACTION, 'confirm_transaction', '不是'), 'fraud']),
  ...[0, 1, 2].map((i): [Call, string] => [reply(`tx-yes-${i}`, TRANSACTION, 'confirm_transaction', '是的'), 'confirmed']),
  [reply('free-0', '请问您现在方便吗？', null, '方便'), 'ok'],
  [reply('free-1', '请问您现在方便吗?', null, '可以'), 'ok'],
  [reply('free-2', '请问您现在方便吗？', null, '没空'), 'busy'],
];
const unlabeled: Call[] = [
  reply('id-open', IDENTITY, 'identity_check', '不是'),
  reply('id-hum', IDENTITY, 'identity_check', '嗯'),
  reply('tx-open', TRANSACTION, 'confirm_transaction', '不是'),
  reply('free-open', '请问您现在方便吗?', null, '嗯'),
  reply('hello', null, null, '喂'),
];
const uid = (callId: string): string => `${callId}#${callId === 'hello' ? 0 : 1}`;

const dir = useTempDir('callsift-usual-');
let host: ServiceHost;
beforeEach(async () => {
  const ws = join(dir(), 'ws');
  await createTestWorkspace(ws, makeTestIntents(['self', 'not_self', 'fraud', 'confirmed', 'ok', 'busy']), [...labeled.map(([c]) => c), ...unlabeled]);
  host = await createServiceHost({ dataDir: join(dir(), 'data'), workspaceFolder: ws, retrainAfterLabels: 0 });
  for (const [call, intentId] of labeled) await host.services.label.setLabel({ utteranceId: uid(call.id), target: { kind: 'intent', intentId }, source: 'manual' });
});
afterEach(async () => {
  await host.close();
});

async function page(queue: 'unlabeled' | 'recent' | 'informative'): Promise<Map<string, QueueItem>> {
  const p = await host.services.queue.getPage({ queue, offset: 0, limit: 100 });
  return new Map(p.items.map((i) => [i.id, i]));
}

describe('the intents usually given to a question', () => {
  it('comes with each queue item, counted over the labeled replies to the same node or prompt', async () => {
    const items = await page('unlabeled');
    expect(items.get(uid('id-open'))?.usualIntents).toEqual({ labeled: 6, top: [{ intentId: 'not_self', share: 0.5 }, { intentId: 'self', share: 0.5 }] });
    expect(items.get(uid('tx-open'))?.usualIntents).toEqual({ labeled: 6, top: [{ intentId: 'confirmed', share: 0.5 }, { intentId: 'fraud', share: 0.5 }] });
    expect(items.get(uid('free-open'))?.usualIntents).toEqual({ labeled: 3, top: [{ intentId: 'ok', share: 2 / 3 }, { intentId: 'busy', share: 1 / 3 }] });
    expect(items.get(uid('hello'))?.usualIntents).toBeUndefined();
  });

  it('follows label changes, and a labeled reply does not count towards its own question', async () => {
    await page('unlabeled');
    await host.services.label.setLabel({ utteranceId: uid('id-open'), target: { kind: 'intent', intentId: 'not_self' }, source: 'manual' });
    const open = await page('unlabeled');
    expect(open.get(uid('id-hum'))?.usualIntents).toEqual({ labeled: 7, top: [{ intentId: 'not_self', share: 4 / 7 }, { intentId: 'self', share: 3 / 7 }] });
    const recent = await page('recent');
    expect(recent.get(uid('id-open'))?.usualIntents).toEqual({ labeled: 6, top: [{ intentId: 'not_self', share: 0.5 }, { intentId: 'self', share: 0.5 }] });
    await host.services.label.setLabel({ utteranceId: uid('free-2'), target: null, source: 'manual' });
    expect((await page('unlabeled')).get(uid('free-open'))?.usualIntents).toBeUndefined();
  });

  it('the picker’s model candidates read the question: the same short reply gets the intent its question calls for', async () => {
    await host.services.model.train({});
    await host.model.whenIdle();
    const items = await page('informative');
    const afterIdentity = items.get(uid('id-open'))?.reason?.top.map((c) => c.intentId);
    const afterTransaction = items.get(uid('tx-open'))?.reason?.top.map((c) => c.intentId);
    expect(afterIdentity?.[0]).toBe('not_self');
    expect(afterTransaction?.[0]).toBe('fraud');
    const report = await host.services.model.getQuestionReport({});
    expect(report.measured).toBe(true);
    expect(report.questions.map((q) => [q.key, q.replies, q.labeled]).sort()).toEqual([
      ['', 1, 0],
      ['n:confirm_transaction', 7, 6],
      ['n:identity_check', 8, 6],
      ['p:请问您现在方便吗', 4, 3],
    ]);
  });
});
