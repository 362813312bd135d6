import { normalizeText } from './normalize';
import { fmix32 } from './random';
import { splitModelText } from './turnContext';

/** A compressed-sparse-row matrix: row r holds `indices[indptr[r]..indptr[r+1])` with `values` alongside, columns ascending. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** How utterances become hashed n-gram features. Plain data, so it travels inside a model artifact. */
export interface FeaturizerConfig {
  /** Hash space is 2^hashBits buckets (18–20 suits intent data). */
  readonly hashBits: number;
  /** Latin word n-grams up to this length (1 or 2). */
  readonly wordNgramMax: number;
  /** Latin character n-grams inside each space-padded word, from this length… */
  readonly charNgramMin: number;
  /** …to this length (like scikit-learn's `char_wb`). */
  readonly charNgramMax: number;
  /** CJK character n-grams of length 1 to this, over each space-padded CJK run. */
  readonly cjkNgramMax: number;
  /** Weight of the word group (Latin words and CJK n-grams) after the group is L2-normalized. */
  readonly wordGroupWeight: number;
  /** Weight of the Latin character n-gram group after the group is L2-normalized. */
  readonly charGroupWeight: number;
  /**
   * Weight of the prompt group (the bot turn the utterance answered, and its flow node: word n-grams and CJK n-grams
   * in buckets of their own) after the group is L2-normalized; 0 = the prompt is not read. Absent in artifacts
   * written before context existed, which load with 0.
   */
  readonly promptGroupWeight: number;
  /** Weight of the previous-user-turn group (word and CJK n-grams in buckets of their own); 0 = not read. */
  readonly previousGroupWeight: number;
  /** Buckets seen in fewer training utterances than this are dropped. */
  readonly minDf: number;
  /** Term frequency tf becomes 1 + ln(tf). */
  readonly sublinearTf: boolean;
}

/**
 * The defaults: 2^20 buckets, word 1–2-grams, char_wb 2–5-grams, CJK 1–3-grams, sublinear TF-IDF, the utterance
 * alone (context groups off; `CONTEXT_GROUP_WEIGHTS` turns them on).
 */
export const DEFAULT_FEATURIZER_CONFIG: FeaturizerConfig = {
  hashBits: 20,
  wordNgramMax: 2,
  charNgramMin: 2,
  charNgramMax: 5,
  cjkNgramMax: 3,
  wordGroupWeight: 1,
  charGroupWeight: 1,
  promptGroupWeight: 0,
  previousGroupWeight: 0,
  minDf: 1,
  sublinearTf: true,
};

/**
 * The context group weights a model trained on texts with context uses: the prompt weighs as much as each of the
 * utterance's two groups, the previous user turn 0.7 of that. Chosen on SGD's validation dialogues (trained on its
 * training dialogues, test dialogues unseen): prompt 0.7 / 1 / 1.4 × previous 0.35–1.2 gave 69.4–71.7%, this 71.7%.
 */
export const CONTEXT_GROUP_WEIGHTS: Pick<FeaturizerConfig, 'promptGroupWeight' | 'previousGroupWeight'> = {
  promptGroupWeight: 1,
  previousGroupWeight: 0.7,
};

/** A fitted featurizer: the buckets kept as columns (ascending) and each column's IDF. */
export interface Featurizer {
  readonly config: FeaturizerConfig;
  /** Column j is hash bucket `columnBuckets[j]`; ascending. */
  readonly columnBuckets: Int32Array;
  /** Smoothed IDF per column: ln((1 + n) / (1 + df)) + 1, as scikit-learn's `smooth_idf`. */
  readonly idf: Float32Array;
  /** Number of training utterances the IDF was counted over. */
  readonly documents: number;
}

