import { pinyin } from 'pinyin-pro';

/**
 * Pinyin matching for short Chinese names: what annotators type when they do not switch input methods (full pinyin
 * "tuibao", initials "hk", mixed "huank") and two-character homophone typos from the input method (炸骗 for 诈骗,
 * 投述 for 投诉). A name is a list of positions, each the set of readings of one character (every reading of a
 * polyphone: 还 is hai and huan), so no word segmentation is needed.
 */
export type Readings = readonly (readonly string[])[];

const HAN = /\p{Script=Han}/u;

/** Every reading of each character; Latin letters and digits become one lower-case position per run. */
export function readingsOf(text: string): Readings {
  const out: string[][] = [];
  let latin = '';
  const flush = () => {
    if (latin) out.push([latin]);
    latin = '';
  };
  for (const ch of text.toLowerCase()) {
    if (HAN.test(ch)) {
      flush();
      const all = pinyin(ch, { toneType: 'none', type: 'array', multiple: true }).map((r) => r.toLowerCase());
      out.push([...new Set(all.length > 0 ? all : [ch])]);
    } else if (/[a-z0-9]/.test(ch)) latin += ch;
    else flush();
  }
  flush();
  return out;
}

/**
 * How well a Latin query spells a run of consecutive characters of the name, each character by a non-empty prefix of
 * one of its readings ("hk", "huank", "tuibao" for 退保). 0 = full syllables from the first character, up to 1 =
 * initials only, later in the name; null when it does not spell any run.
 */
export function spellScore(query: string, name: Readings): number | null {
  const q = query.toLowerCase().replace(/[\s'’]/g, '');
  if (!/^[a-z]+$/.test(q) || name.length === 0) return null;
  let best: number | null = null;
  for (let start = 0; start < name.length; start++) {
    const consumed = spellFrom(q, 0, name, start);
    if (consumed === null) continue;
    // Fewer characters spelled by more letters (full pinyin) is a closer match; a later start is slightly weaker.
    const letters = q.length / Math.max(1, totalLength(name, start, consumed));
    const score = 0.3 * (1 - Math.min(1, letters)) + 0.05 * Math.min(start, 4) + 0.02 * (name.length - consumed);
    if (best === null || score < best) best = score;
  }
  return best;
}

/** Spells q[from..] with name[at..]; answers how many characters it took, or null. */
function spellFrom(q: string, from: number, name: Readings, at: number): number | null {
  if (from === q.length) return 0;
  if (at >= name.length) return null;
  // Longer prefixes first, so "huankuan" prefers huan|kuan over h|...
  const options = name[at]!.flatMap((r) => Array.from({ length: r.length }, (_, i) => r.length - i).filter((n) => q.startsWith(r.slice(0, n), from)));
  for (const n of [...new Set(options)].sort((a, b) => b - a)) {
    const rest = spellFrom(q, from + n, name, at + 1);
    if (rest !== null) return rest + 1;
  }
  return null;
}

function totalLength(name: Readings, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) n += Math.max(...name[i]!.map((r) => r.length));
  return n;
}

/** Folds the sounds a southern accent or a fuzzy input method mixes up: zh/z, ch/c, sh/s, n/l, -ng/-n. */
export function foldSound(syllable: string): string {
  return syllable
    .replace(/^([zcs])h/, '$1')
    .replace(/^l/, 'n')
    .replace(/([aei])ng$/, '$1n');
}

/**
 * How well a Chinese query sounds like a run of the name's characters: each query character shares a reading with
 * the name's character at the same place (exactly 0, by a folded sound 0.1 each), so 炸骗 (zha pian) finds 诈骗 and
 * 投述 (tou shu) finds 投诉 (tou su). Null when it does not, or for a one-character query (too many homophones).
 */
export function soundScore(query: Readings, name: Readings): number | null {
  if (query.length < 2 || query.length > name.length) return null;
  let best: number | null = null;
  for (let start = 0; start + query.length <= name.length; start++) {
    let score = 0;
    for (let i = 0; i < query.length && score !== null; i++) {
      const q = query[i]!;
      const n = name[start + i]!;
      if (q.some((r) => n.includes(r))) continue;
      const fq = q.map(foldSound);
      if (n.some((r) => fq.includes(foldSound(r)))) score += 0.1;
      else score = Number.NaN;
    }
    if (Number.isNaN(score)) continue;
    score += 0.05 * Math.min(start, 4) + 0.02 * (name.length - query.length);
    if (best === null || score < best) best = score;
  }
  return best;
}

/** True when the text has a Chinese character. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}
