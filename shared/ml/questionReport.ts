import type { QuestionExampleDto, QuestionExampleKind, QuestionRowDto } from '../contract/dto';
import { normalizeText } from './normalize';
import { scoreUncovered, PLATFORM_LOW_CONFIDENCE } from './rankQueues';

/**
 * Which bot question each utterance answered, as the call table keeps it: an index into `prompts` (the bot turn right
 * before it) and into `nodes` (that turn's flow node), −1 when absent. Index-aligned with the scored columns.
 */
export interface QuestionColumns {
  readonly prompt: ArrayLike<number>;
  readonly node: ArrayLike<number>;
  readonly prompts: readonly string[];
  readonly nodes: readonly string[];
}

/** The labeled rows the model was evaluated on, index-aligned: their utterance, label and out-of-fold prediction. */
export interface QuestionTrainingRows {
  readonly utterances: ArrayLike<number>;
  /** The label of each row, an index into `classes`. */
  readonly truth: ArrayLike<number>;
  /** The out-of-fold model's class of each row, an index into `classes`. */
  readonly predicted: ArrayLike<number>;
  /** 1 where the row was in a fold (its out-of-fold prediction is honest); rows of too-rare intents are 0. */
  readonly evaluated: ArrayLike<number>;
}

export interface QuestionReportInput {
  readonly questions: QuestionColumns;
  /** The final model's top class of every utterance (index into `classes`, −1 none). */
  readonly predicted: ArrayLike<number>;
  /** The final model's out-of-scope score of every utterance (higher = more likely no intent fits). */
  readonly outOfScope: ArrayLike<number>;
  /** The platform's confidence of every utterance (0 for "no match"). */
  readonly platformConfidence: ArrayLike<number>;
  /** The version's out-of-scope threshold. */
  readonly threshold: number;
  readonly training: QuestionTrainingRows;
  /** The model's intent ids. */
  readonly classes: readonly string[];
}

export interface QuestionReportOptions {
  /** Questions kept, most trouble first. Default 100. */
  readonly limit?: number;
  /** Example replies kept per question: up to half mistaken, a quarter uncovered, the rest plain when there are enough. Default 8. */
  readonly examples?: number;
  /** Confused pairs kept per question. Default 3. */
  readonly pairs?: number;
  /** Platform confidence under which a reply counts as uncovered. Default `PLATFORM_LOW_CONFIDENCE`. */
  readonly platformLowConfidence?: number;
}

export type { QuestionExampleKind };

/** An example reply: the DTO's, but naming the utterance by its row (the service adds its id and text). */
export interface QuestionExample extends Omit<QuestionExampleDto, 'utteranceId' | 'text'> {
  readonly utterance: number;
}

/** A (label → out-of-fold prediction) error and how often it occurs. */
export type QuestionConfusedPair = QuestionRowDto['confusedPairs'][number];

/**
 * One bot question's figures: the row the model report keeps (`QuestionRowDto`, whose fields say what they count),
 * plus the evaluated rows it got right (`accuracy` = correct / evaluated), with examples named by row. `confusedPairs`
 * are the most frequent first, ties by actual then predicted id; `trouble` is higher for more trouble.
 */
export interface QuestionStats extends Omit<QuestionRowDto, 'examples'> {
  readonly correct: number;
  /** A mix of mistaken, uncovered and plain replies (see `examples`), shown in that order, each in utterance order. */
  readonly examples: readonly QuestionExample[];
}

export interface QuestionReport {
  /** Questions with the most trouble first (ties: more replies first, then key), at most `limit`. */
  readonly questions: readonly QuestionStats[];
  /** How many questions there were before the limit. */
  readonly total: number;
}

interface Acc {
  readonly key: string;
  readonly node: string | null;
  readonly promptCounts: Map<number, number>;
  replies: number;
  labeled: number;
  evaluated: number;
  correct: number;
  covered: number;
  uncovered: number;
  readonly pairs: Map<string, number>;
  readonly confusedRows: number[];
  readonly uncoveredRows: number[];
  readonly plainRows: number[];
}

/**
 * The model report per bot question: groups every utterance by the question it answered (the flow node when its bot
 * turn names one, else the prompt text normalized with `normalizeText`), and gives per question its replies, the
 * out-of-fold accuracy of its labeled replies (pass out-of-fold predictions: an honest figure), the final model's
 * coverage, the Uncovered rule's share (`scoreUncovered`) and the most confused label pairs. Sorted by trouble
 * (uncovered + confused, higher first): the question whose replies the bot most often cannot place or mistakes is a
 * flow problem for the designers. Examples per question are utterance indexes.
 * References: per-slice error analysis (Chung et al. 2019, "Slice Finder").
 */
