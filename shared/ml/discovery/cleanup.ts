import { fitFeaturizer, transformTexts, type CsrMatrix, type FeaturizerConfig } from '../featurize';
import { normalizeText } from '../normalize';

/** A labeled utterance as corpus cleanup sees it. */
export interface LabeledText {
  readonly id: string;
  readonly text: string;
  readonly label: string;
  /**
   * The question the utterance answered (`questionKey` in turnContext.ts: its flow node, else its bot prompt
   * normalized); '' or absent when it follows no bot turn.
   */
  readonly question?: string;
}

/** Utterances with the same normalized text, answering the same question, but with different labels. */
export interface ConflictGroup {
  readonly normalized: string;
  /** The question they all answered (`LabeledText.question`), '' when none. */
  readonly question: string;
  readonly items: readonly { readonly id: string; readonly label: string }[];
}

/** Two near-identical utterances labeled with different intents. */
export interface NearDuplicatePair {
  readonly a: string;
  readonly b: string;
  readonly labelA: string;
  readonly labelB: string;
  /** Cosine similarity of their TF-IDF vectors, in [minSimilarity, 1]. */
  readonly similarity: number;
}

/** Options of {@link nearDuplicatesAcrossIntents}. */
export interface NearDuplicateOptions {
  /** Pairs below this cosine similarity are not reported; 0.9 when absent. */
  readonly minSimilarity?: number;
  /** Pairs returned at most; 1000 when absent. */
  readonly maxPairs?: number;
}

/** A pair of intents the model confuses, in either direction. */
export interface ConfusedPair {
  /** The intent whose utterances go to `b` at least as often as the other way round. */
  readonly a: string;
  readonly b: string;
  /** Utterances labeled `a` predicted as `b`. */
  readonly aToB: number;
  /** Utterances labeled `b` predicted as `a`. */
  readonly bToA: number;
  /** (aToB + bToA) / (support of a + support of b), in [0, 1]. */
  readonly rate: number;
}

/** Options of {@link confusedIntentPairs}. */
export interface ConfusedPairOptions {
  /** Pairs with fewer confusions (both directions together) are left out; 2 when absent. */
  readonly minCount?: number;
  /** Pairs returned at most; 20 when absent. */
  readonly top?: number;
}

const DEFAULT_MIN_SIMILARITY = 0.9;
const DEFAULT_MAX_PAIRS = 1000;
const DEFAULT_CONFUSION_MIN_COUNT = 2;
const DEFAULT_CONFUSION_TOP = 20;

/**
 * Word 1–2-grams and CJK 1–3-grams, no Latin char n-grams (the empty 2..1 range): near-duplicates share their words,
 * and rows four times sparser keep 100k utterances fast.
 */
export const NEAR_DUPLICATE_FEATURES: Partial<FeaturizerConfig> = { charNgramMin: 2, charNgramMax: 1, charGroupWeight: 0 };

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Groups utterances whose normalized texts ({@link normalizeText}) are equal and that answered the same question
 * (`question`, see `questionKey`) but whose labels differ: the same words after different questions ("是的" after
 * the identity check and after the transaction check) are different replies, not a conflict. Each group lists all its
 * utterances in input order. Biggest groups first, ties by normalized text, then by question; texts that normalize
 * to '' are ignored.
 */
export function conflictingDuplicates(items: readonly LabeledText[]): ConflictGroup[] {
  const groups = new Map<string, { normalized: string; question: string; items: LabeledText[] }>();
  for (const item of items) {
    const normalized = normalizeText(item.text);
    if (normalized === '') continue;
    const question = item.question ?? '';
    const key = `${normalized}\u0000${question}`;
    const group = groups.get(key);
    if (group) group.items.push(item);
    else groups.set(key, { normalized, question, items: [item] });
  }
  const conflicts: ConflictGroup[] = [];
  for (const { normalized, question, items: group } of groups.values()) {
    const first = group[0]!.label;
    if (group.every((item) => item.label === first)) continue;
    conflicts.push({ normalized, question, items: group.map(({ id, label }) => ({ id, label })) });
  }
  return conflicts.sort(
    (x, y) => y.items.length - x.items.length || compareStrings(x.normalized, y.normalized) || compareStrings(x.question, y.question),
  );
}

/** One distinct normalized text: its labels, and per label the id of the first utterance carrying it. */
interface DistinctText {
  readonly text: string;
  readonly labels: string[];
  readonly firstIds: string[];
}

function distinctTexts(items: readonly LabeledText[]): DistinctText[] {
  const byText = new Map<string, DistinctText>();
  for (const item of items) {
    const normalized = normalizeText(item.text);
    if (normalized === '') continue;
    let entry = byText.get(normalized);
    if (!entry) {
      entry = { text: normalized, labels: [], firstIds: [] };
      byText.set(normalized, entry);
    }
    if (!entry.labels.includes(item.label)) {
      entry.labels.push(item.label);
      entry.firstIds.push(item.id);
    }
  }
  return [...byText.values()];
}