/** The hashed features of one model text, per group, in emission order (duplicates kept). */
export interface HashedFeatures {
  readonly word: Int32Array;
  readonly char: Int32Array;
  /** Prompt and node buckets; empty when the config does not read the prompt. */
  readonly prompt: Int32Array;
  /** Previous-user-turn buckets; empty when the config does not read it. */
  readonly previous: Int32Array;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
const SPACE = 32;
const SEED_WORD = fmix32(FNV_OFFSET ^ 0x57);
const SEED_CHAR = fmix32(FNV_OFFSET ^ 0x43);
const SEED_CJK = fmix32(FNV_OFFSET ^ 0x4a);
const SEED_BIGRAM = 0x2545f491;
const SEED_NODE = fmix32(FNV_OFFSET ^ 0x4e);

/** The seeds one group's tokens are hashed with, so each group has buckets of its own; `char` = emit char_wb n-grams. */
interface GroupSeeds {
  readonly word: number;
  readonly cjk: number;
  readonly bigram: number;
  readonly char: boolean;
}

const UTTERANCE_SEEDS: GroupSeeds = { word: SEED_WORD, cjk: SEED_CJK, bigram: SEED_BIGRAM, char: true };
const PROMPT_SEEDS: GroupSeeds = { word: fmix32(SEED_WORD ^ 0x50), cjk: fmix32(SEED_CJK ^ 0x50), bigram: fmix32(SEED_BIGRAM ^ 0x50), char: false };
const PREVIOUS_SEEDS: GroupSeeds = { word: fmix32(SEED_WORD ^ 0x55), cjk: fmix32(SEED_CJK ^ 0x55), bigram: fmix32(SEED_BIGRAM ^ 0x55), char: false };


/**
 * FNV-1a 32-bit over the UTF-16 code units of `text[start, end)`, read in place (no substring copy);
 * equals the byte-wise FNV-1a for ASCII. Returns an unsigned 32-bit integer.
 * References: Fowler, Noll, Vo, "FNV hash" (IETF draft-eastlake-fnv).
 */
export function fnv1a32(text: string, start = 0, end = text.length): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** True for Han, kana and Hangul code units: scripts written without spaces, featurized as character n-grams. */
function isCjk(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0xd800 && c <= 0xdfff)
  );
}

/** Growable scratch for one utterance's bucket ids, reused across utterances. */
interface Scratch {
  word: Int32Array;
  wordLength: number;
  char: Int32Array;
  charLength: number;
}

function createScratch(): Scratch {
  return { word: new Int32Array(256), wordLength: 0, char: new Int32Array(1024), charLength: 0 };
}

/** `buffer` when it has room after its first `length` values, else a copy of it twice as long. */
function withRoom(buffer: Int32Array, length: number): Int32Array {
  if (length < buffer.length) return buffer;
  const grown = new Int32Array(buffer.length * 2);
  grown.set(buffer);
  return grown;
}

function pushWord(s: Scratch, bucket: number): void {
  s.word = withRoom(s.word, s.wordLength);
  s.word[s.wordLength++] = bucket;
}

function pushChar(s: Scratch, bucket: number): void {
  s.char = withRoom(s.char, s.charLength);
  s.char[s.charLength++] = bucket;
}

/** Code unit at position p of `text[start, start+length)` padded with one space on each side. */
function paddedCode(text: string, start: number, length: number, p: number): number {
  return p === 0 || p === length + 1 ? SPACE : text.charCodeAt(start + p - 1);
}

/**
 * Hashes one normalized text into `scratch` (which it resets) with a group's seeds. Tokens are maximal runs of
 * non-space code units of one kind (CJK or not), so "打开qq音乐" gives 打开 · qq · 音乐. Latin tokens give word
 * unigrams, bigrams of consecutive Latin tokens (a CJK run breaks the chain) and, when the group has them, char_wb
 * n-grams; CJK runs give character n-grams over the space-padded run (unigrams of the padding excluded).
 */
function hashInto(text: string, config: FeaturizerConfig, scratch: Scratch, seeds: GroupSeeds = UTTERANCE_SEEDS): void {
  scratch.wordLength = 0;
  scratch.charLength = 0;
  const mask = (1 << config.hashBits) - 1;
  const { wordNgramMax, charNgramMin, charNgramMax, cjkNgramMax } = config;
  const length = text.length;
  let previousWord = 0;
  let hasPreviousWord = false;
  let i = 0;
  while (i < length) {
    const first = text.charCodeAt(i);
    if (first === SPACE) {
      i++;
      continue;
    }
    const start = i;
    const cjk = isCjk(first);
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c === SPACE || isCjk(c) !== cjk) break;
      i++;
    }
    const tokenLength = i - start;
    const paddedLength = tokenLength + 2;
    if (cjk) {
      hasPreviousWord = false;
      for (let p = 0; p < paddedLength; p++) {
        let h = seeds.cjk;
        for (let k = 0; k < cjkNgramMax && p + k < paddedLength; k++) {
          h = Math.imul(h ^ paddedCode(text, start, tokenLength, p + k), FNV_PRIME);
          if (k === 0 && (p === 0 || p === paddedLength - 1)) continue;
          pushWord(scratch, fmix32(h) & mask);
        }
      }
      continue;
    }
    let word = seeds.word;
    for (let j = start; j < i; j++) word = Math.imul(word ^ text.charCodeAt(j), FNV_PRIME);
    pushWord(scratch, fmix32(word) & mask);
    if (wordNgramMax >= 2 && hasPreviousWord) {
      pushWord(scratch, fmix32(Math.imul(previousWord, 0x9e3779b1) ^ word ^ seeds.bigram) & mask);
    }
    previousWord = word;
    hasPreviousWord = true;
    if (!seeds.char) continue;
    for (let p = 0; p < paddedLength; p++) {
      let h = SEED_CHAR;
      for (let k = 0; k < charNgramMax && p + k < paddedLength; k++) {
        h = Math.imul(h ^ paddedCode(text, start, tokenLength, p + k), FNV_PRIME);
        if (k + 1 >= charNgramMin) pushChar(scratch, fmix32(h) & mask);
      }
    }
  }
}