export function reportByQuestion(input: QuestionReportInput, options: QuestionReportOptions = {}): QuestionReport {
  const { questions: q, classes } = input;
  const n = input.predicted.length;
  const keep = options.examples ?? 8;
  const uncoveredScore = scoreUncovered(input.platformConfidence, input.outOfScope, {
    threshold: input.threshold,
    platformLowConfidence: options.platformLowConfidence ?? PLATFORM_LOW_CONFIDENCE,
  });
  const promptKey = new Map<number, string>();
  const keyOfPrompt = (p: number): string => {
    let key = promptKey.get(p);
    if (key === undefined) {
      key = `p:${normalizeText(q.prompts[p] ?? '')}`;
      promptKey.set(p, key);
    }
    return key;
  };
  const groups = new Map<string, Acc>();
  const groupOf = new Array<Acc>(n);
  for (let i = 0; i < n; i++) {
    const node = q.node[i]!;
    const prompt = q.prompt[i]!;
    const key = node >= 0 ? `n:${q.nodes[node]!}` : prompt >= 0 ? keyOfPrompt(prompt) : '';
    let acc = groups.get(key);
    if (!acc) {
      acc = { key, node: node >= 0 ? q.nodes[node]! : null, promptCounts: new Map(), replies: 0, labeled: 0, evaluated: 0, correct: 0, covered: 0, uncovered: 0, pairs: new Map(), confusedRows: [], uncoveredRows: [], plainRows: [] };
      groups.set(key, acc);
    }
    groupOf[i] = acc;
    acc.replies++;
    if (prompt >= 0) acc.promptCounts.set(prompt, (acc.promptCounts.get(prompt) ?? 0) + 1);
    if (input.outOfScope[i]! < input.threshold) acc.covered++;
    if (!Number.isNaN(uncoveredScore[i]!)) acc.uncovered++;
  }
  const trainingRow = new Int32Array(n).fill(-1);
  const t = input.training;
  for (let r = 0; r < t.utterances.length; r++) {
    const u = t.utterances[r]!;
    const acc = groupOf[u];
    if (!acc) continue;
    trainingRow[u] = r;
    acc.labeled++;
    if (t.evaluated[r] !== 1) continue;
    acc.evaluated++;
    if (t.predicted[r] === t.truth[r]) {
      acc.correct++;
      continue;
    }
    const pair = `${t.truth[r]!}\u0000${t.predicted[r]!}`;
    acc.pairs.set(pair, (acc.pairs.get(pair) ?? 0) + 1);
  }
  for (let i = 0; i < n; i++) {
    const acc = groupOf[i]!;
    const r = trainingRow[i]!;
    const confused = r >= 0 && t.evaluated[r] === 1 && t.predicted[r] !== t.truth[r];
    const rows = confused ? acc.confusedRows : !Number.isNaN(uncoveredScore[i]!) ? acc.uncoveredRows : acc.plainRows;
    if (rows.length < keep) rows.push(i);
  }
  const classOf = (c: number): string | null => (c >= 0 ? (classes[c] ?? null) : null);
  const example = (i: number, kind: QuestionExampleKind): QuestionExample => {
    const r = trainingRow[i]!;
    if (r >= 0) return { utterance: i, kind, label: classOf(t.truth[r]!), predicted: classOf(t.evaluated[r] === 1 ? t.predicted[r]! : input.predicted[i]!) };
    return { utterance: i, kind, label: null, predicted: classOf(input.predicted[i]!) };
  };
  const stats = [...groups.values()].map((acc): QuestionStats => {
    const pairs = [...acc.pairs.entries()]
      .map(([k, count]) => {
        const [a, p] = k.split('\u0000').map(Number);
        return { actual: classes[a!]!, predicted: classes[p!]!, count };
      })
      .sort((x, y) => y.count - x.count || cmp(x.actual, y.actual) || cmp(x.predicted, y.predicted))
      .slice(0, options.pairs ?? 3);
    const confused = acc.evaluated - acc.correct;
    // Up to half mistaken and a quarter uncovered, the rest plain replies (then more of the others), shown in that order.
    const mistaken = Math.ceil(keep / 2);
    const unplaced = Math.ceil(keep / 4);
    const picked = [
      ...acc.confusedRows.slice(0, mistaken).map((i) => example(i, 'confused')),
      ...acc.uncoveredRows.slice(0, unplaced).map((i) => example(i, 'uncovered')),
      ...acc.plainRows.map((i) => example(i, 'other')),
      ...acc.confusedRows.slice(mistaken).map((i) => example(i, 'confused')),
      ...acc.uncoveredRows.slice(unplaced).map((i) => example(i, 'uncovered')),
    ].slice(0, keep);
    const examples = picked.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.utterance - b.utterance);
    return {
      key: acc.key,
      question: mostFrequentPrompt(acc.promptCounts, q.prompts),
      node: acc.node,
      replies: acc.replies,
      labeled: acc.labeled,
      evaluated: acc.evaluated,
      correct: acc.correct,
      accuracy: acc.evaluated > 0 ? acc.correct / acc.evaluated : null,
      coverage: acc.covered / acc.replies,
      uncovered: acc.uncovered,
      uncoveredShare: acc.uncovered / acc.replies,
      confused,
      confusedPairs: pairs,
      trouble: acc.uncovered + confused,
      examples,
    };
  });
  stats.sort((a, b) => b.trouble - a.trouble || b.replies - a.replies || cmp(a.key, b.key));
  return { questions: stats.slice(0, options.limit ?? 100), total: stats.length };
}

const KIND_ORDER: Readonly<Record<QuestionExampleKind, number>> = { confused: 0, uncovered: 1, other: 2 };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The prompt asked most often (ties: the lower prompt index), '' when none. */
function mostFrequentPrompt(counts: Map<number, number>, prompts: readonly string[]): string {
  let best = -1;
  let most = 0;
  for (const [p, c] of counts) if (c > most || (c === most && p < best)) [best, most] = [p, c];
  return best >= 0 ? prompts[best]! : '';
}
