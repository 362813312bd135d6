import type { QueueItem } from '../../shared/contract/dto';

/** Queue item `n` for store and composable tests: unlabeled, unpredicted, utterance 1 of call `c<n>`; `fields` override. */
export function makeQueueItem(n: number, fields: Partial<QueueItem> = {}): QueueItem {
  return {
    id: `c${n}#1`,
    callId: `c${n}`,
    turnIndex: 1,
    text: `utterance ${n}`,
    predictedIntent: null,
    predictedConfidence: null,
    asrConfidence: null,
    label: null,
    botPrompt: null,
    campaign: 'demo',
    startedAt: 0,
    ...fields,
  };
}
