import type { BotQuestion, QuestionCount } from '../../../shared/contract/dto';
import { questionKey } from '../../../shared/ml/turnContext';
import type { CallTable } from '../store/callTable';
import type { WorkspaceReads } from '../store/workspaceReads';

/**
 * The question each utterance answered (`questionKey`: its flow node, else its bot prompt normalized), read from the
 * index columns; keys are computed once per prompt and node, so a pass over a million utterances normalizes only the
 * distinct prompts.
 */
export class QuestionKeys {
  private readonly byPrompt = new Map<number, string>();
  private readonly byNode = new Map<number, string>();

  private readonly calls: CallTable;
  private readonly reads: WorkspaceReads;

  constructor(store: { readonly calls: CallTable; readonly reads: WorkspaceReads }) {
    this.calls = store.calls;
    this.reads = store.reads;
  }

  /** The question key of utterance `idx`, '' when it follows no bot turn. */
  keyOf(idx: number): string {
    const node = this.reads.nodeSlotOf(idx);
    if (node >= 0 && this.calls.nodes.values[node]) {
      let key = this.byNode.get(node);
      if (key === undefined) this.byNode.set(node, (key = questionKey(null, this.calls.nodes.values[node])));
      return key;
    }
    const prompt = this.reads.promptSlotOf(idx);
    if (prompt < 0) return '';
    let key = this.byPrompt.get(prompt);
    if (key === undefined) this.byPrompt.set(prompt, (key = questionKey(this.calls.prompts.values[prompt], null)));
    return key;
  }

  /**
   * The questions `utterances` answered, most replies first (ties by key), at most `top`; share is of all of them,
   * those that follow no bot turn included. Each question's prompt is its most frequent wording among them.
   */
  count(utterances: Iterable<number>, top: number): QuestionCount[] {
    const tally = new Map<string, { count: number; node: number; prompts: Map<number, number> }>();
    let total = 0;
    for (const idx of utterances) {
      total++;
      const key = this.keyOf(idx);
      if (key === '') continue;
      let entry = tally.get(key);
      if (!entry) tally.set(key, (entry = { count: 0, node: this.reads.nodeSlotOf(idx), prompts: new Map() }));
      entry.count++;
      const prompt = this.reads.promptSlotOf(idx);
      if (prompt >= 0) entry.prompts.set(prompt, (entry.prompts.get(prompt) ?? 0) + 1);
    }
    return [...tally]
      .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, top)
      .map(([key, e]) => ({ ...this.question(key, e.node, mostFrequent(e.prompts)), count: e.count, share: e.count / total }));
  }

  /** The question `key` as shown: its node and the prompt wording given (both by table index, -1 for none). */
  question(key: string, node: number, prompt: number): BotQuestion {
    return {
      key,
      node: key.startsWith('node:') && node >= 0 ? this.calls.nodes.values[node]! : null,
      prompt: prompt >= 0 ? this.calls.prompts.values[prompt]! : null,
    };
  }
}

/** The key counted most often (ties: the smallest key), -1 for an empty map. */
function mostFrequent(counts: ReadonlyMap<number, number>): number {
  let best = -1;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}