/** Scratch for the four groups of one model text. */
interface TextScratch {
  readonly utterance: Scratch;
  readonly prompt: Scratch;
  readonly previous: Scratch;
}

function createTextScratch(): TextScratch {
  return { utterance: createScratch(), prompt: createScratch(), previous: createScratch() };
}

/**
 * Hashes one model text (`contextualText`: an utterance, or an utterance with its context), each part normalized on
 * its own, into `scratch`: the utterance into word and char groups, the prompt and the node into the prompt group and
 * the previous user turn into its own, each only when the config weighs it (else the group is left empty).
 */
function hashModelText(text: string, config: FeaturizerConfig, scratch: TextScratch): void {
  const parts = splitModelText(text);
  hashInto(normalizeText(parts.utterance), config, scratch.utterance);
  scratch.prompt.wordLength = 0;
  scratch.previous.wordLength = 0;
  if (config.promptGroupWeight > 0) {
    if (parts.prompt) hashInto(normalizeText(parts.prompt), config, scratch.prompt, PROMPT_SEEDS);
    if (parts.node) pushWord(scratch.prompt, fmix32(fnv1a32(parts.node) ^ SEED_NODE) & ((1 << config.hashBits) - 1));
  }
  if (config.previousGroupWeight > 0 && parts.previous) hashInto(normalizeText(parts.previous), config, scratch.previous, PREVIOUS_SEEDS);
}

/** Hashes one model text into its groups' bucket ids, in emission order (see `hashModelText`). */
export function hashFeatures(text: string, config: FeaturizerConfig = DEFAULT_FEATURIZER_CONFIG): HashedFeatures {
  const scratch = createTextScratch();
  hashModelText(text, config, scratch);
  const { utterance, prompt, previous } = scratch;
  return {
    word: utterance.word.slice(0, utterance.wordLength),
    char: utterance.char.slice(0, utterance.charLength),
    prompt: prompt.word.slice(0, prompt.wordLength),
    previous: previous.word.slice(0, previous.wordLength),
  };
}

/** A fitting config with every field present: artifacts written before a field existed lack it, and read it as off. */
export function completeFeaturizerConfig(config: Partial<FeaturizerConfig>): FeaturizerConfig {
  return { ...DEFAULT_FEATURIZER_CONFIG, ...config };
}

/**
 * Fits the vocabulary (buckets seen in at least `minDf` utterances) and the smoothed IDF on training utterances.
 * Deterministic: no randomness, and the result depends only on the texts and the config.
 */
export function fitFeaturizer(texts: readonly string[], config: Partial<FeaturizerConfig> = {}): Featurizer {
  const full: FeaturizerConfig = { ...DEFAULT_FEATURIZER_CONFIG, ...config };
  const buckets = 1 << full.hashBits;
  const df = new Int32Array(buckets);
  const lastDocument = new Int32Array(buckets).fill(-1);
  const scratch = createTextScratch();
  const count = (group: Int32Array, length: number, d: number): void => {
    for (let k = 0; k < length; k++) {
      const b = group[k]!;
      if (lastDocument[b] !== d) {
        lastDocument[b] = d;
        df[b]!++;
      }
    }
  };
  for (let d = 0; d < texts.length; d++) {
    hashModelText(texts[d]!, full, scratch);
    const { utterance, prompt, previous } = scratch;
    count(utterance.word, utterance.wordLength, d);
    count(utterance.char, utterance.charLength, d);
    count(prompt.word, prompt.wordLength, d);
    count(previous.word, previous.wordLength, d);
  }
  const minDf = Math.max(1, full.minDf);
  let kept = 0;
  for (let b = 0; b < buckets; b++) if (df[b]! >= minDf) kept++;
  const columnBuckets = new Int32Array(kept);
  const idf = new Float32Array(kept);
  const n = texts.length;
  for (let b = 0, j = 0; b < buckets; b++) {
    if (df[b]! < minDf) continue;
    columnBuckets[j] = b;
    idf[j] = Math.log((1 + n) / (1 + df[b]!)) + 1;
    j++;
  }
  return { config: full, columnBuckets, idf, documents: n };
}

