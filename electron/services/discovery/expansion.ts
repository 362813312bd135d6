import type { ExpansionCandidate } from '../../../shared/contract/dto';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import type { Intent } from '../../../shared/domain/types';
import type { Rankings } from '../model/rankings';
import type { WorkspaceStore } from '../store/workspaceStore';
import { expansionInputs, seededSample } from './discoveryInputs';
import { runDiscoveryJob } from './discoveryRunner';

const MAX_CANDIDATES = 100_000;
/** Expansion asks the worker for this many times the candidates shown, then re-ranks them with the model. */
const EXPANSION_OVERFETCH = 3;

/**
 * Unlabeled utterances most like `intent`'s examples (in a discovery worker, over a seeded sample), each discounted
 * by how surely the latest model puts it in another intent; at most `limit`, most similar first.
 */
export async function expandIntent(store: WorkspaceStore, intent: Intent, rankings: Rankings | null, workerPath: string, limit: number): Promise<ExpansionCandidate[]> {
  const { examples, candidates } = expansionInputs(store, intent);
  if (examples.length === 0) throw new ContractError('invalid_argument', sentence('intent_no_examples', { name: intent.name }), { field: 'intentId' });
  const sampled = seededSample(candidates, MAX_CANDIDATES);
  const result = await runDiscoveryJob(workerPath, {
    kind: 'expand',
    examples: seededSample(examples, 2000),
    candidates: store.reads.texts(sampled),
    top: limit * EXPANSION_OVERFETCH,
  }).result;
  const claimedElsewhere = claimedByOtherIntent(rankings, intent.id);
  return result.ranked
    .map(({ index, similarity }) => ({ idx: sampled[index]!, similarity: similarity * (1 - claimedElsewhere(sampled[index]!)) }))
    .sort((a, b) => b.similarity - a.similarity || a.idx - b.idx)
    .slice(0, limit)
    .map(({ idx, similarity }) => {
      const turn = store.reads.turn(idx);
      return { utteranceId: turn.id, callId: turn.callId, text: turn.text, similarity };
    });
}

/**
 * How surely the latest model puts an utterance in another intent than `intentId` (its top probability when the top
 * intent is another one, else 0). Text similarity alone ranks short generic replies ("可以", "ok") high for any intent
 * whose examples contain them; the model knows they belong elsewhere.
 */
function claimedByOtherIntent(rankings: Rankings | null, intentId: string): (idx: number) => number {
  if (!rankings) return () => 0;
  const { labels, scored } = rankings.input;
  const own = labels.indexOf(intentId);
  return (idx) => (idx < scored.first.length && scored.first[idx] !== own ? scored.firstProb[idx]! : 0);
}
