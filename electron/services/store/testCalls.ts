import type { Call } from '../../../shared/domain/types';

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