/**
 * Per-featurizer lookup and scratch, built once: a rank bitmap of the vocabulary (for bucket word w, `ranked[2w]`
 * holds a bit per bucket of the word that is a column and `ranked[2w + 1]` the number of columns before the word,
 * so a bucket's column is that count plus the set bits below its own: 256 KB that stay in cache, where a bucket →
 * column table takes 4 MB), a term count per column, and a two-level bitmap of the columns present (a bit per
 * column, and a bit per 32-bit word of that). Counts and bitmaps are all zero between rows, so nested or repeated
 * calls can share them.
 */
interface ColumnIndex {
  readonly ranked: Int32Array;
  readonly counts: Int32Array;
  readonly present: Int32Array;
  readonly presentWords: Int32Array;
}

const columnIndexes = new WeakMap<Featurizer, ColumnIndex>();

/** Set bits of a 32-bit integer. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function columnIndexOf(featurizer: Featurizer): ColumnIndex {
  let index = columnIndexes.get(featurizer);
  if (!index) {
    const cb = featurizer.columnBuckets;
    const ranked = new Int32Array(2 * Math.max(1, (1 << featurizer.config.hashBits) >>> 5));
    for (let j = 0; j < cb.length; j++) {
      const at = 2 * (cb[j]! >>> 5);
      ranked[at] = ranked[at]! | (1 << (cb[j]! & 31));
    }
    for (let w = 0, before = 0; 2 * w < ranked.length; w++) {
      ranked[2 * w + 1] = before;
      before += bitCount(ranked[2 * w]!);
    }
    const words = (cb.length + 31) >>> 5;
    index = { ranked, counts: new Int32Array(cb.length), present: new Int32Array(words), presentWords: new Int32Array((words + 31) >>> 5) };
    columnIndexes.set(featurizer, index);
  }
  return index;
}

/**
 * Maps a group's buckets to columns (dropping unknown ones) and writes the distinct columns, ascending, and their
 * TF-IDF weights, L2-normalized and multiplied by `weight`, to `cols`/`vals` from 0. Columns are counted and
 * marked in the index's bitmap, then read back in order (no sort); the index is left all zero.
 * Returns the number of distinct columns.
 */
function weighGroup(
  buckets: Int32Array,
  count: number,
  index: ColumnIndex,
  idf: Float32Array,
  sublinear: boolean,
  weight: number,
  cols: Int32Array,
  vals: Float64Array,
): number {
  if (weight === 0) return 0;
  const { ranked, counts, present, presentWords } = index;
  let firstWord = presentWords.length;
  let lastWord = -1;
  for (let k = 0; k < count; k++) {
    const b = buckets[k]!;
    const at = (b >>> 5) << 1;
    const bits = ranked[at]!;
    const bit = 1 << (b & 31);
    if ((bits & bit) === 0) continue;
    const c = ranked[at + 1]! + bitCount(bits & (bit - 1));
    if (counts[c]!++ !== 0) continue;
    const w = c >>> 5;
    present[w] = present[w]! | (1 << (c & 31));
    const s = w >>> 5;
    presentWords[s] = presentWords[s]! | (1 << (w & 31));
    if (s < firstWord) firstWord = s;
    if (s > lastWord) lastWord = s;
  }
  let distinct = 0;
  let norm = 0;
  for (let s = firstWord; s <= lastWord; s++) {
    let words = presentWords[s]!;
    presentWords[s] = 0;
    while (words !== 0) {
      const w = (s << 5) | (31 - Math.clz32(words & -words));
      words &= words - 1;
      let bits = present[w]!;
      present[w] = 0;
      while (bits !== 0) {
        const c = (w << 5) | (31 - Math.clz32(bits & -bits));
        bits &= bits - 1;
        const tf = counts[c]!;
        counts[c] = 0;
        const v = (tf === 1 ? 1 : sublinear ? 1 + Math.log(tf) : tf) * idf[c]!;
        if (v === 0) continue;
        cols[distinct] = c;
        vals[distinct] = v;
        norm += v * v;
        distinct++;
      }
    }
  }
  if (distinct === 0) return 0;
  const scale = weight / Math.sqrt(norm);
  for (let t = 0; t < distinct; t++) vals[t] = vals[t]! * scale;
  return distinct;
}

