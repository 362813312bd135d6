import { normalizeText } from '../normalize';

/** A keyword of a cluster and its class-based TF-IDF score (higher = more specific to the cluster). */
export interface ScoredTerm {
  readonly term: string;
  readonly score: number;
}

/** Options of {@link clusterKeywords}. */
export interface ClusterKeywordsOptions {
  /** Keywords kept per cluster; 8 when absent. */
  readonly top?: number;
  /** Per-text counts, index-aligned with `clusters` (near-duplicates folded upstream); 1 each when absent. */
  readonly weights?: readonly (readonly number[])[];
}

/** Options of {@link suggestName}. */
export interface SuggestNameOptions {
  /** Words (a bigram counts two) the name may hold; 2 when absent. */
  readonly maxTerms?: number;
}

const ZH_STOPWORDS = [
  '的', '地', '得', '了', '着', '过', '吗', '呢', '吧', '啊', '呀', '哦', '噢', '喔', '嗯', '呃', '额', '哎', '唉', '哈', '嘛', '啦', '喂', '哟',
  '我', '你', '您', '他', '她', '它', '我们', '你们', '他们', '她们', '咱', '咱们', '自己', '本人',
  '是', '在', '就', '都', '也', '还', '又', '再', '才', '很', '太', '挺', '好', '对', '行', '那', '这', '这个', '那个', '这样', '那样',
  '请', '请问', '麻烦', '一下', '帮', '帮我', '给', '给我', '把', '被', '让', '和', '跟', '与', '及', '或', '或者', '而且', '但是', '可是', '然后', '就是', '还是',
  '想', '我想', '要', '我要', '想要', '能', '能不能', '可以', '可不可以', '会', '需要', '一个', '个', '些', '一些', '有点', '什么', '怎么', '怎么样', '样', '么',
  '谢谢', '你好', '您好', '嗯嗯', '好的', '那么', '这么', '现在', '刚才', '已经',
];

const EN_STOPWORDS = [
  'a', 'an', 'the', 'to', 'of', 'in', 'on', 'for', 'at', 'by', 'with', 'from', 'about', 'into', 'and', 'or', 'but', 'so', 'if', 'as',
  'i', 'me', 'my', 'mine', 'myself', 'im', 'ive', 'id', 'you', 'your', 'yours', 'we', 'us', 'our', 'he', 'him', 'his', 'she', 'her',
  'it', 'its', 'they', 'them', 'their', 'this', 'that', 'these', 'those', 'there', 'here',
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'have', 'has', 'had',
  'can', 'could', 'would', 'will', 'should', 'shall', 'may', 'might', 'must',
  'please', 'pls', 'hi', 'hello', 'hey', 'thanks', 'thank', 'ok', 'okay', 'um', 'uh', 'hmm', 'oh', 'well', 'just', 'like',
  'want', 'wanna', 'need', 'some', 'any', 'what', 'whats', 'how', 'hows', 'which', 'who', 'whom', 'when', 'where', 'why',
  'up', 'out', 'all', 'very', 'too', 'also', 'now', 'then', 'than',
];

const STOPWORDS: ReadonlySet<string> = new Set([...ZH_STOPWORDS, ...EN_STOPWORDS]);
const HAS_LETTER = /\p{L}/u;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const BIGRAM_CLOSENESS = 0.8;
const DEFAULT_TOP = 8;
const DEFAULT_NAME_TERMS = 2;

let segmenter: Intl.Segmenter | undefined;

/** One word segmenter for every script: ICU's dictionary splits Han runs and the UAX #29 rules split the rest. */
function wordSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  return segmenter;
}

/** True when `word` is a stopword of the built-in zh or en lists (compared after normalization). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * Splits an utterance into content words: the text is normalized ({@link normalizeText}: NFKC, lower case, numbers
 * folded to `0`, punctuation removed), cut into words with `Intl.Segmenter` (one 'zh' segmenter: its dictionary
 * splits Han runs, and Latin words split at spaces as with 'en'), and stopwords (small built-in zh and en lists)
 * and tokens without a letter (number placeholders, stray marks) are dropped. Order is kept.
 */
export function segmentWords(text: string): string[] {
  return wordsOf(text, false);
}

function pushWord(words: string[], word: string, keepStopwords: boolean): void {
  if (HAS_LETTER.test(word) && (keepStopwords || !STOPWORDS.has(word))) words.push(word);
}

