import { normalizeText } from './normalize';

/** Fillers callers put before what they mean (ASR transcripts keep them), longest first within each language. */
const LEADING = ['嗯嗯', '那个', '这个', '就是', '然后', '嗯', '啊', '呃', '哦', '喂', 'hmm', 'well', 'yeah', 'like', 'okay', 'um', 'uh', 'er', 'so', 'oh'];
/** Fillers callers put after it. */
const TRAILING = ['you know', 'i guess', 'okay', 'yeah', '啊', '吧', '哈', '嘛', '呢', '呀'];

function isLatinLetter(c: string | undefined): boolean {
  return c !== undefined && /[a-z]/u.test(c);
}

/**
 * The key near-duplicates of a spoken utterance share: the normalized text (`normalizeText`) without the fillers
 * that open or close it ("嗯，" "那个，" "um" … "啊" "吧" "you know") and without spaces, so "那个，怎么换绑手机啊"
 * and "哦 怎么换绑手机" have the same key. Latin fillers only count as whole words. For duplicate checks only: a
 * word that merely looks like a filler (the 吧 of 酒吧) is dropped too, which at worst calls two texts alike.
 */
export function contentKey(text: string): string {
  let s = normalizeText(text);
  for (let changed = true; changed; ) {
    changed = false;
    for (const filler of LEADING) {
      if (s.startsWith(filler) && s.length > filler.length && !(isLatinLetter(filler[0]) && isLatinLetter(s[filler.length]))) {
        s = s.slice(filler.length).trimStart();
        changed = true;
      }
    }
    for (const filler of TRAILING) {
      const at = s.length - filler.length;
      if (at > 0 && s.endsWith(filler) && !(isLatinLetter(filler[0]) && isLatinLetter(s[at - 1]))) {
        s = s.slice(0, at).trimEnd();
        changed = true;
      }
    }
  }
  return s.replace(/\s+/gu, '');
}