/** A CSR matrix being filled row by row, its arrays grown on demand. */
interface CsrBuilder {
  rows: number;
  nnz: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

function createCsrBuilder(rows: number, nnz: number): CsrBuilder {
  return { rows: 0, nnz: 0, indptr: new Int32Array(rows + 1), indices: new Int32Array(nnz), values: new Float32Array(nnz) };
}

function reserve(builder: CsrBuilder, extra: number): void {
  const needed = builder.nnz + extra;
  if (needed <= builder.indices.length) return;
  const size = Math.max(builder.indices.length * 2, needed);
  const indices = new Int32Array(size);
  indices.set(builder.indices.subarray(0, builder.nnz));
  builder.indices = indices;
  const values = new Float32Array(size);
  values.set(builder.values.subarray(0, builder.nnz));
  builder.values = values;
}

/** One group's distinct columns (ascending) and weights, grown on demand. */
interface GroupRow {
  cols: Int32Array;
  vals: Float64Array;
  length: number;
}

function createGroupRow(size: number): GroupRow {
  return { cols: new Int32Array(size), vals: new Float64Array(size), length: 0 };
}

function fitGroupRow(row: GroupRow, size: number): void {
  if (row.cols.length >= size) return;
  row.cols = new Int32Array(size);
  row.vals = new Float64Array(size);
}

/** Merges two groups' rows (columns ascending) into `out`, adding the weights of a column both have. */
function mergeGroupRows(a: GroupRow, b: GroupRow, out: GroupRow): void {
  fitGroupRow(out, a.length + b.length);
  const { cols, vals } = out;
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a.cols[i]! < b.cols[j]!)) {
      cols[n] = a.cols[i]!;
      vals[n++] = a.vals[i++]!;
    } else if (i >= a.length || b.cols[j]! < a.cols[i]!) {
      cols[n] = b.cols[j]!;
      vals[n++] = b.vals[j++]!;
    } else {
      cols[n] = a.cols[i]!;
      vals[n++] = a.vals[i++]! + b.vals[j++]!;
    }
  }
  out.length = n;
}

/** Turns model texts into rows over one featurizer's columns, reusing its scratch from row to row. */
function createRowEncoder(featurizer: Featurizer): (text: string, out: CsrBuilder) => void {
  const { config, idf } = featurizer;
  const index = columnIndexOf(featurizer);
  const scratch = createTextScratch();
  const word = createGroupRow(256);
  const char = createGroupRow(1024);
  const prompt = createGroupRow(256);
  const previous = createGroupRow(256);
  const utterance = createGroupRow(1024);
  const context = createGroupRow(512);
  const whole = createGroupRow(1024);
  const weigh = (group: GroupRow, buckets: Int32Array, length: number, weight: number): void => {
    fitGroupRow(group, length);
    group.length = weighGroup(buckets, length, index, idf, config.sublinearTf, weight, group.cols, group.vals);
  };
  return (text, out) => {
    hashModelText(text, config, scratch);
    const u = scratch.utterance;
    weigh(word, u.word, u.wordLength, config.wordGroupWeight);
    weigh(char, u.char, u.charLength, config.charGroupWeight);
    weigh(prompt, scratch.prompt.word, scratch.prompt.wordLength, config.promptGroupWeight);
    weigh(previous, scratch.previous.word, scratch.previous.wordLength, config.previousGroupWeight);
    mergeGroupRows(word, char, utterance);
    let row = utterance;
    if (prompt.length + previous.length > 0) {
      mergeGroupRows(prompt, previous, context);
      mergeGroupRows(utterance, context, whole);
      row = whole;
    }
    appendRow(row, out);
  };
}

/** Appends a merged row to the matrix being built, L2-normalized. */
function appendRow(row: GroupRow, out: CsrBuilder): void {
  reserve(out, row.length);
  const { indices, values } = out;
  const rowStart = out.nnz;
  let norm = 0;
  for (let t = 0; t < row.length; t++) {
    const v = row.vals[t]!;
    indices[rowStart + t] = row.cols[t]!;
    values[rowStart + t] = v;
    norm += v * v;
  }
  // Rounded to float32 before scaling, as rows always were, so artifacts predict bit for bit as before.
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let t = rowStart; t < rowStart + row.length; t++) values[t] = values[t]! * scale;
  }
  out.nnz = rowStart + row.length;
  out.indptr[++out.rows] = out.nnz;
}

