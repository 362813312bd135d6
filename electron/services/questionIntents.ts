import type { UsualIntents } from '../../shared/contract/dto';
import { normalizeText } from '../../shared/ml/normalize';
import { scanInChunks } from './model/scanInChunks';
import type { CallTable } from './store/callTable';
import type { WorkspaceReads } from './store/workspaceReads';
import type { LabelTable } from './store/labelTable';

/** A question with more replies than this is counted again at most every `LARGE_RECOUNT_MS`. */
export const LARGE_QUESTION = 20_000;
export const LARGE_RECOUNT_MS = 2000;

/** One question's intent counts (by label slot) over its labeled replies, as of a label revision. */
interface CountEntry {
  readonly revision: number;
  /** When it was counted (performance.now()). */
  readonly at: number;
  readonly counts: Map<number, number>;
  readonly labeled: number;
}

/** Labeled replies a question needs before its usual intents are shown: fewer say little. */
export const MIN_USUAL_LABELED = 3;

/**
 * The replies of every bot question (the flow node when the bot turn names one, else the normalized prompt, as the
 * report per question groups them), built once from the `uttNode`/`uttPrompt` columns and extended as calls are
 * appended, so the intents usually given to a question are counted over its replies only, never the whole workspace.
 */
export class QuestionIndex {
  /** Question of each utterance (index into `members`), −1 when no bot turn precedes it. */
  private groupOf = new Int32Array(0);
  private readonly members: number[][] = [];
  private readonly groups = new Map<string, number>();
  private readonly promptGroup = new Map<number, number>();
  private readonly nodeGroup = new Map<number, number>();
  private built = 0;
  private building: Promise<void> | null = null;
  /** Intent counts per question as of the label revision they were counted at. */
  private readonly cache = new Map<number, CountEntry>();
  private readonly counting = new Map<number, Promise<CountEntry>>();

  private readonly calls: CallTable;
  private readonly reads: WorkspaceReads;

  constructor(store: { readonly calls: CallTable; readonly reads: WorkspaceReads }) {
    this.calls = store.calls;
    this.reads = store.reads;
  }

  /** Indexes the utterances appended since the last call (all of them the first time), yielding to the event loop. */
  async update(): Promise<void> {
    while (this.building) await this.building;
    const n = this.reads.utteranceCount;
    if (n < this.built) this.reset();
    if (n === this.built) return;
    this.building = this.extend(n).finally(() => (this.building = null));
    await this.building;
  }

  /**
   * The intents most often given to the question utterance `idx` answered (up to three, most first, ties by intent
   * id), with their shares among its other labeled replies; null when it answered none or fewer than
   * `MIN_USUAL_LABELED` of them carry an intent. Call `update` first. Costs O(replies of that question), once per
   * label revision, counted in chunks that yield to the event loop; a question of more than `LARGE_QUESTION` replies
   * is counted again at most every `LARGE_RECOUNT_MS` (a few new labels do not move its shares).
   */
  async usualIntents(idx: number, labels: LabelTable): Promise<UsualIntents | null> {
    const group = idx < this.built ? this.groupOf[idx]! : -1;
    if (group < 0) return null;
    const entry = await this.countsOf(group, labels);
    // The reply itself does not count towards what is usual for its question.
    const own = labels.intentSlot(idx);
    const labeled = entry.labeled - (own >= 0 && entry.counts.has(own) ? 1 : 0);
    if (labeled < MIN_USUAL_LABELED) return null;
    const ids = labels.intentIdList;
    const top = [...entry.counts.entries()]
      .map(([slot, count]) => ({ intentId: ids[slot]!, count: count - (slot === own ? 1 : 0) }))
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || (a.intentId < b.intentId ? -1 : a.intentId > b.intentId ? 1 : 0))
      .slice(0, 3)
      .map((x) => ({ intentId: x.intentId, share: x.count / labeled }));
    return { labeled, top };
  }

  private async countsOf(group: number, labels: LabelTable): Promise<CountEntry> {
    const cached = this.cache.get(group);
    const members = this.members[group]!;
    const fresh = cached && (cached.revision === labels.revision || (members.length > LARGE_QUESTION && performance.now() - cached.at < LARGE_RECOUNT_MS));
    if (cached && fresh) return cached;
    let running = this.counting.get(group);
    if (!running) {
      running = this.count(members, labels).finally(() => this.counting.delete(group));
      this.counting.set(group, running);
    }
    const entry = await running;
    this.cache.set(group, entry);
    return entry;
  }

  private async count(members: readonly number[], labels: LabelTable): Promise<CountEntry> {
    const revision = labels.revision;
    const counts = new Map<number, number>();
    let labeled = 0;
    await scanInChunks(members.length, (start, end) => {
      for (let k = start; k < end; k++) {
        const slot = labels.intentSlot(members[k]!);
        if (slot < 0) continue;
        labeled++;
        counts.set(slot, (counts.get(slot) ?? 0) + 1);
      }
    });
    return { revision, at: performance.now(), counts, labeled };
  }

  private reset(): void {
    this.groupOf = new Int32Array(0);
    this.members.length = 0;
    this.groups.clear();
    this.promptGroup.clear();
    this.nodeGroup.clear();
    this.cache.clear();
    this.built = 0;
  }

  private async extend(n: number): Promise<void> {
    const from = this.built;
    const groupOf = new Int32Array(n);
    groupOf.set(this.groupOf.subarray(0, from));
    await scanInChunks(n - from, (start, end) => {
      for (let idx = from + start; idx < from + end; idx++) {
        const g = this.groupOfUtterance(idx);
        groupOf[idx] = g;
        if (g >= 0) this.members[g]!.push(idx);
      }
    }, { chunk: 2048 });
    this.groupOf = groupOf;
    this.built = n;
    this.cache.clear();
  }

  private groupOfUtterance(idx: number): number {
    const node = this.reads.nodeSlotOf(idx);
    if (node >= 0) return this.cached(this.nodeGroup, node, () => `n:${this.calls.nodes.values[node]!}`);
    const prompt = this.reads.promptSlotOf(idx);
    if (prompt >= 0) return this.cached(this.promptGroup, prompt, () => `p:${normalizeText(this.calls.prompts.values[prompt]!)}`);
    return -1;
  }

  private cached(by: Map<number, number>, id: number, keyOf: () => string): number {
    let g = by.get(id);
    if (g === undefined) {
      const key = keyOf();
      g = this.groups.get(key);
      if (g === undefined) {
        g = this.members.length;
        this.members.push([]);
        this.groups.set(key, g);
      }
      by.set(id, g);
    }
    return g;
  }
}

const indexes = new WeakMap<CallTable, QuestionIndex>();

/** The question index of a workspace's call table (one per open workspace), made on first use. */
export function questionIndexOf(store: { readonly calls: CallTable; readonly reads: WorkspaceReads }): QuestionIndex {
  let index = indexes.get(store.calls);
  if (!index) {
    index = new QuestionIndex(store);
    indexes.set(store.calls, index);
  }
  return index;
}