/**
 * The words of one text: normalized text is split at spaces, and only tokens holding a CJK character go through
 * the segmenter (splitting Latin words again would give the same words, much slower).
 */
function wordsOf(text: string, keepStopwords: boolean): string[] {
  const words: string[] = [];
  for (const token of normalizeText(text).split(' ')) {
    if (!CJK_CHAR.test(token)) {
      pushWord(words, token, keepStopwords);
      continue;
    }
    for (const segment of wordSegmenter().segment(token)) {
      if (segment.isWordLike) pushWord(words, segment.segment, keepStopwords);
    }
  }
  return words;
}

function endsCjk(word: string): boolean {
  return CJK_CHAR.test(word.charAt(word.length - 1));
}

function startsCjk(word: string): boolean {
  return CJK_CHAR.test(word.charAt(0));
}

/** Joins two adjacent words: with a space between two Latin words, directly when either side is Chinese. */
function joinBigram(left: string, right: string): string {
  return endsCjk(left) || startsCjk(right) ? left + right : `${left} ${right}`;
}

interface TermInfo {
  readonly parts: readonly [string, string] | null;
}

/**
 * Counts the unigrams and adjacent-word bigrams of one cluster's texts, each text weighted by its count.
 * Records each bigram's two words in `terms`; stopwords are counted too when `keepStopwords` is set.
 */
function countTerms(
  texts: readonly string[],
  weights: readonly number[] | undefined,
  terms: Map<string, TermInfo>,
  keepStopwords: boolean,
  cache: Map<string, string[]>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < texts.length; i++) {
    const weight = weights?.[i] ?? 1;
    if (!(weight > 0)) continue;
    const text = texts[i]!;
    let words = keepStopwords ? undefined : cache.get(text);
    if (!words) {
      words = wordsOf(text, keepStopwords);
      if (!keepStopwords) cache.set(text, words);
    }
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      counts.set(word, (counts.get(word) ?? 0) + weight);
      if (!terms.has(word)) terms.set(word, { parts: null });
      if (w === 0) continue;
      const previous = words[w - 1]!;
      const bigram = joinBigram(previous, word);
      counts.set(bigram, (counts.get(bigram) ?? 0) + weight);
      if (!terms.has(bigram)) terms.set(bigram, { parts: [previous, word] });
    }
  }
  return counts;
}

function byScoreThenTerm(a: ScoredTerm, b: ScoredTerm): number {
  return b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
}

/**
 * Lets bigrams stand in for their words: a bigram scoring at least 0.8 × a word's score replaces that word (both
 * words when close to both); a bigram close to neither word is dropped, as its words say it better.
 */
function preferBigrams(scores: Map<string, number>, terms: Map<string, TermInfo>): ScoredTerm[] {
  const absorbed = new Set<string>();
  const droppedBigrams = new Set<string>();
  for (const [term, score] of scores) {
    const parts = terms.get(term)?.parts;
    if (!parts) continue;
    let closeToAny = false;
    for (const part of parts) {
      if (score >= BIGRAM_CLOSENESS * (scores.get(part) ?? 0)) {
        absorbed.add(part);
        closeToAny = true;
      }
    }
    if (!closeToAny) droppedBigrams.add(term);
  }
  const kept: ScoredTerm[] = [];
  for (const [term, score] of scores) {
    if (absorbed.has(term) || droppedBigrams.has(term)) continue;
    kept.push({ term, score });
  }
  return kept;
}

/**
 * Keywords per cluster by class-based TF-IDF over unigrams and adjacent-word bigrams (from {@link segmentWords};
 * a Chinese bigram is shown joined with no space, "退款进度", an English one with a space, "refund status"):
 * score(t, c) = tf(t, c) / (terms in c) × ln(1 + A / f(t)), where tf counts t in cluster c (each text weighted by
 * its count), A is the average number of terms per cluster and f(t) the count of t over all clusters.
 * A bigram scoring at least 0.8 × one of its words replaces that word; a bigram close to neither word is dropped.
 * A cluster whose texts hold only stopwords ("好的", "行") is counted with its stopwords instead.
 * Returns, index-aligned with `clusters`, the top terms by score (higher = more specific to the cluster),
 * ties broken by term; an empty cluster gets no keywords.
 * References: Grootendorst (2022), "BERTopic: Neural topic modeling with a class-based TF-IDF procedure".
 */