/**
 * Appends the row of an utterance's groups `u` and its context groups `p` (prompt) and `v` (previous turn), all
 * columns ascending, L2-normalized: in one pass, exactly what `createRowEncoder` gets by merging p with v, then u with
 * that (a shared column sums to u + (p + v)), and appending.
 */
function appendMergedRow(u: GroupRow, p: GroupRow, v: GroupRow, out: CsrBuilder): void {
  reserve(out, u.length + p.length + v.length);
  const { indices, values } = out;
  const rowStart = out.nnz;
  const END = 0x7fffffff;
  let i = 0;
  let j = 0;
  let k = 0;
  let n = rowStart;
  let norm = 0;
  while (i < u.length || j < p.length || k < v.length) {
    const cu = i < u.length ? u.cols[i]! : END;
    const cp = j < p.length ? p.cols[j]! : END;
    const cv = k < v.length ? v.cols[k]! : END;
    const col = Math.min(cu, cp, cv);
    let x: number;
    if (cp === col) x = cv === col ? p.vals[j++]! + v.vals[k++]! : p.vals[j++]!;
    else x = cv === col ? v.vals[k++]! : 0;
    if (cu === col) x = cp === col || cv === col ? u.vals[i++]! + x : u.vals[i++]!;
    indices[n] = col;
    values[n++] = x;
    norm += x * x;
  }
  // Rounded to float32 before scaling, as rows always were, so artifacts predict bit for bit as before.
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let t = rowStart; t < n; t++) values[t] = values[t]! * scale;
  }
  out.nnz = n;
  out.indptr[++out.rows] = n;
}

/** Weighted group rows of one part of a model text, one per featurizer (compact: length = cols.length). */
type PartRows = readonly GroupRow[];

/**
 * Part caches of `forEachTransformedChunkShared`: a model text's utterance (word and char groups merged), prompt
 * with node, and previous turn each weigh into group rows that depend on that part alone, and replayed traffic
 * repeats its parts far more than its whole texts (a bot asks the same questions), so each distinct part is
 * normalized, hashed and weighed once per featurizer. Rows are then merged and normalized exactly as
 * `createRowEncoder` does, so they are bit for bit the same.
 */
function createPartCachedEncoder(featurizers: readonly Featurizer[], maxParts: number): (text: string, include: (k: number) => boolean, outs: readonly CsrBuilder[]) => void {
  const config = featurizers[0]!.config;
  const mask = (1 << config.hashBits) - 1;
  const scratch = createScratch();
  const indexes = featurizers.map(columnIndexOf);
  const word = createGroupRow(256);
  const char = createGroupRow(1024);
  const merged = createGroupRow(1024);
  const caches = { utterance: new Map<string, PartRows>(), prompt: new Map<string, Map<string, PartRows>>(), previous: new Map<string, PartRows>() };
  // Cached rows are views into slabs, not arrays of their own: a backing store per part costs more than the part.
  let slabCols = new Int32Array(0);
  let slabVals = new Float64Array(0);
  let used = 0;
  const compact = (row: GroupRow): GroupRow => {
    const n = row.length;
    if (used + n > slabCols.length) {
      slabCols = new Int32Array(Math.max(SLAB, n));
      slabVals = new Float64Array(Math.max(SLAB, n));
      used = 0;
    }
    for (let t = 0; t < n; t++) {
      slabCols[used + t] = row.cols[t]!;
      slabVals[used + t] = row.vals[t]!;
    }
    const out = { cols: slabCols.subarray(used, used + n), vals: slabVals.subarray(used, used + n), length: n };
    used += n;
    return out;
  };
  const weigh = (k: number, group: GroupRow, buckets: Int32Array, length: number, weight: number): void => {
    fitGroupRow(group, length);
    group.length = weighGroup(buckets, length, indexes[k]!, featurizers[k]!.idf, config.sublinearTf, weight, group.cols, group.vals);
  };
  const cached = (cache: Map<string, PartRows>, key: string, build: () => PartRows): PartRows => {
    let rows = cache.get(key);
    if (rows) return rows;
    if (cache.size >= maxParts) cache.clear();
    rows = build();
    cache.set(key, rows);
    return rows;
  };
  const empty: PartRows = featurizers.map(() => createGroupRow(0));
  let prompts = 0;
  /** The prompt's rows by node (a prompt is asked at few nodes): no key to build per text. */
  const byNodeOf = (prompt: string): Map<string, PartRows> => {
    let byNode = caches.prompt.get(prompt);
    if (!byNode) {
      if (prompts >= maxParts) {
        caches.prompt.clear();
        prompts = 0;
      }
      caches.prompt.set(prompt, (byNode = new Map()));
      prompts++;
    }
    return byNode;
  };
  const utteranceRows = (text: string): PartRows => {
    hashInto(normalizeText(text), config, scratch);
    return featurizers.map((_, k) => {
      weigh(k, word, scratch.word, scratch.wordLength, config.wordGroupWeight);
      weigh(k, char, scratch.char, scratch.charLength, config.charGroupWeight);
      mergeGroupRows(word, char, merged);
      return compact(merged);
    });
  };
  const contextRows = (text: string, node: string, seeds: GroupSeeds, weight: number): PartRows => {
    scratch.wordLength = 0;
    if (text) hashInto(normalizeText(text), config, scratch, seeds);
    if (node) pushWord(scratch, fmix32(fnv1a32(node) ^ SEED_NODE) & mask);
    return featurizers.map((_, k) => {
      weigh(k, word, scratch.word, scratch.wordLength, weight);
      return compact(word);
    });
  };
  return (text, include, outs) => {
    const parts = splitModelText(text);
    const utterance = cached(caches.utterance, parts.utterance, () => utteranceRows(parts.utterance));
    const readsPrompt = config.promptGroupWeight > 0 && (parts.prompt || parts.node);
    const prompt = readsPrompt ? cached(byNodeOf(parts.prompt), parts.node, () => contextRows(parts.prompt, parts.node, PROMPT_SEEDS, config.promptGroupWeight)) : empty;
    const readsPrevious = config.previousGroupWeight > 0 && parts.previous;
    const previous = readsPrevious ? cached(caches.previous, parts.previous, () => contextRows(parts.previous, '', PREVIOUS_SEEDS, config.previousGroupWeight)) : empty;
    for (let k = 0; k < featurizers.length; k++) {
      if (!include(k)) continue;
      appendMergedRow(utterance[k]!, prompt[k]!, previous[k]!, outs[k]!);
    }
  };
}

