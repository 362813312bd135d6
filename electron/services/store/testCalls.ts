import { basename } from 'node:path';
import type { Call, Intent } from '../../../shared/domain/types';
import { WorkspaceStore } from './workspaceStore';

/** Small synthetic calls for tests: each has a bot prompt and `userTurns` user turns. */
export function makeTestCalls(count: number, userTurns = 2, prefix = 'c'): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < count; i++) {
    const turns: Call['turns'][number][] = [];
    for (let t = 0; t < userTurns; t++) {
      turns.push({ speaker: 'bot', text: `请问是张先生吗？(${t})` });
      turns.push({ speaker: 'user', text: `用户回答 ${i}-${t}`, predictedIntent: t % 2 === 0 ? 'confirm' : null, predictedConfidence: 0.5 + (i % 5) / 10, asrConfidence: 0.9 });
    }
    calls.push({ id: `${prefix}${i}`, startedAt: 1_700_000_000_000 + i * 1000, campaign: i % 2 ? 'repayment' : 'insurance', turns });
  }
  return calls;
}

/** A repayment call of one bot prompt and one user turn saying `text`, predicted as `predicted` (sure) or nothing (unsure). */
export function makeOneTurnCall(id: string, text: string, predicted: string | null): Call {
  return {
    id,
    startedAt: 1_700_000_000_000,
    campaign: 'repayment',
    turns: [
      { speaker: 'bot', text: '您好，这里是还款提醒。' },
      { speaker: 'user', text, predictedIntent: predicted, predictedConfidence: predicted ? 0.92 : 0.2 },
    ],
  };
}

/** Test intents: active, with the given ids as names unless a name is given. */
export function makeTestIntents(specs: readonly (string | { id: string; name?: string; description?: string; examples?: string[] })[]): Intent[] {
  return specs.map((spec) => {
    const s = typeof spec === 'string' ? { id: spec } : spec;
    return { id: s.id, name: s.name ?? s.id, description: s.description ?? '', examples: s.examples ?? [], status: 'active', createdAt: 1, updatedAt: 1 };
  });
}

/** Creates a closed workspace in `folder` holding `intents` and `calls`. */
export async function createTestWorkspace(folder: string, intents: Intent[], calls: readonly Call[]): Promise<void> {
  const store = await WorkspaceStore.open(folder, () => ({
    formatVersion: 1,
    meta: { name: basename(folder), languages: ['zh', 'en'], annotators: [], createdAt: 1 },
    intents,
  }));
  await store.calls.appendCalls(calls);
  await store.close();
}