export function clusterKeywords(
  clusters: readonly (readonly string[])[],
  options: ClusterKeywordsOptions = {},
): ScoredTerm[][] {
  const top = options.top ?? DEFAULT_TOP;
  const terms = new Map<string, TermInfo>();
  const cache = new Map<string, string[]>();
  const perCluster = clusters.map((texts, c) => {
    const counts = countTerms(texts, options.weights?.[c], terms, false, cache);
    return counts.size > 0 ? counts : countTerms(texts, options.weights?.[c], terms, true, cache);
  });
  const frequency = new Map<string, number>();
  const clusterSizes: number[] = [];
  let totalTerms = 0;
  for (const counts of perCluster) {
    let size = 0;
    for (const [term, count] of counts) {
      frequency.set(term, (frequency.get(term) ?? 0) + count);
      size += count;
    }
    clusterSizes.push(size);
    totalTerms += size;
  }
  const averageTerms = clusters.length > 0 ? totalTerms / clusters.length : 0;
  return perCluster.map((counts, c) => {
    const size = clusterSizes[c]!;
    if (size === 0) return [];
    const scores = new Map<string, number>();
    for (const [term, count] of counts) {
      scores.set(term, (count / size) * Math.log(1 + averageTerms / frequency.get(term)!));
    }
    return preferBigrams(scores, terms).sort(byScoreThenTerm).slice(0, top);
  });
}

function wordsOfTerm(term: string): string[] {
  const pieces = term.split(' ');
  if (pieces.length > 1) return pieces;
  const words: string[] = [];
  for (const segment of wordSegmenter().segment(term)) if (segment.isWordLike) words.push(segment.segment);
  return words.length > 0 ? words : [term];
}

interface NamePart {
  readonly term: string;
  readonly score: number;
  readonly words: readonly string[];
}

function sharesWord(a: readonly string[], b: readonly string[]): boolean {
  return a.some((word) => b.includes(word));
}

function joinName(parts: readonly NamePart[]): string {
  let name = '';
  for (const word of parts.flatMap((part) => part.words)) {
    if (name === '') name = word;
    else name += endsCjk(name) || startsCjk(word) ? word : `_${word}`;
  }
  return name;
}

/**
 * Suggests an intent name from a cluster's keywords (best first), using at most `maxTerms` words (2 by default; a
 * bigram brings two). Keywords are taken in order: one inside a chosen keyword, or sharing a word with it, is
 * skipped; one containing a chosen keyword replaces it when it scores at least 0.8 × as high ("发票" → "开发票");
 * others scoring at least half the best one are added while the words fit. Chinese words are written together and Latin words joined by '_', as intent
 * names are identifiers: 退款 + 进度 → "退款进度", "refund status" → "refund_status", "qq" + "音乐" → "qq音乐".
 * Returns '' when there are no keywords; the team lead edits the suggestion before accepting it.
 */
/** A further keyword joins the name only when it scores at least this share of the best one (a weak word makes a noisy name). */
const SECOND_TERM_SHARE = 0.5;

export function suggestName(keywords: readonly ScoredTerm[], options: SuggestNameOptions = {}): string {
  const maxTerms = Math.max(1, options.maxTerms ?? DEFAULT_NAME_TERMS);
  const parts: NamePart[] = [];
  let used = 0;
  for (const { term, score } of keywords) {
    if (used >= maxTerms) break;
    const words = wordsOfTerm(term);
    if (parts.some((part) => part.term.includes(term))) continue;
    const contained = parts.findIndex((part) => term.includes(part.term));
    if (contained >= 0) {
      const part = parts[contained]!;
      const grown = used - part.words.length + words.length;
      if (score >= BIGRAM_CLOSENESS * part.score && grown <= maxTerms) {
        parts[contained] = { term, score, words };
        used = grown;
      }
      continue;
    }
    if (parts.some((part) => sharesWord(part.words, words))) continue;
    if (used + words.length > maxTerms) continue;
    if (parts.length > 0 && score < SECOND_TERM_SHARE * parts[0]!.score) continue;
    parts.push({ term, score, words });
    used += words.length;
  }
  return joinName(parts);
}