/** Rows per chunk when featurizing a batch: small enough for the chunk's matrix to stay in cache. */
const CHUNK_ROWS = 1024;

/**
 * Featurizes `texts` exactly as `transformTexts` does, `chunkRows` at a time, and hands each chunk's matrix to
 * `visit` with the index of the chunk's first text. The matrix is scratch that the next chunk overwrites: read it
 * inside `visit`, never keep it.
 */
export function forEachTransformedChunk(
  featurizer: Featurizer,
  texts: readonly string[],
  visit: (x: CsrMatrix, first: number) => void,
  chunkRows = CHUNK_ROWS,
): void {
  const encode = createRowEncoder(featurizer);
  const cols = featurizer.columnBuckets.length;
  const chunk = createCsrBuilder(Math.min(chunkRows, texts.length), Math.min(chunkRows, texts.length) * 128);
  for (let first = 0; first < texts.length; first += chunkRows) {
    const last = Math.min(first + chunkRows, texts.length);
    chunk.rows = 0;
    chunk.nnz = 0;
    for (let r = first; r < last; r++) encode(texts[r]!, chunk);
    const rows = last - first;
    visit(
      {
        rows,
        cols,
        indptr: chunk.indptr.subarray(0, rows + 1),
        indices: chunk.indices.subarray(0, chunk.nnz),
        values: chunk.values.subarray(0, chunk.nnz),
      },
      first,
    );
  }
}

/** True when two featurizer configs hash a text alike (every field of the complete configs equal). */
export function sameFeaturizerConfig(a: FeaturizerConfig, b: FeaturizerConfig): boolean {
  const x = completeFeaturizerConfig(a);
  const y = completeFeaturizerConfig(b);
  return (Object.keys(DEFAULT_FEATURIZER_CONFIG) as (keyof FeaturizerConfig)[]).every((k) => x[k] === y[k]);
}

/**
 * `forEachTransformedChunk` for several featurizers of one config (`sameFeaturizerConfig`; throws otherwise),
 * normalizing, hashing and weighing each distinct part of the texts once (`createPartCachedEncoder`): featurizer k's
 * matrix of a chunk holds, in order, the rows r of [first, last) with `include(k, r)` (every row when `include` is
 * null), each exactly as `transformTexts` with that featurizer gives it. The matrices are scratch that the next chunk
 * overwrites. Each part cache starts over once it holds `maxParts` parts.
 */