/** True when every label pair between the two texts is the same single label. */
function sameSingleLabel(x: DistinctText, y: DistinctText): boolean {
  return x.labels.length === 1 && y.labels.length === 1 && x.labels[0] === y.labels[0];
}

/** Columns ranked by ascending document frequency (rarest first), ties by column: `rankOf[c]` and its inverse. */
function rankColumns(x: CsrMatrix): { rankOf: Int32Array; columnAt: Int32Array } {
  const df = new Int32Array(x.cols);
  for (let k = 0; k < x.indices.length; k++) df[x.indices[k]!]!++;
  let maxDf = 0;
  for (let c = 0; c < x.cols; c++) if (df[c]! > maxDf) maxDf = df[c]!;
  const starts = new Int32Array(maxDf + 2);
  for (let c = 0; c < x.cols; c++) starts[df[c]! + 1]!++;
  for (let d = 0; d <= maxDf; d++) starts[d + 1]! += starts[d]!;
  const rankOf = new Int32Array(x.cols);
  const columnAt = new Int32Array(x.cols);
  for (let c = 0; c < x.cols; c++) {
    const rank = starts[df[c]!]!++;
    rankOf[c] = rank;
    columnAt[rank] = c;
  }
  return { rankOf, columnAt };
}

/**
 * The prefix of each row to index for all-pairs search at cosine ≥ `threshold`: each row's columns are ordered
 * rarest first (see {@link rankColumns}), and the prefix is the shortest run of them whose remaining suffix has L2
 * norm below `threshold`. Two unit rows with cosine ≥ threshold share a prefix column.
 * Returns the prefix columns as a CSR-like pair (`starts`, `columns`).
 */
function indexPrefixes(x: CsrMatrix, threshold: number): { starts: Int32Array; columns: Int32Array } {
  const { rankOf, columnAt } = rankColumns(x);
  const valueOf = new Float32Array(x.cols);
  const ranks = new Int32Array(x.cols === 0 ? 0 : Math.max(1, maxRowLength(x)));
  const starts = new Int32Array(x.rows + 1);
  const columns = new Int32Array(x.indices.length);
  const limit = threshold * threshold;
  let written = 0;
  for (let r = 0; r < x.rows; r++) {
    const start = x.indptr[r]!;
    const length = x.indptr[r + 1]! - start;
    let suffix = 0;
    for (let k = 0; k < length; k++) {
      const c = x.indices[start + k]!;
      const v = x.values[start + k]!;
      valueOf[c] = v;
      ranks[k] = rankOf[c]!;
      suffix += v * v;
    }
    const ordered = ranks.subarray(0, length).sort();
    for (let k = 0; k < length && suffix >= limit; k++) {
      const c = columnAt[ordered[k]!]!;
      columns[written++] = c;
      suffix -= valueOf[c]! * valueOf[c]!;
    }
    starts[r + 1] = written;
  }
  return { starts, columns: columns.slice(0, written) };
}

function maxRowLength(x: CsrMatrix): number {
  let longest = 0;
  for (let r = 0; r < x.rows; r++) longest = Math.max(longest, x.indptr[r + 1]! - x.indptr[r]!);
  return longest;
}

/** Inverted lists of the prefix columns: rows holding column c in their prefix, ascending. */
function postingsOf(prefixes: { starts: Int32Array; columns: Int32Array }, rows: number, cols: number): { starts: Int32Array; rows: Int32Array } {
  const counts = new Int32Array(cols + 1);
  for (let k = 0; k < prefixes.columns.length; k++) counts[prefixes.columns[k]! + 1]!++;
  for (let c = 0; c < cols; c++) counts[c + 1]! += counts[c]!;
  const fill = counts.slice(0, cols);
  const list = new Int32Array(prefixes.columns.length);
  for (let r = 0; r < rows; r++) {
    for (let k = prefixes.starts[r]!; k < prefixes.starts[r + 1]!; k++) list[fill[prefixes.columns[k]!]!++] = r;
  }
  return { starts: counts, rows: list };
}

/**
 * Near-duplicate utterances labeled with different intents: cosine similarity ≥ `minSimilarity` (0.9 by default)
 * between L2-normalized hashed TF-IDF vectors (Latin word 1–2-grams and CJK character 1–3-grams; IDF fitted on the
 * distinct texts; no Latin char n-grams, so "refund" and "refunds" differ). Texts are compared after normalization ({@link normalizeText}) and folded: a pair links two
 * different normalized texts (equal ones belong to {@link conflictingDuplicates}), one pair per label pair, `a`/`b`
 * being the first utterance of each text carrying that label. Most similar first (higher = more alike, in
 * [minSimilarity, 1]), ties by ids; at most `maxPairs`.
 * Runs in near-linear time: candidates come from prefix filtering (rare features first), so only pairs sharing a
 * rare enough feature are scored exactly.
 * References: Bayardo, Ma, Srikant (2007), "Scaling up all pairs similarity search"; Chaudhuri, Ganti, Kaushik
 * (2006), "A primitive operator for similarity joins in data cleaning".
 */
