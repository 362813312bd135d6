const APOSTROPHES = /['\u2019\u02bc]/gu;
const NUMBERS = /\p{Nd}+(?:[.,:]\p{Nd}+)*/gu;
const PUNCTUATION_AND_SYMBOLS = /[\p{P}\p{S}]/gu;
const WHITESPACE_RUNS = /\s+/gu;

/** The token every number (a digit run, with any `.`, `,` or `:` separated digit groups) is folded to. */
export const NUMBER_PLACEHOLDER = '0';

/**
 * Normalizes an utterance for featurization, in this order:
 * 1. Unicode NFKC (full-width letters, digits and punctuation become half-width; compatibility forms unfold);
 * 2. lower case;
 * 3. apostrophes are dropped, so "what's" becomes "whats";
 * 4. every number (a run of decimal digits with optional `.`, `,` or `:` separated groups, e.g. "3,500.00", "10:30")
 *    becomes the single placeholder `0`, so amounts, times and counts share one feature; Chinese numerals
 *    (一, 二, 两) are words and stay as they are;
 * 5. every other punctuation mark or symbol (Unicode P and S categories, e.g. `，。？！$%`) becomes a space;
 * 6. whitespace runs collapse to one space, and the ends are trimmed.
 * The output is idempotent: normalizing it again returns it unchanged.
 */
export function normalizeText(text: string): string {
  if (isAlreadyNormal(text)) return text;
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(NUMBERS, NUMBER_PLACEHOLDER)
    .replace(PUNCTUATION_AND_SYMBOLS, ' ')
    .replace(WHITESPACE_RUNS, ' ')
    .trim();
}

/**
 * True when every step above provably leaves `text` unchanged: it holds only `a`–`z` and CJK unified ideographs
 * (U+4E00–U+9FFF: no compatibility mapping, case, digit, punctuation or symbol among them), separated by single
 * spaces with none at either end.
 */
function isAlreadyNormal(text: string): boolean {
  let afterSpace = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (afterSpace) return false;
      afterSpace = true;
    } else if ((c >= 97 && c <= 122) || (c >= 0x4e00 && c <= 0x9fff)) {
      afterSpace = false;
    } else {
      return false;
    }
  }
  return !afterSpace;
}