export function forEachTransformedChunkShared(
  featurizers: readonly Featurizer[],
  texts: readonly string[],
  include: ((k: number, row: number) => boolean) | null,
  visit: (xs: readonly CsrMatrix[], first: number, last: number) => void,
  chunkRows = CHUNK_ROWS,
  maxParts = PART_CACHE_SIZE,
): void {
  if (featurizers.length === 0) return;
  const config = featurizers[0]!.config;
  if (!featurizers.every((f) => sameFeaturizerConfig(f.config, config))) throw new RangeError('featurizers differ in config');
  const encode = createPartCachedEncoder(featurizers, maxParts);
  const size = Math.min(chunkRows, texts.length);
  const chunks = featurizers.map(() => createCsrBuilder(size, size * 128));
  let row = 0;
  const included = (k: number) => include === null || include(k, row);
  for (let first = 0; first < texts.length; first += chunkRows) {
    const last = Math.min(first + chunkRows, texts.length);
    for (const chunk of chunks) {
      chunk.rows = 0;
      chunk.nnz = 0;
    }
    for (row = first; row < last; row++) encode(texts[row]!, included, chunks);
    visit(
      chunks.map((chunk, k) => ({
        rows: chunk.rows,
        cols: featurizers[k]!.columnBuckets.length,
        indptr: chunk.indptr.subarray(0, chunk.rows + 1),
        indices: chunk.indices.subarray(0, chunk.nnz),
        values: chunk.values.subarray(0, chunk.nnz),
      })),
      first,
      last,
    );
  }
}

/** Entries per slab of cached part rows. */
const SLAB = 1 << 16;

/** Distinct parts of each kind `forEachTransformedChunkShared` keeps weighed (the cache starts over past it). */
const PART_CACHE_SIZE = 1 << 16;

/**
 * Turns utterances (normalized here) into L2-normalized TF-IDF rows over the featurizer's columns: each group
 * (word, char) is weighted and L2-normalized on its own, scaled by its group weight, the groups are summed
 * (a column shared through a hash collision adds up) and the row is L2-normalized again. Unknown buckets are
 * dropped before weighting; an utterance with no known feature gives an empty row.
 * References: scikit-learn `TfidfVectorizer(sublinear_tf=True)` with `FeatureUnion`; Weinberger et al. (2009),
 * "Feature hashing for large scale multitask learning".
 */
export function transformTexts(featurizer: Featurizer, texts: readonly string[]): CsrMatrix {
  const indptr = new Int32Array(texts.length + 1);
  const indexParts: Int32Array[] = [];
  const valueParts: Float32Array[] = [];
  let nnz = 0;
  forEachTransformedChunk(featurizer, texts, (x, first) => {
    for (let r = 1; r <= x.rows; r++) indptr[first + r] = nnz + x.indptr[r]!;
    nnz += x.indices.length;
    indexParts.push(x.indices.slice());
    valueParts.push(x.values.slice());
  });
  return {
    rows: texts.length,
    cols: featurizer.columnBuckets.length,
    indptr,
    indices: concatParts(indexParts, new Int32Array(nnz)),
    values: concatParts(valueParts, new Float32Array(nnz)),
  };
}

function concatParts<T extends Int32Array | Float32Array>(parts: readonly T[], empty: T): T {
  if (parts.length === 1) return parts[0]!;
  let offset = 0;
  for (const part of parts) {
    empty.set(part, offset);
    offset += part.length;
  }
  return empty;
}

/**
 * The featurizer that fitting without some training rows would give, over the same columns (so weights line up):
 * IDF from the other rows' document counts, and IDF 0 (the column drops out of the row and its norm) for columns
 * fewer than `minDf` other rows have. `x` is the featurized training set and `left` marks the rows left out. Held-out
 * rows featurized by it look to the model as unseen utterances do: n-grams only they have are unknown, not just unweighted.
 */
export function featurizerWithout(featurizer: Featurizer, x: CsrMatrix, left: Uint8Array): Featurizer {
  const df = new Int32Array(x.cols);
  let documents = 0;
  for (let r = 0; r < x.rows; r++) {
    if (left[r]) continue;
    documents++;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) df[x.indices[k]!]!++;
  }
  const minDf = Math.max(1, featurizer.config.minDf);
  const idf = Float32Array.from(df, (d) => (d < minDf ? 0 : Math.log((1 + documents) / (1 + d)) + 1));
  return { config: featurizer.config, columnBuckets: featurizer.columnBuckets, idf, documents };
}