export function nearDuplicatesAcrossIntents(
  items: readonly LabeledText[],
  options: NearDuplicateOptions = {},
): NearDuplicatePair[] {
  const threshold = Math.min(1, Math.max(1e-6, options.minSimilarity ?? DEFAULT_MIN_SIMILARITY));
  const maxPairs = options.maxPairs ?? DEFAULT_MAX_PAIRS;
  const texts = distinctTexts(items);
  if (texts.length < 2) return [];
  const corpus = texts.map((entry) => entry.text);
  const x = transformTexts(fitFeaturizer(corpus, NEAR_DUPLICATE_FEATURES), corpus);
  const prefixes = indexPrefixes(x, threshold);
  const postings = postingsOf(prefixes, x.rows, x.cols);
  const dense = new Float32Array(x.cols);
  const seen = new Int32Array(x.rows).fill(-1);
  const pairs: NearDuplicatePair[] = [];
  const floor = threshold - 1e-6;
  for (let r = 0; r < x.rows; r++) {
    const probe = texts[r]!;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) dense[x.indices[k]!] = x.values[k]!;
    for (let p = prefixes.starts[r]!; p < prefixes.starts[r + 1]!; p++) {
      const c = prefixes.columns[p]!;
      for (let q = postings.starts[c]!; q < postings.starts[c + 1]!; q++) {
        const other = postings.rows[q]!;
        if (other >= r) break;
        if (seen[other] === r) continue;
        seen[other] = r;
        const candidate = texts[other]!;
        if (sameSingleLabel(probe, candidate)) continue;
        let dot = 0;
        for (let t = x.indptr[other]!; t < x.indptr[other + 1]!; t++) dot += dense[x.indices[t]!]! * x.values[t]!;
        if (dot < floor) continue;
        const similarity = Math.min(1, dot);
        for (let i = 0; i < candidate.labels.length; i++) {
          for (let j = 0; j < probe.labels.length; j++) {
            if (candidate.labels[i] === probe.labels[j]) continue;
            pairs.push({
              a: candidate.firstIds[i]!,
              b: probe.firstIds[j]!,
              labelA: candidate.labels[i]!,
              labelB: probe.labels[j]!,
              similarity,
            });
          }
        }
      }
    }
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) dense[x.indices[k]!] = 0;
  }
  pairs.sort((p, q) => q.similarity - p.similarity || compareStrings(p.a, q.a) || compareStrings(p.b, q.b));
  return pairs.slice(0, maxPairs);
}

/**
 * Pairs of intents the model keeps confusing, from out-of-fold predictions (in-sample predictions hide confusion):
 * `truth[i]` and `predicted[i]` index `labels` (negative entries are skipped). For each unordered pair, aToB and
 * bToA count the utterances of one predicted as the other, and rate = (aToB + bToA) / (support of a + support of b),
 * support counted over `truth`. `a` is the side confused more often (aToB ≥ bToA; ties: the lower label index).
 * Pairs with fewer than `minCount` confusions are left out; highest rate first (higher = more often confused, in
 * [0, 1]), then more confusions, then by label names; at most `top`. Candidates to merge, or to sharpen with
 * examples.
 * References: Northcutt, Jiang, Chuang (2021), "Confident learning" (cleanlab `find_overlapping_classes`).
 */
export function confusedIntentPairs(
  truth: Int32Array,
  predicted: Int32Array,
  labels: readonly string[],
  options: ConfusedPairOptions = {},
): ConfusedPair[] {
  const minCount = options.minCount ?? DEFAULT_CONFUSION_MIN_COUNT;
  const top = options.top ?? DEFAULT_CONFUSION_TOP;
  const k = labels.length;
  const support = new Float64Array(k);
  const confusions = new Map<number, number>();
  const n = Math.min(truth.length, predicted.length);
  for (let i = 0; i < n; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t < 0 || t >= k) continue;
    support[t]!++;
    if (p < 0 || p >= k || p === t) continue;
    const key = t * k + p;
    confusions.set(key, (confusions.get(key) ?? 0) + 1);
  }
  const pairs: ConfusedPair[] = [];
  const visited = new Set<number>();
  for (const key of confusions.keys()) {
    const t = Math.floor(key / k);
    const p = key % k;
    const low = Math.min(t, p);
    const high = Math.max(t, p);
    const pairKey = low * k + high;
    if (visited.has(pairKey)) continue;
    visited.add(pairKey);
    const lowToHigh = confusions.get(low * k + high) ?? 0;
    const highToLow = confusions.get(high * k + low) ?? 0;
    const total = lowToHigh + highToLow;
    if (total < minCount) continue;
    const lowFirst = lowToHigh >= highToLow;
    pairs.push({
      a: labels[lowFirst ? low : high]!,
      b: labels[lowFirst ? high : low]!,
      aToB: lowFirst ? lowToHigh : highToLow,
      bToA: lowFirst ? highToLow : lowToHigh,
      rate: total / (support[low]! + support[high]!),
    });
  }
  pairs.sort(
    (x, y) => y.rate - x.rate || y.aToB + y.bToA - (x.aToB + x.bToA) || compareStrings(x.a, y.a) || compareStrings(x.b, y.b),
  );
  return pairs.slice(0, top);
}
