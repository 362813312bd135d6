import { normalizeText } from '../normalize';

/** Texts folded to their distinct normalized forms. */
export interface FoldedTexts {
  /** One normalized text per distinct group, in order of first appearance. */
  readonly distinct: readonly string[];
  /** Per distinct group: how many input texts it folds (its weight). */
  readonly counts: Float64Array;
  /** Per input text: its distinct group. */
  readonly groupOf: Int32Array;
  /** Per distinct group: the first input text index. */
  readonly firstIndex: Int32Array;
}

const FOLD_DROPPED = /\s+/gu;

/** The key near-duplicates share: the normalized text with spaces removed (so "打开 音乐" and "打开音乐!" fold). */
export function foldKey(text: string): string {
  return normalizeText(text).replace(FOLD_DROPPED, '');
}

/**
 * Folds near-duplicate texts (same normalized form up to spaces, case, punctuation, width and digits) into groups
 * weighted by their counts.
 */
export function foldNearDuplicates(texts: readonly string[]): FoldedTexts {
  const groups = new Map<string, number>();
  const distinct: string[] = [];
  const groupOf = new Int32Array(texts.length);
  const firsts: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const key = foldKey(texts[i]!);
    let g = groups.get(key);
    if (g === undefined) {
      g = distinct.length;
      groups.set(key, g);
      distinct.push(normalizeText(texts[i]!));
      firsts.push(i);
      counts.push(0);
    }
    counts[g]!++;
    groupOf[i] = g;
  }
  return { distinct, counts: Float64Array.from(counts), groupOf, firstIndex: Int32Array.from(firsts) };
}
