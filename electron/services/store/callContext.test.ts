import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Call } from '../../../shared/domain/types';
import { contextualText, modelTextsOfTurns } from '../../../shared/ml/turnContext';
import { WorkspaceStore, type WorkspaceDoc } from './workspaceStore';

const init = (): WorkspaceDoc => ({ formatVersion: 1, meta: { name: 'ctx', languages: ['zh'], annotators: [], createdAt: 1 }, intents: [] });

const calls: Call[] = [
  {
    id: 'k1',
    startedAt: 1,
    campaign: 'fraud',
    turns: [
      { speaker: 'bot', text: '请问是张先生本人吗？', node: 'identity_check' },
      { speaker: 'user', text: '是的' },
      { speaker: 'bot', text: '这笔交易是您本人操作的吗？', node: 'confirm_transaction' },
      { speaker: 'user', text: '不是' },
      { speaker: 'user', text: '我没买过' },
    ],
  },
  { id: 'k2', startedAt: 2, campaign: 'fraud', turns: [{ speaker: 'user', text: '喂' }, { speaker: 'bot', text: '请问是张先生本人吗？' }, { speaker: 'user', text: '不是' }] },
];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-context-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function contexts(store: WorkspaceStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let idx = 0; idx < store.calls.utteranceCount; idx++) out.push({ text: store.calls.uttText[idx], ...store.calls.contextOf(idx), botPrompt: store.calls.botPrompt(idx) });
  return out;
}

const expected = [
  { text: '是的', prompt: '请问是张先生本人吗？', node: 'identity_check', previous: '', botPrompt: '请问是张先生本人吗？' },
  { text: '不是', prompt: '这笔交易是您本人操作的吗？', node: 'confirm_transaction', previous: '是的', botPrompt: '这笔交易是您本人操作的吗？' },
  { text: '我没买过', prompt: '', node: '', previous: '不是', botPrompt: null },
  { text: '喂', prompt: '', node: '', previous: '', botPrompt: null },
  { text: '不是', prompt: '请问是张先生本人吗？', node: '', previous: '喂', botPrompt: '请问是张先生本人吗？' },
];

describe('the context of each utterance', () => {
  it('is kept in the index columns: prompt, node and the previous user turn of the same call, across reopen', async () => {
    const store = await WorkspaceStore.open(dir, init);
    await store.calls.appendCalls(calls);
    expect(await contexts(store)).toEqual(expected);
    await store.close();
    const again = await WorkspaceStore.open(dir);
    expect(await contexts(again)).toEqual(expected);
    await again.close();
  });

  it('is rebuilt once from the shard when an index was written before context columns existed', async () => {
    const store = await WorkspaceStore.open(dir, init);
    await store.calls.appendCalls(calls);
    await store.close();
    const indexFile = (await readdir(join(dir, 'calls'))).find((n) => n.startsWith('index-'))!;
    const path = join(dir, 'calls', indexFile);
    const legacy = JSON.parse(await readFile(path, 'utf8')) as { prompts?: unknown; nodes?: unknown; utt: { prompt?: unknown; node?: unknown }; shardBytes?: number };
    const shardBytes = legacy.shardBytes;
    delete legacy.prompts;
    delete legacy.nodes;
    delete legacy.utt.prompt;
    delete legacy.utt.node;
    await writeFile(path, JSON.stringify(legacy));

    const again = await WorkspaceStore.open(dir);
    expect(again.notices).toEqual([]);
    expect(await contexts(again)).toEqual(expected);
    await again.close();
    const rewritten = JSON.parse(await readFile(path, 'utf8')) as { utt: { prompt?: number[] }; shardBytes?: number };
    expect(rewritten.utt.prompt).toHaveLength(5);
    expect(rewritten.shardBytes).toBe(shardBytes);
  });

  it('gives the model the same text the platform builds from the transcript (modelTextsOfTurns)', async () => {
    const store = await WorkspaceStore.open(dir, init);
    await store.calls.appendCalls(calls);
    const fromColumns = Array.from({ length: store.calls.utteranceCount }, (_, idx) => contextualText(store.calls.uttText[idx]!, store.calls.contextOf(idx)));
    expect(fromColumns).toEqual(calls.flatMap((call) => modelTextsOfTurns(call.turns)));
    expect(fromColumns[1]).toBe(contextualText('不是', { prompt: '这笔交易是您本人操作的吗？', node: 'confirm_transaction', previous: '是的' }));
    await store.close();
  });
});
